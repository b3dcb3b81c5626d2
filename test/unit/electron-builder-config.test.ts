import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
// app-builder-lib and builder-util are not our dependencies but electron-builder's (it pins both to
// exact versions, so package-lock.json fixes them). They are imported here on purpose: the test
// loads electron-builder.yml with the loader electron-builder itself uses and validates it with the
// very function its packager calls before a build (validateConfiguration: ajv against
// app-builder-lib/scheme.json, plus its own deprecation checks), so a configuration that passes here
// is one electron-builder accepts.
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import type { Configuration } from 'electron-builder';
import { beforeAll, describe, expect, it } from 'vitest';
import { pngHeader } from '../helpers/png';

const root = join(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

/** electron-builder's own pre-build check; throws an Error listing every problem it finds. */
async function check(config: unknown): Promise<void> {
  // the validator coerces types in place: give it a copy
  await validateConfiguration(structuredClone(config) as Configuration, new DebugLogger(false));
}

/** electron-builder.yml as electron-builder reads it (files normalised to file sets). */
async function load(): Promise<Configuration> {
  return getConfig(root, null, null);
}

/** Every string value under a key ending in "icon" (icon, installerIcon, …), with its path. */
function iconPaths(value: unknown, path = ''): [string, string][] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => {
    const at = path ? `${path}.${key}` : key;
    if (/icon$/i.test(key) && typeof inner === 'string') return [[at, inner] as [string, string]];
    return iconPaths(inner, at);
  });
}

/** The glob patterns of `files`, whichever of its documented shapes the configuration uses. */
function filePatterns(config: Configuration): string[] {
  const files = config.files;
  const list = files == null ? [] : Array.isArray(files) ? files : [files];
  return list.flatMap((entry) => {
    if (typeof entry === 'string') return [entry];
    const filter = entry.filter;
    return filter == null ? [] : Array.isArray(filter) ? filter : [filter];
  });
}

function targetNames(platform: Configuration['win' | 'mac' | 'linux']): string[] {
  const target = platform?.target;
  const list = target == null ? [] : Array.isArray(target) ? target : [target];
  return list.map((entry) => (typeof entry === 'string' ? entry : entry.target));
}

describe('electron-builder configuration', () => {
  let config: Configuration;
  beforeAll(async () => {
    config = await load();
  });

  it('validates against the schema that ships with electron-builder, using its own validator', async () => {
    const schema = require.resolve('app-builder-lib/scheme.json');
    expect(dirname(schema)).toBe(dirname(require.resolve('app-builder-lib/package.json')));
    expect(JSON.parse(readFileSync(schema, 'utf8')).additionalProperties).toBe(false);
    await expect(check(config)).resolves.toBeUndefined();
  });

  it('is rejected by the same validation when it has an unknown key', async () => {
    await expect(check({ ...config, asarUnpak: ['node_modules/better-sqlite3/**'] })).rejects.toThrow(
      /unknown property 'asarUnpak'/,
    );
    // inside a section that may also be null, electron-builder reports the section as a whole
    await expect(check({ ...config, linux: { ...config.linux, categories: 'Network' } })).rejects.toThrow(
      /configuration\.linux should be one of these/,
    );
  });

  it('is rejected by the same validation when a value has the wrong type', async () => {
    await expect(check({ ...config, directories: 'dist' })).rejects.toThrow(/directories/);
    await expect(check({ ...config, nsis: { ...config.nsis, oneClick: { really: true } } })).rejects.toThrow(
      /nsis\.oneClick/,
    );
  });

  it('builds an NSIS installer for Windows, a dmg for macOS, and an AppImage and a deb for Linux', () => {
    expect(targetNames(config.win)).toEqual(['nsis']);
    expect(targetNames(config.mac)).toEqual(['dmg']);
    expect(targetNames(config.linux).sort()).toEqual(['AppImage', 'deb']);
  });

  it('names the app Relaydesk with a reverse-DNS app id', () => {
    expect(config.productName).toBe('Relaydesk');
    expect(config.appId).toMatch(/^[a-z]{2,}(\.[a-z0-9-]+){2,}$/);
  });

  it('points every icon it names at a 512×512 PNG that exists', () => {
    const icons = iconPaths(config);
    expect(icons.map(([key]) => key).sort()).toEqual(['linux.icon', 'mac.icon', 'win.icon']);
    for (const [key, file] of icons) {
      const path = join(root, file);
      expect(existsSync(path), `${key}: ${file} exists`).toBe(true);
      expect(pngHeader(path), `${key}: ${file}`).toMatchObject({ width: 512, height: 512 });
    }
  });

  it('packs the build output, the icons and package.json, and leaves sources, tests and benches out', () => {
    const patterns = filePatterns(config);
    expect(patterns).toEqual(expect.arrayContaining(['out/**', 'resources/**', 'package.json']));
    expect(patterns).toEqual(expect.arrayContaining(['!src/**', '!test/**', '!bench/**']));
  });

  it('rebuilds better-sqlite3 for Electron and unpacks it, with its native build, from the asar', () => {
    expect(config.asar).toBe(true);
    expect(config.npmRebuild).toBe(true);
    const unpack = config.asarUnpack == null ? [] : [config.asarUnpack].flat();
    expect(unpack).toEqual(
      expect.arrayContaining([
        'node_modules/better-sqlite3/**',
        'node_modules/better-sqlite3/build/Release/*.node',
      ]),
    );
    // the exclusions trim better-sqlite3's build inputs, never the module electron loads
    for (const pattern of filePatterns(config).filter((p) => p.includes('better-sqlite3'))) {
      expect(pattern.startsWith('!')).toBe(true);
      expect(pattern).not.toMatch(/better_sqlite3\.node|\/lib\b/);
    }
  });

  it('writes the installers to dist/, which git ignores, and never publishes them', () => {
    expect(config.directories?.output).toBe('dist');
    expect(readFileSync(join(root, '.gitignore'), 'utf8').split('\n')).toContain('dist/');
    expect(config.publish).toBeNull();
  });

  it('files the Linux app under Network and Email and gives the deb a maintainer', () => {
    expect(config.linux?.category?.split(';')).toEqual(['Network', 'Email']);
    expect(config.mac?.category).toBe('public.app-category.productivity');
    expect(config.deb?.maintainer).toMatch(/^.+ <[^@\s]+@[^@\s]+>$/);
    expect(config.deb?.depends).toEqual(expect.arrayContaining(['libnss3', 'libgbm1']));
  });
});
