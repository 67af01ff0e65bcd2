import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { registerAppOpenApi } from './app.openapi';
import { OpenApiRoutes } from './openapi-kit';
import { registerCentreOpenApi } from './routes/centre.openapi';
import { registerOrganisationsOpenApi } from './routes/organisations.openapi';
import { registerPlanReviewOpenApi } from './routes/plan-review.openapi';
import { registerPlansOpenApi } from './routes/plans.openapi';
import { registerReportsOpenApi } from './routes/reports.openapi';
import { registerWorkbooksOpenApi } from './routes/workbooks.openapi';

/** Each router registers its own paths beside it (routes/*.openapi.ts); this only assembles them. */
const REGISTRATIONS: Array<(doc: OpenApiRoutes) => void> = [
  registerAppOpenApi,
  registerOrganisationsOpenApi,
  registerPlansOpenApi,
  registerPlanReviewOpenApi,
  registerReportsOpenApi,
  registerWorkbooksOpenApi,
  registerCentreOpenApi,
];

let built: object | undefined;

/** The served OpenAPI 3.1 document, generated from the same zod schemas the code parses with. */
export function buildOpenApiDocument(): object {
  return (built ??= generate());
}

function generate(): object {
  const registry = new OpenAPIRegistry();
  const doc = new OpenApiRoutes(registry);
  for (const register of REGISTRATIONS) register(doc);
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Tertial API',
      version: '1.0.0',
      description: 'Sync API for goal management and follow-up (ILS). Every error is `{"error": {"code", "message", "details"}}`; ' + 'messages are Swedish, codes are stable.',
    },
    servers: [{ url: '/' }],
    tags: doc.tags,
    security: [{ bearer: [] }],
  });
}
