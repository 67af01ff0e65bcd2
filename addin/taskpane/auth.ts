import {
  AuthError,
  BrowserAuthError,
  BrowserAuthErrorCodes,
  InteractionRequiredAuthError,
  createNestablePublicClientApplication,
  type Configuration,
  type IPublicClientApplication,
} from '@azure/msal-browser';
import { SignInConfigSchema, type SignInConfig } from '../../core/contract/common';
import { UserFacingError } from '../errors';

/**
 * Sign-in, shaped after Microsoft's NAA sample (OfficeDev/Office-Add-in-samples,
 * auth/Office-Add-in-SSO-NAA): the API says how (GET /api/v1/auth-config); in production an
 * AccountManager gets a token for the API's scope through nested app authentication (Office's
 * own Microsoft Entra sign-in), silently when it can and with a popup when Microsoft asks for
 * interaction; in development a pasted token from `npm run token`. Every failure is a
 * SignInError with a code and a Swedish message.
 */
const AUTH_CONFIG_PATH = '/api/v1/auth-config';

export const NOT_CONFIGURED_MESSAGE = 'Inloggningen är inte inställd på servern. Kontakta förvaltningen av Tertial.';

export type SignInErrorCode =
  /** The API did not answer: network, proxy or server down. Trying again may help. */
  | 'API_UNREACHABLE'
  /** The API answered, but not with its sign-in settings (a gateway error page, a 5xx). */
  | 'API_UNAVAILABLE'
  | 'CANCELLED'
  | 'POPUP_BLOCKED'
  | 'IN_PROGRESS'
  /** Microsoft's sign-in could not be reached. */
  | 'NETWORK'
  | 'FAILED';

export class SignInError extends UserFacingError {
  override name = 'SignInError';

  constructor(
    readonly code: SignInErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** How to sign in, as the API says. Throws SignInError when the API cannot tell: that is not "not configured". */
export async function fetchSignInConfig(baseUrl = '', doFetch: typeof fetch = (input, init) => fetch(input, init)): Promise<SignInConfig> {
  let response: Response;
  try {
    response = await doFetch(`${baseUrl}${AUTH_CONFIG_PATH}`, { headers: { Accept: 'application/json' } });
  } catch (e) {
    throw new SignInError('API_UNREACHABLE', 'Tertial går inte att nå, så det går inte att logga in just nu. Kontrollera nätverket och tryck Försök igen.', { cause: e });
  }
  const parsed = response.ok ? SignInConfigSchema.safeParse(await response.json().catch(() => undefined)) : null;
  if (!parsed?.success) {
    throw new SignInError('API_UNAVAILABLE', `Tertial svarar inte som väntat just nu (HTTP ${response.status}), så det går inte att logga in. Tryck Försök igen om en stund.`);
  }
  return parsed.data;
}

type EntraSignIn = Extract<SignInConfig, { mode: 'entra' }>;

/** MSAL's factory; tests pass a fake. */
export type CreateClient = (configuration: Configuration) => Promise<IPublicClientApplication>;

const POPUP_FAILURES: ReadonlySet<string> = new Set([BrowserAuthErrorCodes.popupWindowError, BrowserAuthErrorCodes.emptyWindowError]);
const NETWORK_FAILURES: ReadonlySet<string> = new Set([
  BrowserAuthErrorCodes.noNetworkConnectivity,
  BrowserAuthErrorCodes.postRequestFailed,
  BrowserAuthErrorCodes.getRequestFailed,
]);

/** Gets tokens for the API: silently from MSAL's cache or Office, else with a popup when Microsoft asks for it. */
export class AccountManager {
  private pca: Promise<IPublicClientApplication> | undefined;

  constructor(
    private readonly config: EntraSignIn,
    private readonly createClient: CreateClient = createNestablePublicClientApplication,
  ) {}

  async acquireToken(): Promise<string> {
    const pca = await this.initialize();
    const request = { scopes: this.config.scopes };
    try {
      return (await pca.acquireTokenSilent(request)).accessToken;
    } catch (silentError) {
      if (!needsInteraction(silentError)) throw signInErrorFrom(silentError);
    }
    try {
      return (await pca.acquireTokenPopup(request)).accessToken;
    } catch (popupError) {
      throw signInErrorFrom(popupError);
    }
  }

  /** Creates MSAL's client once (a failed creation is tried again on the next call). */
  private initialize(): Promise<IPublicClientApplication> {
    this.pca ??= this.createClient({ auth: { clientId: this.config.clientId, authority: this.config.authority } }).catch((e: unknown) => {
      this.pca = undefined;
      throw signInErrorFrom(e);
    });
    return this.pca;
  }
}

/** Microsoft wants the user: consent, MFA, an expired session; or nothing is cached yet (outside NAA). */
function needsInteraction(error: unknown): boolean {
  return error instanceof InteractionRequiredAuthError || (error instanceof BrowserAuthError && error.errorCode === BrowserAuthErrorCodes.noAccountError);
}

/** MSAL's errors as SignInErrors; anything else stays as it is (a bug: the pane's generic message and the log). */
function signInErrorFrom(error: unknown): unknown {
  if (!(error instanceof AuthError)) return error;
  const code = error.errorCode;
  if (code === BrowserAuthErrorCodes.userCancelled) return new SignInError('CANCELLED', 'Inloggningen avbröts. Tryck Logga in med Microsoft för att försöka igen.');
  if (POPUP_FAILURES.has(code)) {
    return new SignInError('POPUP_BLOCKED', 'Inloggningsfönstret kunde inte öppnas. Tillåt popup-fönster för Excel och tryck Logga in med Microsoft igen.', { cause: error });
  }
  if (code === BrowserAuthErrorCodes.interactionInProgress)
    return new SignInError('IN_PROGRESS', 'En inloggning pågår redan. Slutför den i inloggningsfönstret och försök sedan igen.');
  if (NETWORK_FAILURES.has(code)) {
    return new SignInError('NETWORK', 'Microsofts inloggning går inte att nå. Kontrollera nätverket och försök igen.', { cause: error });
  }
  return new SignInError('FAILED', `Inloggningen misslyckades (felkod ${code}). Försök igen; kvarstår felet, kontakta stadsledningskontoret och ange felkoden.`, { cause: error });
}

/** The development token is remembered in this browser profile only; it is never written into a sheet. */
const DEV_TOKEN_KEY = 'tertial.devToken';

export const devTokenStore = {
  get: (): string | null => localStorage.getItem(DEV_TOKEN_KEY),
  set: (token: string) => localStorage.setItem(DEV_TOKEN_KEY, token),
  clear: () => localStorage.removeItem(DEV_TOKEN_KEY),
};
