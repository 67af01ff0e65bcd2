// `npm start` and `npm run start:https`: builds what changed (nothing, usually: a few milliseconds
// to find out), then runs the built server in this same process, so signals reach it directly.
//   --https   HTTPS=true with the office-addin-dev-certs certificates (made if missing) in
//             HTTPS_CERT_DIR (default ~/.office-addin-dev-certs); the manifest then names https://localhost:PORT
import { createRequire } from 'node:module';
import { ensureBuilt, serverFile } from './build.mjs';
import { defaultCertDir, ensureDevCerts } from './dev-certs.mjs';

try {
  await ensureBuilt();
  if (process.argv.includes('--https')) {
    process.env.HTTPS = 'true';
    await ensureDevCerts(process.env.HTTPS_CERT_DIR || defaultCertDir());
  }
} catch (e) {
  console.error(`start: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
await createRequire(import.meta.url)(serverFile).main();
