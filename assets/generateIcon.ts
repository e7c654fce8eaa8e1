/**
 * Draws the app icon (a ring with a bright core on a blue rounded square: a memory trace) as PNG files, with no
 * image library: assets/icon.png (1024 px, electron-builder derives every platform's sizes from it) and the
 * renderer's favicon. Run with `npm run icons`; the outputs are committed.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { deflateSync } from "node:zlib";

type Rgba = [number, number, number, number];

function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function encodePng(size: number, pixel: (x: number, y: number) => Rgba): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) rows.set(pixel(x, y), y * (size * 4 + 1) + 1 + x * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Colour of the icon at (u, v) in [0, 1]², before anti-aliasing. */
function shade(u: number, v: number): Rgba {
  const margin = 0.06;
  const radius = 0.2;
  const dx = Math.max(margin + radius - u, 0, u - (1 - margin - radius));
  const dy = Math.max(margin + radius - v, 0, v - (1 - margin - radius));
  if (Math.hypot(dx, dy) > radius) return [0, 0, 0, 0];
  const distance = Math.hypot(u - 0.5, v - 0.5);
  if (distance < 0.09) return [255, 255, 255, 255];
  if (distance > 0.2 && distance < 0.27) return [255, 255, 255, 255];
  const t = v;
  return [Math.round(72 - 30 * t), Math.round(104 - 40 * t), Math.round(232 - 40 * t), 255];
}

export function drawIcon(size: number): Buffer {
  const samples = 4;
  return encodePng(size, (x, y) => {
    const sum = [0, 0, 0, 0];
    for (let sy = 0; sy < samples; sy++) {
      for (let sx = 0; sx < samples; sx++) {
        const color = shade((x + (sx + 0.5) / samples) / size, (y + (sy + 0.5) / samples) / size);
        // Premultiply so transparent samples do not darken the edge.
        for (let channel = 0; channel < 3; channel++) sum[channel]! += color[channel]! * color[3];
        sum[3]! += color[3];
      }
    }
    const alpha = sum[3]!;
    if (alpha === 0) return [0, 0, 0, 0];
    return [sum[0]! / alpha, sum[1]! / alpha, sum[2]! / alpha, alpha / samples ** 2].map(Math.round) as Rgba;
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(new URL("./icon.png", import.meta.url), drawIcon(1024));
  writeFileSync(new URL("../renderer/public/favicon.png", import.meta.url), drawIcon(64));
}
