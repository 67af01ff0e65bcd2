import { ConfigError, loadConfig } from '../api/config';

describe('configuration', () => {
  test('defaults: port 3000, ./data, embedded database, development auth', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.dataDir).toMatch(/\/data$/);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.auth).toEqual({ mode: 'development' });
  });

  test('development auth listens on loopback by default; production auth on all interfaces; HOST decides when set', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    const production = {
      AUTH_JWKS_URL: 'https://login.microsoftonline.com/t/discovery/v2.0/keys',
      AUTH_ISSUER: 'https://login.microsoftonline.com/t/v2.0',
      AUTH_AUDIENCE: 'api://tertial',
    };
    expect(loadConfig(production).host).toBe('0.0.0.0');
    expect(loadConfig({ ...production, HOST: '::' }).host).toBe('::');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  test('PUBLIC_URL: an http(s) origin, without a trailing slash; unset by default', () => {
    expect(loadConfig({}).publicUrl).toBeUndefined();
    expect(loadConfig({ PUBLIC_URL: 'https://tertial.stad.example/' }).publicUrl).toBe('https://tertial.stad.example');
    expect(loadConfig({ PUBLIC_URL: 'https://proxy.example/tertial' }).publicUrl).toBe('https://proxy.example/tertial');
  });

  test('a real server and production auth when configured', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://u@db:5432/tertial',
      AUTH_JWKS_URL: 'https://login.microsoftonline.com/t/discovery/v2.0/keys',
      AUTH_ISSUER: 'https://login.microsoftonline.com/t/v2.0',
      AUTH_AUDIENCE: 'api://tertial',
    });
    expect(config.port).toBe(8080);
    expect(config.databaseUrl).toBe('postgres://u@db:5432/tertial');
    expect(config.auth).toMatchObject({ mode: 'production', audience: 'api://tertial' });
    expect(config.auth).not.toHaveProperty('addin');
  });

  test("the add-in's sign-in (nested app authentication) comes with production auth", () => {
    const config = loadConfig({
      AUTH_JWKS_URL: 'https://login.microsoftonline.com/t/discovery/v2.0/keys',
      AUTH_ISSUER: 'https://login.microsoftonline.com/t/v2.0',
      AUTH_AUDIENCE: 'api://tertial',
      AUTH_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
      AUTH_SCOPE: 'api://tertial/access_as_user',
    });
    expect(config.auth).toMatchObject({
      addin: { clientId: '11111111-2222-3333-4444-555555555555', authority: 'https://login.microsoftonline.com/organizations', scopes: ['api://tertial/access_as_user'] },
    });
  });

  test.each([
    [{ PORT: 'tre tusen' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'inte en url' }, 'DATABASE_URL'],
    [{ AUTH_ISSUER: 'https://issuer' }, 'AUTH_JWKS_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ AUTH_CLIENT_ID: 'abc' }, 'AUTH_SCOPE'],
    [{ NODE_ENV: 'production' }, 'AUTH_JWKS_URL'],
    [{ HOST: 'en värd' }, 'HOST'],
    [{ PUBLIC_URL: 'tertial.stad.example' }, 'PUBLIC_URL'],
    [{ PUBLIC_URL: 'ftp://tertial.stad.example' }, 'PUBLIC_URL'],
    [{ PUBLIC_URL: 'https://tertial.stad.example/?a=1&b="x"' }, 'PUBLIC_URL'],
    [{ PUBLIC_URL: 'https://user:secret@tertial.stad.example' }, 'PUBLIC_URL'],
  ])('%p stops the start naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (e) {
      expect((e as ConfigError).message).toContain(variable);
    }
  });
});
