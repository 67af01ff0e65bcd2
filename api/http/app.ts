import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import cors from 'cors';
import express, { Router } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { TokenVerifier } from '../auth/verifier';
import type { SignInConfig } from '../../core/contract/common';
import { ApiError } from '../errors';
import { authenticate } from './auth';
import type { AppContext } from './context';
import { errorHandler } from './error-handler';
import { BODY_LIMITS, jsonBody } from './json-body';
import { buildOpenApiDocument } from './openapi';
import { docsPage } from './docs-page';
import { organisationsRouter } from './routes/organisations';
import { planReviewRouter } from './routes/plan-review';
import { plansRouter } from './routes/plans';
import { reportsRouter } from './routes/reports';

export interface AppOptions extends AppContext {
  verify: TokenVerifier;
  /** What the task pane needs to sign in (public: it holds no secret). */
  signIn?: SignInConfig;
  logger: Logger;
  corsOrigins?: string[];
  /** The built add-in (task pane) to serve, if built. */
  addinDir?: string;
  /** manifest.xml to serve, with its localhost URLs rewritten to the public origin. */
  manifestFile?: string;
  publicUrl?: string;
  /** Extra routers mounted under /api/v1 after authentication. */
  routers?: Array<(ctx: AppContext) => Router>;
}

/** Office on the web hosts the task pane in an iframe on these origins. */
const OFFICE_FRAME_ANCESTORS = [
  "'self'",
  'https://*.officeapps.live.com',
  'https://*.office.com',
  'https://*.office365.com',
  'https://*.microsoft365.com',
  'https://*.sharepoint.com',
  'https://*.cloud.microsoft',
];

/**
 * A caller's own X-Request-Id, if it looks like one: logged and echoed as its own field
 * (clientRequestId), never used as our request id, which we always make ourselves.
 */
export function clientRequestId(req: IncomingMessage): string | undefined {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && /^[\w.:-]{1,100}$/.test(incoming) ? incoming : undefined;
}

export function createApp(options: AppOptions): express.Express {
  const ctx: AppContext = { db: options.db, databaseKind: options.databaseKind };
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.use(
    pinoHttp({
      logger: options.logger,
      genReqId: (req, res) => {
        const id = randomUUID();
        res.setHeader('X-Request-Id', id);
        const client = clientRequestId(req);
        if (client) res.setHeader('X-Client-Request-Id', client);
        return id;
      },
      customProps: (req) => {
        const client = clientRequestId(req);
        return client ? { clientRequestId: client } : {};
      },
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug'),
    }),
  );
  app.use(
    helmet({
      frameguard: false,
      contentSecurityPolicy: {
        directives: {
          'script-src': ["'self'", 'https://appsforoffice.microsoft.com'],
          'connect-src': ["'self'", 'https://login.microsoftonline.com'],
          'img-src': ["'self'", 'data:'],
          'frame-ancestors': OFFICE_FRAME_ANCESTORS,
        },
      },
    }),
  );
  app.use(
    cors({
      origin: options.corsOrigins && options.corsOrigins.length > 0 ? options.corsOrigins : false,
      allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
      exposedHeaders: ['X-Request-Id', 'X-Client-Request-Id', 'Idempotent-Replayed'],
    }),
  );

  const api = Router();
  api.get('/health', async (_req, res) => {
    res.json({ status: 'ok', database: ctx.databaseKind });
  });
  api.get('/auth-config', (_req, res) => {
    res.json(options.signIn ?? { mode: 'development' });
  });
  // The token first: an anonymous caller makes us read no body at all.
  api.use(authenticate(options.verify));
  api.put('/years/:year/organisations/:org/reports/:period', jsonBody(BODY_LIMITS.reportWrite));
  api.put('/years/:year/plan', jsonBody(BODY_LIMITS.plan));
  api.put('/years/:year/organisations/:org/targets', jsonBody(BODY_LIMITS.targets));
  api.use(jsonBody(BODY_LIMITS.other));
  api.use(organisationsRouter(ctx));
  api.use(plansRouter(ctx));
  api.use(planReviewRouter(ctx));
  api.use(reportsRouter(ctx));
  for (const router of options.routers ?? []) api.use(router(ctx));
  api.use(() => {
    throw new ApiError('NOT_FOUND', 'Det finns ingen sådan adress i API:t.');
  });
  app.use('/api/v1', api);

  // Generated on the first request (then kept): about half a second of CPU a start need not spend.
  app.get('/openapi.json', (_req, res) => {
    res.json(buildOpenApiDocument());
  });
  app.get('/docs', (_req, res) => {
    res.type('html').send(docsPage(buildOpenApiDocument()));
  });

  if (options.manifestFile && fs.existsSync(options.manifestFile)) {
    const manifest = fs.readFileSync(options.manifestFile, 'utf8');
    // The origin comes from configuration only: a Host or X-Forwarded-* header must not steer
    // where Excel loads the add-in from. Without one the file's own URLs are served unchanged.
    const served = options.publicUrl ? manifest.replaceAll('https://localhost:3000', options.publicUrl) : manifest;
    app.get('/manifest.xml', (_req, res) => {
      res.type('application/xml').send(served);
    });
  }
  if (options.addinDir && fs.existsSync(options.addinDir)) {
    app.use('/addin', express.static(options.addinDir, { index: 'taskpane.html' }));
    app.get('/', (_req, res) => res.redirect('/addin/taskpane.html'));
  }

  app.use(errorHandler);
  return app;
}
