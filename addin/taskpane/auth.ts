import { createNestablePublicClientApplication } from '@azure/msal-browser';

/**
 * Sign-in. Production: nested app authentication (NAA) through Office's own Microsoft Entra
 * sign-in, for a token to the API's scope. Set the app registration here when deploying; while
 * it is empty the pane offers only the development token (the API in development mode).
 */
export const NAA_CONFIG = {
  clientId: '',
  authority: 'https://login.microsoftonline.com/organizations',
  /** e.g. api://<API app id>/access_as_user — the audience the API's AUTH_AUDIENCE accepts. */
  scopes: [] as string[],
};

export const naaConfigured = () => NAA_CONFIG.clientId !== '' && NAA_CONFIG.scopes.length > 0;

/** Signs in with NAA and returns a token provider (MSAL caches and renews; a popup only when it must). */
export async function naaTokenProvider(): Promise<() => Promise<string>> {
  const pca = await createNestablePublicClientApplication({ auth: { clientId: NAA_CONFIG.clientId, authority: NAA_CONFIG.authority } });
  const request = { scopes: NAA_CONFIG.scopes };
  const acquire = async () => {
    try {
      return (await pca.acquireTokenSilent(request)).accessToken;
    } catch {
      return (await pca.acquireTokenPopup(request)).accessToken;
    }
  };
  await acquire();
  return acquire;
}

/** The development token is remembered in this browser profile only; it is never written into a sheet. */
const DEV_TOKEN_KEY = 'tertial.devToken';

export const devTokenStore = {
  get: (): string | null => localStorage.getItem(DEV_TOKEN_KEY),
  set: (token: string) => localStorage.setItem(DEV_TOKEN_KEY, token),
  clear: () => localStorage.removeItem(DEV_TOKEN_KEY),
};
