import { SignJWT, UnsecuredJWT, exportJWK, generateKeyPair } from 'jose';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { DEV_AUDIENCE, DEV_ISSUER } from '../../api/auth/dev-key';
import { startTestApi, type TestApi } from '../support/app';
import { testDatabaseKind } from '../support/db';

/** Every organisation-scoped route, with a body that would be valid for it. */
const ORG_ROUTES: Array<[method: 'get' | 'put' | 'post', path: (org: string) => string, body?: object]> = [
  ['get', (o) => `/api/v1/years/2022/organisations/${o}/plan`],
  ['put', (o) => `/api/v1/years/2022/organisations/${o}/targets`, { targets: [] }],
  ['get', (o) => `/api/v1/years/2022/organisations/${o}/reports/T1`],
  ['put', (o) => `/api/v1/years/2022/organisations/${o}/reports/T1`, { indicators: [] }],
  ['post', (o) => `/api/v1/years/2022/organisations/${o}/reports/T1/submit`],
  ['post', (o) => `/api/v1/years/2022/organisations/${o}/reports/T1/reopen`],
  ['get', (o) => `/api/v1/years/2022/organisations/${o}/reports/T1/history`],
];

const CENTRAL_ROUTES: Array<[method: 'get' | 'put' | 'post', path: string, body: object | undefined]> = [
  ['put', '/api/v1/years/2022/plan', {}],
  ['put', '/api/v1/years/2022/periods/T1', { state: 'open' }],
  ['get', '/api/v1/years/2022/consolidation/T1', undefined],
];

describe(`auth and access on ${testDatabaseKind}`, () => {
  let api: TestApi;
  let farsta: string;
  beforeAll(async () => {
    api = await startTestApi();
    farsta = await api.token('controller', ['sdn-farsta', 'fn-kultur']);
  });
  afterAll(() => api.close());

  const call = (method: 'get' | 'put' | 'post', url: string, token?: string, body?: object) => {
    const req = request(api.app)[method](url);
    if (token) req.set('Authorization', `Bearer ${token}`);
    return body ? req.send(body) : req;
  };

  test('health needs no token; everything else does (401 in the JSON shape)', async () => {
    expect((await call('get', '/api/v1/health')).status).toBe(200);
    for (const [method, url] of [
      ['get', '/api/v1/me'],
      ['get', '/api/v1/organisations'],
      ['get', '/api/v1/years/2022/plan'],
    ] as const) {
      const res = await call(method, url);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    }
  });

  test.each(ORG_ROUTES.map(([m, p, b]) => [m.toUpperCase(), p(':org'), m, p, b] as const))(
    '%s %s: 401 without token, 403 for another organisation',
    async (_m, _label, method, pathFor, body) => {
      expect((await call(method, pathFor('sdn-farsta'), undefined, body)).status).toBe(401);
      const res = await call(method, pathFor('sdn-jarva'), farsta, body);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    },
  );

  test.each(CENTRAL_ROUTES)('%s %s is for the centre only', async (method, url, body) => {
    const res = await call(method, url, farsta, body);
    expect(res.status).toBe(403);
  });

  test('the centre reads and writes every organisation', async () => {
    const central = await api.token('central');
    for (const org of ['sdn-jarva', 'ab-stokab']) {
      expect((await call('get', `/api/v1/years/2022/organisations/${org}/reports/T1`, central)).status).toBe(200);
      expect((await call('put', `/api/v1/years/2022/organisations/${org}/reports/T1`, central, { indicators: [] })).status).toBe(200);
    }
  });

  test('a controller reads and writes its own organisations, and /me lists them', async () => {
    expect((await call('get', '/api/v1/years/2022/organisations/fn-kultur/reports/T1', farsta)).status).toBe(200);
    const me = await call('get', '/api/v1/me', farsta);
    expect(me.body.organisations.map((o: { code: string }) => o.code).sort()).toEqual(['fn-kultur', 'sdn-farsta']);
    expect(me.body.roles).toEqual(['controller']);
  });

  test('a token with no role touches nothing', async () => {
    const keys = JSON.parse(fs.readFileSync(path.join(api.dataDir, 'dev-signing-key.json'), 'utf8'));
    const { importJWK } = await import('jose');
    const key = await importJWK(keys, 'ES256');
    const token = await new SignJWT({ orgs: ['sdn-farsta'], roles: ['reader'] })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('x')
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setExpirationTime('1h')
      .sign(key);
    expect((await call('get', '/api/v1/years/2022/organisations/sdn-farsta/reports/T1', token)).status).toBe(403);
  });

  describe('bad tokens are refused', () => {
    const signWith = async (alg: string, change: (jwt: SignJWT) => SignJWT, keyFile = true) => {
      const jwk = JSON.parse(fs.readFileSync(path.join(api.dataDir, 'dev-signing-key.json'), 'utf8'));
      const { importJWK } = await import('jose');
      const key = keyFile ? await importJWK(jwk, 'ES256') : (await generateKeyPair(alg)).privateKey;
      const jwt = new SignJWT({ roles: ['central'], orgs: [] }).setProtectedHeader({ alg }).setSubject('mallory').setIssuedAt();
      return change(jwt).sign(key);
    };

    test.each([
      ['wrong issuer', () => signWith('ES256', (j) => j.setIssuer('someone-else').setAudience(DEV_AUDIENCE).setExpirationTime('1h'))],
      ['wrong audience', () => signWith('ES256', (j) => j.setIssuer(DEV_ISSUER).setAudience('other-api').setExpirationTime('1h'))],
      [
        'expired',
        () =>
          signWith('ES256', (j) =>
            j
              .setIssuer(DEV_ISSUER)
              .setAudience(DEV_AUDIENCE)
              .setExpirationTime(Math.floor(Date.now() / 1000) - 60),
          ),
      ],
      ['signed by another key', () => signWith('ES256', (j) => j.setIssuer(DEV_ISSUER).setAudience(DEV_AUDIENCE).setExpirationTime('1h'), false)],
      ['RS256 from another key', () => signWith('RS256', (j) => j.setIssuer(DEV_ISSUER).setAudience(DEV_AUDIENCE).setExpirationTime('1h'), false)],
      ['alg none', async () => new UnsecuredJWT({ roles: ['central'] }).setSubject('mallory').setIssuer(DEV_ISSUER).setAudience(DEV_AUDIENCE).setExpirationTime('1h').encode()],
      [
        'HS256 with the public key as secret (algorithm confusion)',
        async () => {
          const jwk = JSON.parse(fs.readFileSync(path.join(api.dataDir, 'dev-signing-key.json'), 'utf8'));
          const { d: _d, ...pub } = jwk;
          return new SignJWT({ roles: ['central'] })
            .setProtectedHeader({ alg: 'HS256' })
            .setSubject('mallory')
            .setIssuer(DEV_ISSUER)
            .setAudience(DEV_AUDIENCE)
            .setExpirationTime('1h')
            .sign(new TextEncoder().encode(JSON.stringify(pub)));
        },
      ],
      ['garbage', async () => 'not.a.token'],
    ])('%s → 401', async (_name, make) => {
      const res = await call('get', '/api/v1/me', await make());
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    });

    test('a generated key pair is not the server key (sanity of the negative tests)', async () => {
      const { publicKey } = await generateKeyPair('ES256', { extractable: true });
      const jwk = JSON.parse(fs.readFileSync(path.join(api.dataDir, 'dev-signing-key.json'), 'utf8'));
      expect((await exportJWK(publicKey)).x).not.toBe(jwk.x);
    });
  });
});
