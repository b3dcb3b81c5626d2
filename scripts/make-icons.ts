// `npx tsx scripts/make-icons.ts` (or `npm run icons`): draws the app icon and the tray icons
// into resources/ as PNG files. Only node:zlib (deflate and CRC-32): no image package.
//
// Glyph: an envelope with a round badge at its lower right. The app icon is a white envelope on
// a blue tile with a green "relay" arrow badge. Each tray state has its own colour and its own
// badge sign, so the states differ in shape too, not only in colour:
//   running   green envelope, green badge with an arrow (mail is being relayed)
//   paused    grey envelope, amber badge with two pause bars
//   attention red envelope, red badge with "!"
// Tray icons come at 32×32 and at 64×64 (`@2x`, which Electron picks on HiDPI screens);
// tray.png / tray@2x.png are copies of the running icons for the tray code that loads tray.png.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

type Rgb = readonly [number, number, number];
/** Coordinates are fractions of the icon's width and height (0..1), y downwards. */
type Shape = (x: number, y: number) => boolean;
type Paint = Rgb | ((x: number, y: number) => Rgb);
/** Painted in order; the last layer containing a point gives its colour. */
type Layer = readonly [Shape, Paint];

const hex = (value: string): Rgb => [
  Number.parseInt(value.slice(1, 3), 16),
  Number.parseInt(value.slice(3, 5), 16),
  Number.parseInt(value.slice(5, 7), 16),
];

const WHITE = hex('#ffffff');
const COLOURS = {
  green: hex('#2f9e44'),
  greenDark: hex('#2b8a3e'),
  grey: hex('#868e96'),
  amber: hex('#f59f00'),
  red: hex('#e03131'),
  redDark: hex('#c92a2a'),
  blueTop: hex('#339af0'),
  blueBottom: hex('#1864ab'),
  blueLine: hex('#1971c2'),
  badgeGreen: hex('#37b24d'),
};

function roundedRect(x0: number, y0: number, x1: number, y1: number, r: number): Shape {
  return (x, y) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const dx = Math.max(x0 + r - x, 0, x - (x1 - r));
    const dy = Math.max(y0 + r - y, 0, y - (y1 - r));
    return dx * dx + dy * dy <= r * r;
  };
}

function circle(cx: number, cy: number, r: number): Shape {
  return (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}

/** A stroke from a to b with round caps, halfWidth either side. */
function segment(ax: number, ay: number, bx: number, by: number, halfWidth: number): Shape {
  const lx = bx - ax;
  const ly = by - ay;
  const length2 = lx * lx + ly * ly;
  return (x, y) => {
    const t = Math.min(1, Math.max(0, ((x - ax) * lx + (y - ay) * ly) / length2));
    return (x - ax - t * lx) ** 2 + (y - ay - t * ly) ** 2 <= halfWidth * halfWidth;
  };
}

function union(...shapes: Shape[]): Shape {
  return (x, y) => shapes.some((shape) => shape(x, y));
}

/** A polyline through the points, each piece a round-capped stroke. */
function polyline(points: readonly (readonly [number, number])[], halfWidth: number): Shape {
  const pieces: Shape[] = [];
  for (let i = 1; i < points.length; i++) {
    const [ax, ay] = points[i - 1] as readonly [number, number];
    const [bx, by] = points[i] as readonly [number, number];
    pieces.push(segment(ax, ay, bx, by, halfWidth));
  }
  return union(...pieces);
}

/** An arrow pointing right, centred on (cx, cy), `width` long. */
function arrow(cx: number, cy: number, width: number, halfWidth: number): Shape {
  const left = cx - width / 2;
  const tip = cx + width / 2;
  const head = width * 0.38;
  return union(
    segment(left, cy, tip, cy, halfWidth),
    polyline(
      [
        [tip - head, cy - head],
        [tip, cy],
        [tip - head, cy + head],
      ],
      halfWidth,
    ),
  );
}

/** Draws the layers with `samples`×`samples` points per pixel; returns straight RGBA bytes. */
function render(size: number, layers: readonly Layer[], samples: number): Buffer {
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let covered = 0;
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          for (let i = layers.length - 1; i >= 0; i--) {
            const [shape, paint] = layers[i] as Layer;
            if (!shape(x, y)) continue;
            const colour = typeof paint === 'function' ? paint(x, y) : paint;
            covered++;
            r += colour[0];
            g += colour[1];
            b += colour[2];
            break;
          }
        }
      }
      const at = (py * size + px) * 4;
      if (covered > 0) {
        rgba[at] = Math.round(r / covered);
        rgba[at + 1] = Math.round(g / covered);
        rgba[at + 2] = Math.round(b / covered);
        rgba[at + 3] = Math.round((255 * covered) / (samples * samples));
      }
    }
  }
  return rgba;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** An 8-bit RGBA PNG; every row uses filter type 0 (none). */
function encodePng(size: number, rgba: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  // compression, filter method and interlace stay 0
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0;
    rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The app icon: white envelope on a rounded blue tile, green relay badge. */
function appIcon(): Layer[] {
  const tileGradient = (_x: number, y: number): Rgb => {
    const t = Math.min(1, Math.max(0, (y - 0.06) / 0.88));
    const [top, bottom] = [COLOURS.blueTop, COLOURS.blueBottom];
    return [0, 1, 2].map((i) => Math.round((top[i] as number) * (1 - t) + (bottom[i] as number) * t)) as [
      number,
      number,
      number,
    ];
  };
  return [
    [roundedRect(0.06, 0.06, 0.94, 0.94, 0.2), tileGradient],
    [roundedRect(0.18, 0.28, 0.82, 0.72, 0.045), WHITE],
    [
      polyline(
        [
          [0.245, 0.345],
          [0.5, 0.54],
          [0.755, 0.345],
        ],
        0.026,
      ),
      COLOURS.blueLine,
    ],
    // the badge sits on a ring of the tile's own colour, cut out of the envelope's corner
    [circle(0.74, 0.7, 0.175), tileGradient],
    [circle(0.74, 0.7, 0.14), COLOURS.badgeGreen],
    [arrow(0.745, 0.7, 0.15, 0.022), WHITE],
  ];
}

type TrayState = 'running' | 'paused' | 'attention';

/** A tray icon: coloured envelope with white flap lines; a badge whose sign names the state. */
function trayIcon(state: TrayState): Layer[] {
  const body = { running: COLOURS.green, paused: COLOURS.grey, attention: COLOURS.red }[state];
  const badge = { running: COLOURS.greenDark, paused: COLOURS.amber, attention: COLOURS.redDark }[state];
  const [bx, by] = [0.72, 0.715];
  const sign: Shape = {
    running: arrow(bx + 0.005, by, 0.24, 0.042),
    paused: union(
      roundedRect(bx - 0.085, by - 0.11, bx - 0.025, by + 0.11, 0.015),
      roundedRect(bx + 0.025, by - 0.11, bx + 0.085, by + 0.11, 0.015),
    ),
    attention: union(segment(bx, by - 0.12, bx, by + 0.025, 0.042), circle(bx, by + 0.105, 0.045)),
  }[state];
  return [
    [roundedRect(0.02, 0.14, 0.98, 0.8, 0.1), body],
    [
      polyline(
        [
          [0.15, 0.27],
          [0.5, 0.53],
          [0.85, 0.27],
        ],
        0.05,
      ),
      WHITE,
    ],
    [circle(bx, by, 0.27), WHITE],
    [circle(bx, by, 0.22), badge],
    [sign, WHITE],
  ];
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'resources');
mkdirSync(out, { recursive: true });

function write(name: string, size: number, layers: Layer[]): Buffer {
  const png = encodePng(size, render(size, layers, size >= 256 ? 4 : 8));
  writeFileSync(join(out, name), png);
  console.log(`resources/${name}  ${size}×${size}  ${png.length} bytes`);
  return png;
}

write('icon.png', 512, appIcon());
for (const state of ['running', 'paused', 'attention'] as const) {
  const small = write(`tray-${state}.png`, 32, trayIcon(state));
  const large = write(`tray-${state}@2x.png`, 64, trayIcon(state));
  if (state === 'running') {
    writeFileSync(join(out, 'tray.png'), small);
    writeFileSync(join(out, 'tray@2x.png'), large);
    console.log('resources/tray.png, resources/tray@2x.png  copies of the running icons');
  }
}
