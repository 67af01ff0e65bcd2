// The development certificates for https://localhost, as Office's own tooling makes them
// (office-addin-dev-certs: a "Developer CA for Microsoft Office Add-ins" and a localhost
// certificate it signs, in ~/.office-addin-dev-certs). `npm run start:https` makes them when they
// are missing or about to expire; trusting the CA is a step of its own (README, "Sideloading").
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

export const defaultCertDir = () => path.join(os.homedir(), '.office-addin-dev-certs');

export const certFiles = (dir) => ({ ca: path.join(dir, 'ca.crt'), cert: path.join(dir, 'localhost.crt'), key: path.join(dir, 'localhost.key') });

/** Valid for at least another day (and readable). */
function usable(files) {
  try {
    if (!fs.existsSync(files.key)) return false;
    const cert = new X509Certificate(fs.readFileSync(files.cert));
    const ca = new X509Certificate(fs.readFileSync(files.ca));
    const tomorrow = Date.now() + 24 * 3600 * 1000;
    return new Date(cert.validTo).getTime() > tomorrow && new Date(ca.validTo).getTime() > tomorrow && cert.verify(ca.publicKey);
  } catch {
    return false;
  }
}

/** How to make the browser and Office trust the CA, on this platform. */
export function trustHint(caFile) {
  if (process.platform === 'win32' || process.platform === 'darwin') {
    return `Lita på CA:t en gång (Trust the CA once): npx office-addin-dev-certs install  (${process.platform === 'win32' ? 'Windows frågar om du vill installera certifikatet' : 'macOS frågar efter ditt lösenord'})`;
  }
  return [
    'Lita på CA:t (trust the CA), see README "HTTPS on localhost":',
    `  curl:                curl --cacert ${caFile} https://localhost:${process.env.PORT || 3000}/api/v1/health`,
    `  Node:                NODE_EXTRA_CA_CERTS=${caFile}`,
    `  Chrome/Chromium/Edge: certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n "Office Add-in Dev CA" -i ${caFile}   (apt-get install libnss3-tools)`,
  ].join('\n');
}

/**
 * Makes sure `dir` has a CA, a localhost certificate and its key that are valid for another day;
 * makes new ones (valid `days` days) otherwise. Returns whether it made them.
 */
export async function ensureDevCerts(dir = defaultCertDir(), { days = 30, log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  const files = certFiles(dir);
  if (usable(files)) return { created: false, files };
  let generateCertificates;
  try {
    ({ generateCertificates } = createRequire(import.meta.url)('office-addin-dev-certs'));
  } catch {
    throw new Error(
      `No usable certificates in ${dir}, and office-addin-dev-certs (a devDependency) is not installed to make them: run npm install, or npx office-addin-dev-certs install`,
    );
  }
  // generateCertificates writes nothing when a CA file is there: old files go first.
  for (const file of Object.values(files)) fs.rmSync(file, { force: true });
  await generateCertificates(files.ca, files.cert, files.key, days);
  log(`https: utvecklingscertifikat skapade i ${dir} (development certificates made), giltiga ${days} dagar.\n${trustHint(files.ca)}`);
  return { created: true, files };
}
