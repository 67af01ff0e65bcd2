import { BrowserAuthError, InteractionRequiredAuthError, ServerError, type Configuration, type IPublicClientApplication } from '@azure/msal-browser';
import { UserFacingError } from '../../addin/errors';
import { AccountManager, SignInError, fetchSignInConfig } from '../../addin/taskpane/auth';

const CORRELATION = 'test-correlation-id';
const ENTRA = { mode: 'entra' as const, clientId: 'app-id', authority: 'https://login.microsoftonline.com/organizations', scopes: ['api://tertial/access_as_user'] };

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

describe('auth-config: how to sign in, as the API says', () => {
  const answering = (answer: () => Promise<Response>) => jest.fn((_url: string | URL | Request, _init?: RequestInit) => answer());

  test('the API\'s answer, "unconfigured" included, is the configuration', async () => {
    const doFetch = answering(async () => Response.json({ mode: 'unconfigured' }));
    expect(await fetchSignInConfig('https://tertial.test', doFetch)).toEqual({ mode: 'unconfigured' });
    expect(doFetch.mock.calls[0]![0]).toBe('https://tertial.test/api/v1/auth-config');
    expect(
      await fetchSignInConfig(
        '',
        answering(async () => Response.json(ENTRA)),
      ),
    ).toEqual(ENTRA);
  });

  test('no answer is "cannot reach the API", not "not configured"', async () => {
    const e = await rejection(
      fetchSignInConfig(
        '',
        answering(() => Promise.reject(new TypeError('Failed to fetch'))),
      ),
    );
    expect(e).toBeInstanceOf(SignInError);
    expect(e).toBeInstanceOf(UserFacingError);
    expect((e as SignInError).code).toBe('API_UNREACHABLE');
    expect((e as SignInError).message).toBe('Tertial går inte att nå, så det går inte att logga in just nu. Kontrollera nätverket och tryck Försök igen.');
  });

  test('a gateway page or an answer in the wrong shape is "unavailable", with the status', async () => {
    const gateway = await rejection(
      fetchSignInConfig(
        '',
        answering(async () => new Response('<html>Bad gateway</html>', { status: 502 })),
      ),
    );
    expect([(gateway as SignInError).code, (gateway as SignInError).message]).toEqual([
      'API_UNAVAILABLE',
      'Tertial svarar inte som väntat just nu (HTTP 502), så det går inte att logga in. Tryck Försök igen om en stund.',
    ]);
    expect(
      (
        (await rejection(
          fetchSignInConfig(
            '',
            answering(async () => Response.json({ mode: 'magic' })),
          ),
        )) as SignInError
      ).code,
    ).toBe('API_UNAVAILABLE');
  });
});

describe('AccountManager: silent first, a popup when Microsoft asks for interaction', () => {
  /** A fake MSAL client: each acquire answers with the next of its outcomes (a token, or an error to throw). */
  function fakeMsal(silent: (string | Error)[], popup: (string | Error)[] = []) {
    const answer = (outcomes: (string | Error)[]) =>
      jest.fn(async () => {
        const next = outcomes.shift();
        if (next instanceof Error) throw next;
        if (next === undefined) throw new Error('unexpected call');
        return { accessToken: next };
      });
    const pca = { acquireTokenSilent: answer(silent), acquireTokenPopup: answer(popup) };
    const createClient = jest.fn(async (_c: Configuration) => pca as unknown as IPublicClientApplication);
    return { manager: new AccountManager(ENTRA, createClient), pca, createClient };
  }

  test("a cached token: no popup; MSAL is created once, with the API's client id and authority", async () => {
    const { manager, pca, createClient } = fakeMsal(['t1', 't2']);
    expect([await manager.acquireToken(), await manager.acquireToken()]).toEqual(['t1', 't2']);
    expect(pca.acquireTokenPopup).not.toHaveBeenCalled();
    expect(pca.acquireTokenSilent).toHaveBeenCalledWith({ scopes: ENTRA.scopes });
    expect(createClient.mock.calls).toEqual([[{ auth: { clientId: 'app-id', authority: ENTRA.authority } }]]);
  });

  test('InteractionRequiredAuthError (consent, MFA, expired session) → popup', async () => {
    const { manager, pca } = fakeMsal([new InteractionRequiredAuthError('interaction_required', CORRELATION)], ['from-popup']);
    expect(await manager.acquireToken()).toBe('from-popup');
    expect(pca.acquireTokenPopup).toHaveBeenCalledWith({ scopes: ENTRA.scopes });
  });

  test('nothing cached yet (no account, outside NAA) → popup', async () => {
    const { manager } = fakeMsal([new BrowserAuthError('no_account_error', CORRELATION)], ['from-popup']);
    expect(await manager.acquireToken()).toBe('from-popup');
  });

  test('any other silent failure is not papered over with a popup: a typed error, the code in the message, the original as cause', async () => {
    const original = new ServerError('invalid_client', CORRELATION, 'AADSTS7000215: Invalid client secret provided.');
    const { manager, pca } = fakeMsal([original]);
    const e = (await rejection(manager.acquireToken())) as SignInError;
    expect(pca.acquireTokenPopup).not.toHaveBeenCalled();
    expect(e).toBeInstanceOf(SignInError);
    expect([e.code, e.message, e.cause]).toEqual([
      'FAILED',
      'Inloggningen misslyckades (felkod invalid_client). Försök igen; kvarstår felet, kontakta stadsledningskontoret och ange felkoden.',
      original,
    ]);
  });

  test.each([
    ['user_cancelled', 'CANCELLED', 'Inloggningen avbröts. Tryck Logga in med Microsoft för att försöka igen.'],
    ['popup_window_error', 'POPUP_BLOCKED', 'Inloggningsfönstret kunde inte öppnas. Tillåt popup-fönster för Excel och tryck Logga in med Microsoft igen.'],
    ['interaction_in_progress', 'IN_PROGRESS', 'En inloggning pågår redan. Slutför den i inloggningsfönstret och försök sedan igen.'],
    ['no_network_connectivity', 'NETWORK', 'Microsofts inloggning går inte att nå. Kontrollera nätverket och försök igen.'],
  ])('popup fails with %s → %s, in Swedish', async (msalCode, code, message) => {
    const { manager } = fakeMsal([new InteractionRequiredAuthError('interaction_required', CORRELATION)], [new BrowserAuthError(msalCode, CORRELATION)]);
    const e = (await rejection(manager.acquireToken())) as SignInError;
    expect([e.code, e.message]).toEqual([code, message]);
  });

  test('a failed MSAL creation is a typed error and is tried again on the next sign-in', async () => {
    const pca = { acquireTokenSilent: jest.fn(async () => ({ accessToken: 'tok' })), acquireTokenPopup: jest.fn() };
    const createClient = jest
      .fn<Promise<IPublicClientApplication>, [Configuration]>()
      .mockRejectedValueOnce(new BrowserAuthError('no_network_connectivity', CORRELATION))
      .mockResolvedValue(pca as unknown as IPublicClientApplication);
    const manager = new AccountManager(ENTRA, createClient);
    expect(((await rejection(manager.acquireToken())) as SignInError).code).toBe('NETWORK');
    expect(await manager.acquireToken()).toBe('tok');
  });

  test("what is not MSAL's (a bug) is passed on as it is, for the generic message and the log", async () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'accessToken')");
    const { manager } = fakeMsal([bug]);
    expect(await rejection(manager.acquireToken())).toBe(bug);
  });
});
