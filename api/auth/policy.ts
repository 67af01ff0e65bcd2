/** Rules for how the API may be configured to trust tokens; used by the config and by the verifier itself. */

/** NODE_ENV says production, however it is spelled (`Production`, ` PRODUCTION `). */
export const isProductionEnv = (nodeEnv: string | undefined): boolean => nodeEnv?.trim().toLowerCase() === 'production';

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** Signing keys come over https; plain http only from this machine (a test or a local proxy). */
export function jwksUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be a URL';
  }
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:' && LOOPBACK.test(parsed.hostname)) return undefined;
  return 'must be an https:// URL (http:// only for localhost)';
}
