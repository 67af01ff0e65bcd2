import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { isProductionEnv, jwksUrlProblem } from './auth/policy';

const optionalUrl = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .pipe(z.url().optional());

function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

const EnvSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** The address to listen on; the default depends on the auth mode (see loadConfig). */
    HOST: z
      .string()
      .trim()
      .min(1)
      .regex(/^[\w.:%-]+$/, 'an IP address or host name, e.g. 127.0.0.1, 0.0.0.0 or ::')
      .optional(),
    /** The origin users reach the API at (behind a TLS proxy): the served manifest points there. */
    PUBLIC_URL: optionalUrl.optional(),
    TERTIAL_DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: optionalUrl.optional(),
    AUTH_JWKS_URL: optionalUrl.optional(),
    AUTH_ISSUER: z.string().trim().min(1).optional(),
    AUTH_AUDIENCE: z.string().trim().min(1).optional(),
    /** The add-in's own app registration and the API scope it asks for (nested app authentication). */
    AUTH_CLIENT_ID: z.string().trim().min(1).optional(),
    AUTH_SCOPE: z.string().trim().min(1).optional(),
    AUTH_AUTHORITY: z.url().default('https://login.microsoftonline.com/organizations'),
    /** Origins allowed to call the API from a browser besides the API's own origin (comma separated). */
    CORS_ORIGINS: z.string().optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Log lines as JSON (one object a line) or readable; unset: readable in a terminal, JSON otherwise. */
    LOG_FORMAT: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['json', 'pretty']).optional()),
    /** Serve HTTPS with the office-addin-dev-certs certificates (npm run start:https sets it). */
    HTTPS: z.enum(['true', 'false']).default('false'),
    /** Where localhost.crt and localhost.key are (office-addin-dev-certs makes them there). */
    HTTPS_CERT_DIR: z.string().trim().min(1).optional(),
    /** Seed the demo data into an empty database (default on). */
    TERTIAL_SEED_DEMO: z.enum(['true', 'false']).default('true'),
    NODE_ENV: z.string().optional(),
  })
  .superRefine((env, ctx) => {
    const auth = [env.AUTH_JWKS_URL, env.AUTH_ISSUER, env.AUTH_AUDIENCE];
    const set = auth.filter((v) => v !== undefined).length;
    if (set === 0 && isProductionEnv(env.NODE_ENV)) {
      // Development auth trusts a key file in the data directory: never by accident in production.
      ctx.addIssue({ code: 'custom', path: ['AUTH_JWKS_URL'], message: 'NODE_ENV=production needs AUTH_JWKS_URL, AUTH_ISSUER and AUTH_AUDIENCE' });
    }
    if (set !== 0 && set !== 3) {
      for (const key of ['AUTH_JWKS_URL', 'AUTH_ISSUER', 'AUTH_AUDIENCE'] as const) {
        if (env[key] === undefined) {
          ctx.addIssue({ code: 'custom', path: [key], message: 'must be set together with the other AUTH_* variables' });
        }
      }
    }
    const jwksProblem = env.AUTH_JWKS_URL && jwksUrlProblem(env.AUTH_JWKS_URL);
    if (jwksProblem) ctx.addIssue({ code: 'custom', path: ['AUTH_JWKS_URL'], message: jwksProblem });
    if ((env.AUTH_CLIENT_ID === undefined) !== (env.AUTH_SCOPE === undefined)) {
      ctx.addIssue({ code: 'custom', path: [env.AUTH_CLIENT_ID ? 'AUTH_SCOPE' : 'AUTH_CLIENT_ID'], message: 'AUTH_CLIENT_ID and AUTH_SCOPE go together' });
    }
    if (env.PUBLIC_URL) {
      const url = parseUrl(env.PUBLIC_URL);
      // It lands in the manifest's XML attributes: no characters that would need escaping there.
      if (!url || !['http:', 'https:'].includes(url.protocol) || url.username || url.password || url.search || url.hash || /["'<>&\s]/.test(env.PUBLIC_URL)) {
        ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'must be an http(s) origin such as https://tertial.example.se, without user, query or fragment' });
      }
    }
    if (env.DATABASE_URL && !/^postgres(ql)?:\/\//.test(env.DATABASE_URL)) {
      ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'must start with postgres:// or postgresql://' });
    }
  });

export interface AddinSignIn {
  clientId: string;
  authority: string;
  scopes: string[];
}

export type AuthConfig = { mode: 'production'; jwksUrl: string; issuer: string; audience: string; addin?: AddinSignIn } | { mode: 'development' };

export interface Config {
  port: number;
  /** Listen address: loopback under development auth (its tokens are for this machine only), all interfaces under production auth. */
  host: string;
  /** Origin of the served manifest's URLs; undefined: http://localhost:PORT. Never taken from a request. */
  publicUrl: string | undefined;
  dataDir: string;
  databaseUrl: string | undefined;
  auth: AuthConfig;
  corsOrigins: string[];
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** undefined: readable when stdout is a terminal, JSON otherwise. */
  logFormat: 'json' | 'pretty' | undefined;
  /** HTTPS on the listening port with these files; undefined: plain HTTP (behind a TLS proxy in production). */
  https: HttpsFiles | undefined;
  seedDemo: boolean;
}

/** The certificate files `office-addin-dev-certs` writes (in ~/.office-addin-dev-certs by default). */
export interface HttpsFiles {
  certFile: string;
  keyFile: string;
  /** The development CA that signed the certificate; clients trust it, the server does not read it. */
  caFile: string;
}

/** office-addin-dev-certs' own default directory. */
export const DEV_CERT_DIR = path.join(os.homedir(), '.office-addin-dev-certs');

export function httpsFilesIn(dir: string): HttpsFiles {
  const at = path.resolve(dir);
  return { certFile: path.join(at, 'localhost.crt'), keyFile: path.join(at, 'localhost.key'), caFile: path.join(at, 'ca.crt') };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once at start; a bad value names its variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`));
  }
  const e = parsed.data;
  const auth: AuthConfig =
    e.AUTH_JWKS_URL && e.AUTH_ISSUER && e.AUTH_AUDIENCE
      ? {
          mode: 'production',
          jwksUrl: e.AUTH_JWKS_URL,
          issuer: e.AUTH_ISSUER,
          audience: e.AUTH_AUDIENCE,
          ...(e.AUTH_CLIENT_ID && e.AUTH_SCOPE ? { addin: { clientId: e.AUTH_CLIENT_ID, authority: e.AUTH_AUTHORITY, scopes: [e.AUTH_SCOPE] } } : {}),
        }
      : { mode: 'development' };
  return {
    port: e.PORT,
    host: e.HOST ?? (auth.mode === 'production' ? '0.0.0.0' : '127.0.0.1'),
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    dataDir: path.resolve(e.TERTIAL_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    auth,
    corsOrigins: (e.CORS_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    https: e.HTTPS === 'true' ? httpsFilesIn(e.HTTPS_CERT_DIR ?? DEV_CERT_DIR) : undefined,
    seedDemo: e.TERTIAL_SEED_DEMO === 'true',
  };
}
