// Draws the add-in's ribbon and store icons (a white "T" over three status bars on Tertial blue)
// as PNGs with zlib alone: node scripts/make-icons.mjs → addin/assets/icon-{16,32,64,80,128}.png
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const BLUE = [0x1f, 0x4e, 0x78];
const WHITE = [0xff, 0xff, 0xff];
const BARS = [
  [0xc6, 0xef, 0xce],
  [0xff, 0xeb, 0x9c],
  [0xff, 0xc7, 0xce],
];

/** RGBA of a pixel; coordinates in units of the icon's size (0..1). */
function pixel(x, y) {
  const r = 0.16; // rounded corners
  const cx = Math.min(Math.max(x, r), 1 - r);
  const cy = Math.min(Math.max(y, r), 1 - r);
  if ((x - cx) ** 2 + (y - cy) ** 2 > r * r) return [0, 0, 0, 0];
  if (y > 0.2 && y < 0.34 && x > 0.2 && x < 0.8) return [...WHITE, 255]; // the T's bar
  if (y >= 0.34 && y < 0.56 && x > 0.42 && x < 0.58) return [...WHITE, 255]; // its stem
  for (const [i, colour] of BARS.entries()) {
    const left = 0.2 + i * 0.21;
    if (y > 0.64 && y < 0.8 && x > left && x < left + 0.17) return [...colour, 255];
  }
  return [...BLUE, 255];
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(size) {
  const samples = 4; // supersampling per axis, for smooth edges
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = [0]; // filter: none
    for (let x = 0; x < size; x++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < samples; sy++)
        for (let sx = 0; sx < samples; sx++) {
          const p = pixel((x + (sx + 0.5) / samples) / size, (y + (sy + 0.5) / samples) / size);
          for (let i = 0; i < 4; i++) acc[i] += i < 3 ? p[i] * p[3] : p[3];
        }
      const alpha = acc[3] / samples ** 2;
      row.push(...acc.slice(0, 3).map((v) => (acc[3] ? Math.round(v / acc[3]) : 0)), Math.round(alpha));
    }
    rows.push(Buffer.from(row));
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const dir = path.join(root, 'addin', 'assets');
fs.mkdirSync(dir, { recursive: true });
for (const size of [16, 32, 64, 80, 128]) fs.writeFileSync(path.join(dir, `icon-${size}.png`), png(size));
