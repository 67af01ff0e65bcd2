import { createNestablePublicClientApplication } from '@azure/msal-browser';
import { SignInConfigSchema, type SignInConfig } from '../../api/contract/common';

/**
 * Sign-in. The API says how (GET /api/v1/auth-config): in production nested app authentication
 * (NAA) through Office's own Microsoft Entra sign-in, for a token to the API's scope; in
 * development a pasted token from `npm run token`.
 */
export async function fetchSignInConfig(baseUrl = ''): Promise<SignInConfig> {
  try {
    const response = await fetch(`${baseUrl}/api/v1/auth-config`);
    const parsed = SignInConfigSchema.safeParse(await response.json());
    return parsed.success ? parsed.data : { mode: 'unconfigured' };
  } catch {
    return { mode: 'unconfigured' };
  }
}

type EntraSignIn = Extract<SignInConfig, { mode: 'entra' }>;

/** Signs in with NAA and returns a token provider (MSAL caches and renews; a popup only when it must). */
export async function naaTokenProvider(config: EntraSignIn): Promise<() => Promise<string>> {
  const pca = await createNestablePublicClientApplication({ auth: { clientId: config.clientId, authority: config.authority } });
  const request = { scopes: config.scopes };
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
