import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { SignJWT, exportJWK, generateKeyPair, importJWK, type CryptoKey } from 'jose';
import pino from 'pino';
import request from 'supertest';
import { ConfigError, loadConfig } from '../../api/config';
import { DEV_AUDIENCE, DEV_ISSUER } from '../../api/auth/dev-key';
import { createVerifier } from '../../api/auth/verifier';
import { createApp } from '../../api/http/app';
import { startTestApi, type TestApi } from '../support/app';
import { testDatabaseKind } from '../support/db';

/** Tokens must expire, development auth never runs in production, keys come over https, and our request ids are ours. */
const ISSUER = 'https://login.example/tenant/v2.0';
const AUDIENCE = 'api://tertial';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe(`auth hardening on ${testDatabaseKind}`, () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  test('a development token without exp is refused (401)', async () => {
    const jwk = JSON.parse(fs.readFileSync(path.join(api.dataDir, 'dev-signing-key.json'), 'utf8'));
    const key = await importJWK(jwk, 'ES256');
    const forever = await new SignJWT({ roles: ['central'], orgs: [], name: 'Evig' })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('forever')
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setIssuedAt()
      .sign(key);
    const res = await request(api.app).get('/api/v1/me').auth(forever, { type: 'bearer' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  describe('the production (Entra ID) verifier, against keys served on this machine', () => {
    let server: http.Server;
    let jwksUrl: string;
    let privateKey: CryptoKey;
    beforeAll(async () => {
      const pair = await generateKeyPair('RS256', { extractable: true });
      privateKey = pair.privateKey;
      const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] });
      server = http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(jwks));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const entraToken = (expires: boolean) => {
      const jwt = new SignJWT({ roles: ['Tertial.Central'], name: 'Eva' })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setSubject('eva')
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt();
      return (expires ? jwt.setExpirationTime('1h') : jwt).sign(privateKey);
    };

    test('a token with exp is accepted; the same token without exp is refused', async () => {
      const verify = await createVerifier({ mode: 'production', jwksUrl, issuer: ISSUER, audience: AUDIENCE }, api.dataDir);
      await expect(verify(await entraToken(true))).resolves.toMatchObject({ sub: 'eva', roles: ['central'] });
      await expect(verify(await entraToken(false))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    });

    test('AUTH_JWKS_URL must be https; plain http only on loopback (config and verifier alike)', async () => {
      const production = (jwksUrl: string) => createVerifier({ mode: 'production', jwksUrl, issuer: ISSUER, audience: AUDIENCE }, api.dataDir);
      const config = (url: string) => () => loadConfig({ AUTH_JWKS_URL: url, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE });
      for (const url of ['http://login.example/keys', 'http://10.0.0.5/keys', 'ftp://login.example/keys']) {
        await expect(production(url)).rejects.toThrow(/AUTH_JWKS_URL must be an https:\/\/ URL/);
        expect(config(url)).toThrow(/AUTH_JWKS_URL: must be an https:\/\/ URL/);
      }
      for (const url of ['https://login.microsoftonline.com/t/discovery/v2.0/keys', 'http://localhost:8080/keys', 'http://127.0.0.1/keys', 'http://[::1]:9000/keys']) {
        await expect(production(url)).resolves.toBeInstanceOf(Function);
        expect(config(url)().auth.mode).toBe('production');
      }
    });
  });

  test.each(['production', 'Production', ' PRODUCTION ', 'production\n'])('development auth is refused when NODE_ENV is %j', async (nodeEnv) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tertial-auth-'));
    try {
      await expect(createVerifier({ mode: 'development' }, dataDir, nodeEnv)).rejects.toThrow(/development auth refused/);
      expect(() => loadConfig({ NODE_ENV: nodeEnv })).toThrow(ConfigError);
      expect(fs.readdirSync(dataDir)).toEqual([]); // no signing key made either
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  describe('request ids', () => {
    test('we always make our own; a valid client id is echoed and logged apart, never taken as ours', async () => {
      const lines: string[] = [];
      const sink = new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      });
      const app = createApp({
        db: api.database.db,
        databaseKind: api.database.kind,
        verify: async () => {
          throw new Error('unused');
        },
        logger: pino({ level: 'debug' }, sink),
      });
      const res = await request(app).get('/api/v1/health').set('X-Request-Id', 'client-abc.123');
      expect(res.headers['x-request-id']).toMatch(UUID);
      expect(res.headers['x-client-request-id']).toBe('client-abc.123');
      const logged = lines.map((l) => JSON.parse(l)).find((l) => l.req?.url === '/api/v1/health')!;
      expect(logged).toMatchObject({ req: { id: res.headers['x-request-id'] }, clientRequestId: 'client-abc.123' });

      for (const invalid of ['a b', 'x'.repeat(101), '<script>', 'ä']) {
        const other = await request(app).get('/api/v1/health').set('X-Request-Id', invalid);
        expect(other.headers['x-request-id']).toMatch(UUID);
        expect(other.headers['x-client-request-id']).toBeUndefined();
      }
    });

    test('the change history records our request id, not the client’s', async () => {
      const central = await api.token('central');
      const url = '/api/v1/years/2022/organisations/sdn-farsta/reports/T1';
      const report = (await request(api.app).get(url).auth(central, { type: 'bearer' })).body;
      const row = report.indicators[0];
      const res = await request(api.app)
        .put(url)
        .auth(central, { type: 'bearer' })
        .set('X-Request-Id', 'same-id-for-everything')
        .send({ indicators: [{ indicatorId: row.indicatorId, baseVersion: row.version, outcome: 3 }] });
      expect(res.status).toBe(200);
      const history = (await request(api.app).get(`${url}/history`).auth(central, { type: 'bearer' })).body as Array<{ requestId: string }>;
      expect(history.at(-1)!.requestId).toBe(res.headers['x-request-id']);
      expect(history.at(-1)!.requestId).not.toBe('same-id-for-everything');
    });
  });
});
