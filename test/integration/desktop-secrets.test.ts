import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createConnection, startRelay, type TestRelay, tempDir } from '../helpers/engine';
import { safeStorage } from '../helpers/fake-electron';

let relay: TestRelay | undefined;
afterEach(async () => {
  await relay?.dispose();
  relay = undefined;
  safeStorage.available = true;
  safeStorage.calls = 0;
});

/** What the store holds, read past the engine. */
function stored(dataDir: string) {
  const db = new Database(join(dataDir, 'relaydesk.db'), { readonly: true });
  try {
    const setting = db
      .prepare(
        "SELECT json_extract(value_json, '$') AS value FROM settings WHERE key = 'delivery.smarthostPassword'",
      )
      .get() as { value: string } | undefined;
    const webhook = db.prepare('SELECT secret FROM webhook_endpoints').get() as
      | { secret: string }
      | undefined;
    return { smarthostPassword: setting?.value ?? '', webhookSecret: webhook?.secret ?? '' };
  } finally {
    db.close();
  }
}

describe('secrets on the desktop', () => {
  it('seals the smarthost password and webhook secrets with the OS keychain (safeStorage) and opens them again', async () => {
    const dataDir = tempDir();
    relay = await startRelay({ dataDir, osSecretStorage: safeStorage });
    await relay.call('settings.update', { values: { 'delivery.smarthostPassword': 'sm4rth0st-pass' } });
    const { connection } = await createConnection(relay, { name: 'Webshop' });
    const { secret } = await relay.call('webhooks.create', {
      connectionId: connection.id,
      url: 'https://shop.example.com/hooks/relaydesk',
    });
    expect(safeStorage.calls).toBeGreaterThanOrEqual(2);

    const onDisk = stored(dataDir);
    expect(onDisk.smarthostPassword).toMatch(/^enc:os:/);
    expect(onDisk.webhookSecret).toMatch(/^enc:os:/);
    expect(JSON.stringify(onDisk)).not.toContain('sm4rth0st-pass');
    expect(JSON.stringify(onDisk)).not.toContain(secret);

    // Started again, the relay opens them through the keychain (the API never shows the password).
    await relay.stop();
    relay = await startRelay({ dataDir, osSecretStorage: safeStorage });
    expect(relay.engine.context.settings.get('delivery.smarthostPassword')).toBe('sm4rth0st-pass');
    const entry = (await relay.call('settings.get', {})).find((e) => e.key === 'delivery.smarthostPassword');
    expect(entry).toMatchObject({ value: '', secretSet: true });
    expect((await relay.call('status.get', {})).problems).toEqual([]);
  });

  it('falls back to the key file in the data folder where the keychain is not available, as headless does', async () => {
    safeStorage.available = false;
    const dataDir = tempDir();
    relay = await startRelay({ dataDir, osSecretStorage: safeStorage });
    await relay.call('settings.update', { values: { 'delivery.smarthostPassword': 'no-keyring-here' } });
    const sealed = stored(dataDir).smarthostPassword;
    expect(sealed).toMatch(/^enc:/);
    expect(sealed).not.toMatch(/^enc:os:/);
    expect(sealed).not.toContain('no-keyring-here');
    expect(safeStorage.calls).toBe(0);

    // Headless (no keychain at all) opens what the desktop sealed with the key file.
    await relay.stop();
    relay = await startRelay({ dataDir });
    expect(relay.engine.context.settings.get('delivery.smarthostPassword')).toBe('no-keyring-here');
  });
});
