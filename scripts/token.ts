import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../api/config';
import { loadOrCreateDevKeys } from '../api/auth/dev-key';
import { signDevToken } from '../api/auth/verifier';
import { OrganisationCodeSchema, RoleSchema } from '../api/contract/common';

/** npm run --silent token -- --role controller --org sdn-farsta [--org …] [--sub id] [--name "…"] */
const ArgsSchema = z
  .object({
    role: z.array(RoleSchema).min(1, 'give --role controller or --role central'),
    org: z.array(OrganisationCodeSchema).default([]),
    sub: z.string().min(1).optional(),
    name: z.string().min(1).optional(),
    expires: z.string().regex(/^\d+[smhd]$/, 'e.g. 12h').default('12h'),
  })
  .refine((a) => !a.role.includes('controller') || a.org.length > 0, { message: 'a controller needs at least one --org', path: ['org'] });

async function main() {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', multiple: true },
      org: { type: 'string', multiple: true },
      sub: { type: 'string' },
      name: { type: 'string' },
      expires: { type: 'string' },
    },
    strict: true,
  });
  const args = ArgsSchema.safeParse({ ...values, role: values.role ?? [] });
  if (!args.success) {
    for (const issue of args.error.issues) console.error(`token: --${issue.path.join('.') || 'args'}: ${issue.message}`);
    process.exit(2);
  }
  const { role, org, expires } = args.data;
  const sub = args.data.sub ?? `dev-${role.join('-')}-${org[0] ?? 'all'}`;
  const name = args.data.name ?? (role.includes('central') ? 'Central utvecklare' : `Controller ${org.join(', ')}`);
  const keys = await loadOrCreateDevKeys(loadConfig().dataDir);
  process.stdout.write(`${await signDevToken(keys, { sub, name, roles: role, orgs: org, expiresIn: expires })}\n`);
}

main().catch((e: unknown) => {
  console.error(`token: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
