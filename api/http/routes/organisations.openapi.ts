import { z } from 'zod';
import { MeSchema, OrganisationSchema } from '../../../core/contract/common';
import { ok, type OpenApiRoutes } from '../openapi-kit';

const Me = MeSchema.meta({ id: 'Me' });
const Organisations = z.array(OrganisationSchema).meta({ id: 'Organisations' });

/** OpenAPI for organisations.ts. */
export function registerOrganisationsOpenApi(doc: OpenApiRoutes): void {
  const tag = doc.tag('Organisations', 'The signed-in user and the organisations (nämnder and bolag).');
  doc.operation({
    method: 'get',
    path: '/me',
    operationId: 'getMe',
    tag,
    summary: 'The signed-in user and the organisations they report for (all of them for the centre)',
    ok: ok.json(Me),
  });
  doc.operation({
    method: 'get',
    path: '/organisations',
    operationId: 'listOrganisations',
    tag,
    summary: 'All organisations',
    ok: ok.json(Organisations),
  });
}
