import path from 'node:path';
import { z } from 'zod';

const optionalUrl = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .pipe(z.url().optional());

const EnvSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
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
    /** Seed the demo data into an empty database (default on). */
    TERTIAL_SEED_DEMO: z.enum(['true', 'false']).default('true'),
    NODE_ENV: z.string().optional(),
  })
  .superRefine((env, ctx) => {
    const auth = [env.AUTH_JWKS_URL, env.AUTH_ISSUER, env.AUTH_AUDIENCE];
    const set = auth.filter((v) => v !== undefined).length;
    if (set === 0 && env.NODE_ENV === 'production') {
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
    if ((env.AUTH_CLIENT_ID === undefined) !== (env.AUTH_SCOPE === undefined)) {
      ctx.addIssue({ code: 'custom', path: [env.AUTH_CLIENT_ID ? 'AUTH_SCOPE' : 'AUTH_CLIENT_ID'], message: 'AUTH_CLIENT_ID and AUTH_SCOPE go together' });
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

export type AuthConfig =
  | { mode: 'production'; jwksUrl: string; issuer: string; audience: string; addin?: AddinSignIn }
  | { mode: 'development' };

export interface Config {
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  auth: AuthConfig;
  corsOrigins: string[];
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  seedDemo: boolean;
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
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    dataDir: path.resolve(e.TERTIAL_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    auth:
      e.AUTH_JWKS_URL && e.AUTH_ISSUER && e.AUTH_AUDIENCE
        ? {
            mode: 'production',
            jwksUrl: e.AUTH_JWKS_URL,
            issuer: e.AUTH_ISSUER,
            audience: e.AUTH_AUDIENCE,
            ...(e.AUTH_CLIENT_ID && e.AUTH_SCOPE
              ? { addin: { clientId: e.AUTH_CLIENT_ID, authority: e.AUTH_AUTHORITY, scopes: [e.AUTH_SCOPE] } }
              : {}),
          }
        : { mode: 'development' },
    corsOrigins: (e.CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    logLevel: e.LOG_LEVEL,
    seedDemo: e.TERTIAL_SEED_DEMO === 'true',
  };
}
