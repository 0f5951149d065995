#!/usr/bin/env node
// Draws the extension icon (images/icon.png, 128x128) without any dependency: a rounded blue
// square, the four panes of a Windows logo, and a container outline around them. Run by hand after
// changing the drawing: `node scripts/make-icon.mjs`.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 128;
const pixels = Buffer.alloc(SIZE * SIZE * 4);

function blend(x, y, [r, g, b], alpha) {
  if (x < 0 || y < 0 || x >= SIZE || y >= SIZE || alpha <= 0) return;
  const i = (y * SIZE + x) * 4;
  const a = Math.min(1, alpha);
  const under = pixels[i + 3] / 255;
  const out = a + under * (1 - a);
  for (const [k, v] of [
    [0, r],
    [1, g],
    [2, b],
  ])
    pixels[i + k] = Math.round((v * a + pixels[i + k] * under * (1 - a)) / (out || 1));
  pixels[i + 3] = Math.round(out * 255);
}

/** Coverage of a rounded rectangle at a pixel (4x4 supersampling for smooth edges). */
function roundedRect(x0, y0, x1, y1, radius, color, alpha = 1) {
  for (let y = Math.floor(y0); y < Math.ceil(y1); y++) {
    for (let x = Math.floor(x0); x < Math.ceil(x1); x++) {
      let inside = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const px = x + (sx + 0.5) / 4;
          const py = y + (sy + 0.5) / 4;
          if (px < x0 || px > x1 || py < y0 || py > y1) continue;
          const cx = Math.min(Math.max(px, x0 + radius), x1 - radius);
          const cy = Math.min(Math.max(py, y0 + radius), y1 - radius);
          if ((px - cx) ** 2 + (py - cy) ** 2 <= radius ** 2) inside++;
        }
      }
      blend(x, y, color, (inside / 16) * alpha);
    }
  }
}

// Background: Windows blue with a slightly lighter top.
for (let band = 0; band < 2; band++)
  roundedRect(4, 4, 124, 124, 22, band === 0 ? [0, 90, 158] : [0, 120, 212], band === 0 ? 1 : 0.85);
// Container outline: a white frame with ribs.
roundedRect(18, 26, 110, 102, 8, [255, 255, 255]);
roundedRect(23, 31, 105, 97, 5, [0, 103, 184]);
for (const x of [30, 98]) roundedRect(x - 2, 36, x + 2, 92, 2, [255, 255, 255], 0.55);
// The four panes.
const white = [255, 255, 255];
roundedRect(38, 40, 62, 62, 2, white);
roundedRect(66, 40, 90, 62, 2, white);
roundedRect(38, 66, 62, 88, 2, white);
roundedRect(66, 66, 90, 88, 2, white);

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  let crc = ~0;
  for (const byte of body) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  const crcBuffer = Buffer.alloc(4);
  crcBuffer.writeUInt32BE(~crc >>> 0);
  return Buffer.concat([length, body, crcBuffer]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE);
for (let y = 0; y < SIZE; y++) pixels.copy(raw, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4);
const png = Buffer.concat([
  Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = new URL('../images/icon.png', import.meta.url);
writeFileSync(out, png);
console.log(`icon: ${out.pathname} (${png.length} bytes)`);
