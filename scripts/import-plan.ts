import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../api/config';
import { PlanDocumentSchema, type PlanDocument } from '../core/contract/plan';
import { openDatabase } from '../api/db/connection';
import { DatabaseLockedError } from '../api/db/lock';
import { migrateToLatest } from '../api/db/migrate';
import { importPlan, PlanReferenceError } from '../api/db/plan-import';
import { loadOrCreateDevKeys } from '../api/auth/dev-key';
import { signDevToken } from '../api/auth/verifier';

const USAGE = [
  'användning: npm run import -- FIL.json              (direkt i databasen; servern får inte köra på den inbäddade databasen)',
  '            npm run import -- --url http://localhost:3000 FIL.json [--token TOKEN]   (genom en körande server, som central)',
].join('\n');

/**
 * npm run import -- FILE.json: loads a plan document (the shape of data-seed/reference-budget.json)
 * into the configured database. Every problem is named by its path; nothing is written on error.
 * With --url it PUTs the document to a running API instead (PUT /api/v1/years/{year}/plan),
 * which is how to import while the server holds the embedded database.
 */
async function main(): Promise<number> {
  let args: { url?: string; token?: string; file?: string };
  try {
    const { values, positionals } = parseArgs({
      options: { url: { type: 'string' }, token: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length !== 1) throw new Error('ange exakt en FIL.json');
    args = { ...values, file: positionals[0] };
  } catch (e) {
    console.error(`import: ${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
    return 2;
  }
  const file = args.file!;
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    console.error(`${file}: cannot read as JSON: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  const parsed = PlanDocumentSchema.safeParse(raw);
  if (!parsed.success) {
    console.error(`${file}: not a valid plan document; nothing was written:`);
    for (const issue of parsed.error.issues) console.error(`  ${issue.path.join('.') || '(document)'}: ${issue.message}`);
    return 1;
  }
  const config = loadConfig();
  if (args.url !== undefined) return importThroughApi(file, args.url, raw, parsed.data.year, args.token ?? process.env.TERTIAL_TOKEN, config.dataDir);

  let database;
  try {
    database = await openDatabase(config.databaseUrl ? { kind: 'postgres', url: config.databaseUrl } : { kind: 'pglite', dataDir: path.join(config.dataDir, 'pglite') });
  } catch (e) {
    if (e instanceof DatabaseLockedError) {
      console.error(`${e.message}\n\nInget har skrivits. Importera genom den körande servern i stället:\n  npm run import -- --url http://localhost:${config.port} ${file}`);
      return 1;
    }
    throw e;
  }
  try {
    await migrateToLatest(database.db);
    const summary = await importPlan(database.db, parsed.data);
    console.log(JSON.stringify(summary));
    return 0;
  } catch (e) {
    if (e instanceof PlanReferenceError) {
      console.error(`${file}: ${e.message}; nothing was written`);
      return 1;
    }
    throw e;
  } finally {
    await database.close();
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: { field?: string; message?: string }[] };
}

/**
 * PUT the document (as read: the API validates it again) to a running API. The token is a
 * central one: given (--token or TERTIAL_TOKEN, e.g. from Entra ID), or signed with the
 * development key in TERTIAL_DATA_DIR (the server's own, in development auth).
 */
async function importThroughApi(file: string, url: string, document: unknown, year: PlanDocument['year'], token: string | undefined, dataDir: string): Promise<number> {
  let endpoint: URL;
  try {
    endpoint = new URL(`/api/v1/years/${year}/plan`, url);
  } catch {
    console.error(`import: --url ${url} är ingen adress (t.ex. http://localhost:3000)`);
    return 2;
  }
  const bearer = token ?? (await signDevToken(await loadOrCreateDevKeys(dataDir), { sub: 'import', name: 'Planimport', roles: ['central'], orgs: [], expiresIn: '5m' }));
  let res: Response;
  try {
    res = await fetch(endpoint, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(document),
      signal: AbortSignal.timeout(300_000),
    });
  } catch (e) {
    console.error(`import: når inte ${endpoint.origin}: ${e instanceof Error ? e.message : String(e)}; inget har skrivits`);
    return 1;
  }
  if (res.ok) {
    console.log(JSON.stringify({ year, url: endpoint.toString(), status: res.status }));
    return 0;
  }
  const body = (await res.json().catch(() => ({}))) as ErrorBody;
  console.error(`${file}: ${endpoint} svarade ${res.status} ${body.error?.code ?? ''}: ${body.error?.message ?? res.statusText}`);
  for (const d of body.error?.details ?? []) console.error(`  ${d.field ?? '(document)'}: ${d.message ?? ''}`);
  if (res.status === 401 || res.status === 403) {
    console.error(
      'API:t vill ha en token med rollen central: --token TOKEN (eller TERTIAL_TOKEN). Utan den signeras en utvecklingstoken med nyckeln i TERTIAL_DATA_DIR, och den godtar bara en server i utvecklingsläge med samma datakatalog.',
    );
  }
  return 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
