import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pngHeader, rgbaPixels } from '../helpers/png';

const resources = join(import.meta.dirname, '../../resources');
const STATES = ['running', 'paused', 'attention'] as const;

type Hue = 'green' | 'red' | 'amber' | 'grey' | 'white' | 'other';

function hueOf(r: number, g: number, b: number): Hue {
  if (r > 230 && g > 230 && b > 230) return 'white';
  if (Math.max(r, g, b) - Math.min(r, g, b) < 30) return 'grey';
  if (g > r + 40 && g > b + 40) return 'green';
  if (r > 180 && g > 110 && g < 200 && b < 80) return 'amber';
  if (r > g + 80 && r > b + 80) return 'red';
  return 'other';
}

/** How many fully opaque pixels of each hue the icon has. */
function hues(file: string): Record<Hue, number> {
  const { rgba } = rgbaPixels(join(resources, file));
  const count: Record<Hue, number> = { green: 0, red: 0, amber: 0, grey: 0, white: 0, other: 0 };
  for (let at = 0; at < rgba.length; at += 4) {
    if (rgba[at + 3] !== 255) continue;
    count[hueOf(rgba[at] as number, rgba[at + 1] as number, rgba[at + 2] as number)]++;
  }
  return count;
}

describe('icons', () => {
  it('has a 512×512 RGBA app icon', () => {
    expect(pngHeader(join(resources, 'icon.png'))).toMatchObject({ width: 512, height: 512, colourType: 6 });
  });

  it.each(STATES)('has the %s tray icon at 32×32 and at 64×64 for HiDPI screens', (state) => {
    expect(pngHeader(join(resources, `tray-${state}.png`))).toMatchObject({ width: 32, height: 32 });
    expect(pngHeader(join(resources, `tray-${state}@2x.png`))).toMatchObject({ width: 64, height: 64 });
  });

  it('keeps tray.png, which the tray loads today, identical to the running icons', () => {
    for (const suffix of ['', '@2x']) {
      expect(readFileSync(join(resources, `tray${suffix}.png`))).toEqual(
        readFileSync(join(resources, `tray-running${suffix}.png`)),
      );
    }
  });

  it('shows running in green, paused in grey with amber, and attention in red', () => {
    for (const suffix of ['', '@2x']) {
      const running = hues(`tray-running${suffix}.png`);
      const paused = hues(`tray-paused${suffix}.png`);
      const attention = hues(`tray-attention${suffix}.png`);
      expect(running.green).toBeGreaterThan(running.white);
      expect(running.red + running.amber).toBe(0);
      expect(paused.grey).toBeGreaterThan(paused.amber);
      expect(paused.amber).toBeGreaterThan(0);
      expect(paused.green + paused.red).toBe(0);
      expect(attention.red).toBeGreaterThan(attention.white);
      expect(attention.green + attention.amber).toBe(0);
    }
  });
});
