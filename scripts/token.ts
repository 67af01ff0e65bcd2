import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEV_CERT_DIR, httpsFilesIn, loadConfig } from '../api/config';
import { loadOrCreateDevKeys } from '../api/auth/dev-key';
import { signDevToken } from '../api/auth/verifier';
import { OrganisationCodeSchema, RoleSchema } from '../core/contract/common';

/**
 * npm run --silent token -- --role controller --org sdn-farsta [--org …] [--sub id] [--name "…"] [--expires 12h] [--url URL]
 *
 * Prints a development token alone on stdout (signed with the key in TERTIAL_DATA_DIR). The --org
 * codes are checked against the organisations of the running server (GET /api/v1/organisations,
 * asked with a one-minute central token of the same key): an unknown one is refused. This command
 * never opens the embedded database itself, since the server holds it (one opener at a time):
 * when no server answers, the codes cannot be checked and it says so on stderr, and the token is
 * made anyway. On PostgreSQL (DATABASE_URL) it then asks the database directly.
 */
const ArgsSchema = z
  .object({
    role: z.array(RoleSchema).min(1, 'give --role controller or --role central'),
    org: z.array(OrganisationCodeSchema).default([]),
    sub: z.string().min(1).optional(),
    name: z.string().min(1).optional(),
    expires: z
      .string()
      .regex(/^\d+[smhd]$/, 'e.g. 12h')
      .default('12h'),
    url: z.url().optional(),
  })
  .refine((a) => !a.role.includes('controller') || a.org.length > 0, { message: 'a controller needs at least one --org', path: ['org'] });

type Known = { codes: string[]; from: string } | { problem: string };

/** GET with a bearer token; over https trusting the development CA when the server uses the dev certificates. */
function getJson(url: URL, token: string, ca: Buffer | undefined): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const get = url.protocol === 'https:' ? https.get : http.get;
    const req = get(url, { headers: { Authorization: `Bearer ${token}` }, timeout: 3_000, agent: false, ...(ca ? { ca } : {}) }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
        } catch {
          resolve({ status: res.statusCode ?? 0, body: undefined });
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('no answer within 3 s')));
    req.on('error', reject);
  });
}

async function organisationsFromServer(base: string, caFile: string, central: string): Promise<Known> {
  const url = new URL('/api/v1/organisations', base);
  const ca = url.protocol === 'https:' && fs.existsSync(caFile) ? fs.readFileSync(caFile) : undefined;
  try {
    const { status, body } = await getJson(url, central, ca);
    const parsed = z.array(z.object({ code: z.string() })).safeParse(body);
    if (status === 200 && parsed.success) return { codes: parsed.data.map((o) => o.code), from: url.origin };
    if (status === 401) return { problem: `${url.origin} svarade 401: servern använder en annan datakatalog (TERTIAL_DATA_DIR) eller Entra ID` };
    return { problem: `${url} svarade ${status}` };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { problem: `ingen Tertial-server svarar på ${url.origin} (${code ?? (e instanceof Error ? e.message : String(e))})` };
  }
}

async function organisationsFromPostgres(databaseUrl: string): Promise<Known> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ code: string }>('select code from organisation');
    return { codes: rows.map((r) => r.code), from: 'DATABASE_URL' };
  } catch (e) {
    return { problem: `PostgreSQL (DATABASE_URL): ${e instanceof Error ? e.message : String(e)}` };
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', multiple: true },
      org: { type: 'string', multiple: true },
      sub: { type: 'string' },
      name: { type: 'string' },
      expires: { type: 'string' },
      url: { type: 'string' },
    },
    strict: true,
  });
  const args = ArgsSchema.safeParse({ ...values, role: values.role ?? [], url: values.url ?? process.env.TERTIAL_URL });
  if (!args.success) {
    for (const issue of args.error.issues) console.error(`token: --${issue.path.join('.') || 'args'}: ${issue.message}`);
    return 2;
  }
  const { role, org, expires } = args.data;
  const config = loadConfig();
  const keys = await loadOrCreateDevKeys(config.dataDir);

  if (org.length > 0) {
    // The server this shell would talk to: --url, else localhost:PORT over http, or https as `npm run start:https` serves it.
    const caFile = (config.https ?? httpsFilesIn(process.env.HTTPS_CERT_DIR ?? DEV_CERT_DIR)).caFile;
    const bases = args.data.url ? [args.data.url] : config.https ? [`https://localhost:${config.port}`] : [`http://localhost:${config.port}`, `https://localhost:${config.port}`];
    const central = await signDevToken(keys, { sub: 'token-check', name: 'Token', roles: ['central'], orgs: [], expiresIn: '1m' });
    let known: Known = { problem: 'no server' };
    for (const base of bases) {
      known = await organisationsFromServer(base, caFile, central);
      // Refused: nothing listens there at all; anything else (a TLS server asked in plain http) may be the other scheme.
      if ('codes' in known || known.problem.includes('ECONNREFUSED')) break;
    }
    if ('problem' in known && config.databaseUrl) {
      const fromDatabase = await organisationsFromPostgres(config.databaseUrl);
      if ('codes' in fromDatabase) known = fromDatabase;
    }
    if ('codes' in known) {
      const unknown = org.filter((o) => !known.codes.includes(o));
      if (unknown.length > 0) {
        for (const code of unknown) {
          const near = known.codes.filter((c) => c.includes(code) || code.includes(c));
          console.error(
            `token: okänd organisation ${code} (unknown organisation; ${known.from} has ${known.codes.length})${near.length > 0 ? `. Menade du: ${near.slice(0, 5).join(', ')}?` : ''}`,
          );
        }
        console.error(`token: organisationerna finns i GET /api/v1/organisations; ingen token skapad.`);
        return 2;
      }
    } else {
      console.error(
        `token: --org ${org.join(', ')} kunde inte kontrolleras: ${known.problem}. Token skapad ändå. ` +
          '(The organisation codes could not be checked: start the server first, or give --url.)',
      );
    }
  }

  const sub = args.data.sub ?? `dev-${role.join('-')}-${org[0] ?? 'all'}`;
  const name = args.data.name ?? (role.includes('central') ? 'Central utvecklare' : `Controller ${org.join(', ')}`);
  process.stdout.write(`${await signDevToken(keys, { sub, name, roles: role, orgs: org, expiresIn: expires })}\n`);
  return 0;
}

main().then(
  // Not process.exit: stdout may be a pipe still taking the token.
  (code) => void (process.exitCode = code),
  (e: unknown) => {
    console.error(`token: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
