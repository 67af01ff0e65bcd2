import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import cors from 'cors';
import express, { Router } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { TokenVerifier } from '../auth/verifier';
import type { SignInConfig } from '../contract/common';
import { ApiError } from '../errors';
import { authenticate } from './auth';
import type { AppContext } from './context';
import { errorHandler } from './error-handler';
import { buildOpenApiDocument } from './openapi';
import { docsPage } from './docs-page';
import { organisationsRouter } from './routes/organisations';
import { plansRouter } from './routes/plans';
import { reportsRouter } from './routes/reports';

export const JSON_BODY_LIMIT = '5mb';

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

export function createApp(options: AppOptions): express.Express {
  const ctx: AppContext = { db: options.db, databaseKind: options.databaseKind };
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.use(
    pinoHttp({
      logger: options.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
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
      exposedHeaders: ['X-Request-Id', 'Idempotent-Replayed'],
    }),
  );

  const api = Router();
  api.get('/health', async (_req, res) => {
    res.json({ status: 'ok', database: ctx.databaseKind });
  });
  api.get('/auth-config', (_req, res) => {
    res.json(options.signIn ?? { mode: 'development' });
  });
  api.use(express.json({ limit: JSON_BODY_LIMIT, type: ['application/json', 'application/*+json'] }));
  api.use(authenticate(options.verify));
  api.use(organisationsRouter(ctx));
  api.use(plansRouter(ctx));
  api.use(reportsRouter(ctx));
  for (const router of options.routers ?? []) api.use(router(ctx));
  api.use(() => {
    throw new ApiError('NOT_FOUND', 'Det finns ingen sådan adress i API:t.');
  });
  app.use('/api/v1', api);

  const openapi = buildOpenApiDocument();
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.get('/docs', (_req, res) => {
    res.type('html').send(docsPage(openapi));
  });

  if (options.manifestFile && fs.existsSync(options.manifestFile)) {
    const manifest = fs.readFileSync(options.manifestFile, 'utf8');
    app.get('/manifest.xml', (req, res) => {
      const origin = options.publicUrl ?? `${req.protocol}://${req.get('host')}`;
      res.type('application/xml').send(manifest.replaceAll('https://localhost:3000', origin));
    });
  }
  if (options.addinDir && fs.existsSync(options.addinDir)) {
    app.use('/addin', express.static(options.addinDir, { index: 'taskpane.html' }));
    app.get('/', (_req, res) => res.redirect('/addin/taskpane.html'));
  }

  app.use(errorHandler);
  return app;
}
