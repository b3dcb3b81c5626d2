import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colourType: number;
  interlace: number;
}

interface Chunk {
  type: string;
  data: Buffer;
}

function chunks(png: Buffer): Chunk[] {
  const found: Chunk[] = [];
  let at = SIGNATURE.length;
  while (at + 8 <= png.length) {
    const length = png.readUInt32BE(at);
    found.push({ type: png.toString('latin1', at + 4, at + 8), data: png.subarray(at + 8, at + 8 + length) });
    at += 12 + length;
  }
  return found;
}

/** The PNG signature and IHDR (which the format requires to be the first chunk); throws if absent. */
export function pngHeader(file: string): PngHeader {
  const png = readFileSync(file);
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error(`${file} is not a PNG (no PNG signature)`);
  const first = chunks(png)[0];
  if (first?.type !== 'IHDR' || first.data.length !== 13) throw new Error(`${file} has no IHDR first`);
  return {
    width: first.data.readUInt32BE(0),
    height: first.data.readUInt32BE(4),
    bitDepth: first.data[8] as number,
    colourType: first.data[9] as number,
    interlace: first.data[12] as number,
  };
}

/**
 * The pixels of an 8-bit RGBA, non-interlaced PNG whose rows all use filter type 0, as
 * scripts/make-icons.ts writes them (enough to check our own icons, not a general decoder).
 */
export function rgbaPixels(file: string): { width: number; height: number; rgba: Buffer } {
  const header = pngHeader(file);
  if (header.bitDepth !== 8 || header.colourType !== 6 || header.interlace !== 0) {
    throw new Error(`${file}: expected 8-bit RGBA without interlacing`);
  }
  const { width, height } = header;
  const idat = chunks(readFileSync(file)).filter((chunk) => chunk.type === 'IDAT');
  const rows = inflateSync(Buffer.concat(idat.map((chunk) => chunk.data)));
  const stride = width * 4 + 1;
  if (rows.length !== stride * height) throw new Error(`${file}: image data of the wrong length`);
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    if (rows[y * stride] !== 0) throw new Error(`${file}: row ${y} uses filter ${rows[y * stride]}, not 0`);
    rows.copy(rgba, y * width * 4, y * stride + 1, (y + 1) * stride);
  }
  return { width, height, rgba };
}
