import fs from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

export const DEV_ISSUER = 'tertial-dev';
export const DEV_AUDIENCE = 'tertial-api';
export const DEV_ALGORITHM = 'ES256';
const FILE = 'dev-signing-key.json';

export interface DevKeys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

/**
 * The development signing key, kept in the data directory and created on first use.
 * Written with O_EXCL so that a server and the token command starting together agree on one key.
 */
export async function loadOrCreateDevKeys(dataDir: string): Promise<DevKeys> {
  const file = path.join(dataDir, FILE);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    const { privateKey } = await generateKeyPair(DEV_ALGORITHM, { extractable: true });
    const jwk = await exportJWK(privateKey);
    try {
      fs.writeFileSync(file, JSON.stringify({ ...jwk, alg: DEV_ALGORITHM }), { flag: 'wx', mode: 0o600 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  const jwk = JSON.parse(fs.readFileSync(file, 'utf8')) as JWK;
  const { d: _private, ...publicJwk } = jwk;
  return {
    privateKey: (await importJWK(jwk, DEV_ALGORITHM)) as CryptoKey,
    publicKey: (await importJWK(publicJwk, DEV_ALGORITHM)) as CryptoKey,
  };
}
