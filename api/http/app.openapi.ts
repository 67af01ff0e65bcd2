import { HealthSchema, SignInConfigSchema } from '../../core/contract/common';
import { ok, type OpenApiRoutes } from './openapi-kit';

const Health = HealthSchema.meta({ id: 'Health' });
const SignInConfig = SignInConfigSchema.meta({ id: 'SignInConfig' });

/** The routes app.ts serves itself: public, no bearer token. */
export function registerAppOpenApi(doc: OpenApiRoutes): void {
  const tag = doc.tag('System', 'Health, sign-in configuration and this description; public.');
  doc.operation({
    method: 'get',
    path: '/health',
    operationId: 'getHealth',
    tag,
    public: true,
    summary: 'Liveness and database kind',
    ok: ok.json(Health),
  });
  doc.operation({
    method: 'get',
    path: '/auth-config',
    operationId: 'getAuthConfig',
    tag,
    public: true,
    summary: 'How the task pane signs in (development token or Entra ID nested app authentication)',
    ok: ok.json(SignInConfig),
  });
  doc.operation({
    method: 'get',
    path: '/openapi.json',
    root: true,
    operationId: 'getOpenApiDocument',
    tag,
    public: true,
    summary: 'This API as OpenAPI 3.1, generated from the zod schemas the server parses with',
    ok: { description: 'OpenAPI 3.1 document', content: { 'application/json': { schema: { type: 'object' } } } },
  });
  doc.operation({
    method: 'get',
    path: '/docs',
    root: true,
    operationId: 'getApiDocs',
    tag,
    public: true,
    summary: 'This API as a readable page',
    ok: ok.html('HTML page'),
  });
}
