import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createConnection, startRelay, type TestRelay, tempDir, waitForRecipients } from '../helpers/engine';
import { mailer } from '../helpers/mailer';
import { type Sink, startSink } from '../helpers/sink';

let relay: TestRelay | undefined;
let smarthost: Sink | undefined;
afterEach(async () => {
  await relay?.dispose();
  relay = undefined;
  await smarthost?.close();
  smarthost = undefined;
});

/** Every folder and file under root with its permission bits, e.g. `spool/incoming 700`. */
function modes(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      const mode = (statSync(path).mode & 0o777).toString(8);
      out.push(`${path.slice(root.length + 1)} ${mode}`);
      if (e.isDirectory()) walk(path);
    }
  };
  out.push(`. ${(statSync(root).mode & 0o777).toString(8)}`);
  walk(root);
  return out;
}

/** Files of the store as bytes: the database and its write-ahead log. */
function storeBytes(dataDir: string): Buffer {
  return Buffer.concat(
    ['relaydesk.db', 'relaydesk.db-wal']
      .map((f) => join(dataDir, f))
      .filter((f) => {
        try {
          return statSync(f).isFile();
        } catch {
          return false;
        }
      })
      .map((f) => readFileSync(f)),
  );
}

async function sendOne(r: TestRelay, to = 'customer@example.org'): Promise<string> {
  const sender = await createConnection(r);
  const info = await mailer(r.smtpPort, sender.access).sendMail({
    from: 'shop@example.com',
    to,
    subject: 'Your order',
    text: 'Thank you.',
  });
  return /queued as (\w+)/.exec(info.response)?.[1] ?? '';
}

describe('the data folder', () => {
  it('is 0700 with every file in it 0600, also when it existed before with 0755 and 0644 files; DKIM keys only there', async () => {
    const dataDir = tempDir();
    chmodSync(dataDir, 0o755);
    mkdirSync(join(dataDir, 'spool', 'old01'), { recursive: true, mode: 0o755 });
    chmodSync(join(dataDir, 'spool'), 0o755);
    writeFileSync(join(dataDir, 'console-token'), `${'t'.repeat(43)}\n`, { mode: 0o644 });
    writeFileSync(join(dataDir, 'spool', 'old01', 'old01xxxxxxxxxxxx.eml'), 'Subject: old\r\n\r\nold\r\n', {
      mode: 0o644,
    });
    relay = await startRelay({ dataDir, deliver: false });
    await sendOne(relay);
    const entries = modes(dataDir);
    const wrong = entries.filter((e) => {
      const [path = '', mode] = e.split(' ');
      const isDir = statSync(join(dataDir, path)).isDirectory();
      return mode !== (isDir ? '700' : '600');
    });
    expect(entries.some((e) => e.startsWith('relaydesk.db-wal '))).toBe(true);
    expect(entries.length).toBeGreaterThan(8);
    expect(wrong).toEqual([]);

    // DKIM private keys live only in their 0600 files: not in the store, not in any API result.
    const pems = readdirSync(join(dataDir, 'dkim')).filter((f) => f.endsWith('.pem'));
    expect(pems.length).toBeGreaterThan(0);
    const keyBody = readFileSync(join(dataDir, 'dkim', pems[0] ?? ''), 'utf8').split('\n')[1] ?? '';
    expect(keyBody.length).toBeGreaterThan(40);
    expect(storeBytes(dataDir).includes(keyBody)).toBe(false);
    expect(JSON.stringify(await relay.call('domains.list', {}))).not.toMatch(/PRIVATE KEY/);
  });
});

describe('the smarthost password', () => {
  it('is sealed in the store, never in clear, and still logs in after a restart', async () => {
    smarthost = await startSink({ auth: { user: 'relaydesk', pass: 'Sm4rthost-Secret-9' } });
    const dataDir = tempDir();
    relay = await startRelay({ dataDir });
    await relay.call('settings.update', {
      values: {
        'delivery.smarthost': `127.0.0.1:${smarthost.port}`,
        'delivery.smarthostUser': 'relaydesk',
        'delivery.smarthostPassword': 'Sm4rthost-Secret-9',
        'delivery.smarthostVerifyCertificate': false,
      },
    });
    expect(storeBytes(dataDir).includes('Sm4rthost-Secret-9')).toBe(false);
    expect(statSync(join(dataDir, 'secret-key')).mode & 0o777).toBe(0o600);
    const entry = (await relay.call('settings.get', {})).find((e) => e.key === 'delivery.smarthostPassword');
    expect(entry).toMatchObject({ value: '', secretSet: true });

    await relay.stop();
    relay = await startRelay({ dataDir });
    const id = await sendOne(relay);
    await waitForRecipients(relay, id, ['delivered']);
    expect(smarthost.logins).toEqual(['relaydesk']);
    expect(storeBytes(dataDir).includes('Sm4rthost-Secret-9')).toBe(false);
  });

  it('is sealed at start when an older version left it in clear, and the clear copy is gone from the files', async () => {
    const dataDir = tempDir();
    relay = await startRelay({ dataDir, deliver: false });
    await relay.stop();
    const db = new Database(join(dataDir, 'relaydesk.db'));
    db.prepare('INSERT INTO settings (key, value_json) VALUES (?, ?)').run(
      'delivery.smarthostPassword',
      JSON.stringify('Old-Clear-Password-7'),
    );
    db.close();
    expect(storeBytes(dataDir).includes('Old-Clear-Password-7')).toBe(true);

    relay = await startRelay({ dataDir, deliver: false });
    expect(relay.engine.context.settings.get('delivery.smarthostPassword')).toBe('Old-Clear-Password-7');
    expect(storeBytes(dataDir).includes('Old-Clear-Password-7')).toBe(false);
  });

  it('that this run cannot open is reported with a next step until it is entered again', async () => {
    const dataDir = tempDir();
    relay = await startRelay({ dataDir, deliver: false });
    await relay.call('settings.update', { values: { 'delivery.smarthostPassword': 'Sealed-Elsewhere-1' } });
    await relay.stop();
    // Another machine's key: the sealed value cannot be opened here.
    writeFileSync(join(dataDir, 'secret-key'), `${Buffer.alloc(32, 7).toString('base64')}\n`, {
      mode: 0o600,
    });

    relay = await startRelay({ dataDir, deliver: false });
    expect(relay.engine.context.settings.get('delivery.smarthostPassword')).toBe('');
    const { problems } = await relay.call('status.get', {});
    expect(problems).toEqual([
      expect.objectContaining({
        key: 'settings:delivery.smarthostPassword',
        area: 'settings',
        nextStep: 'Enter delivery.smarthostPassword again under Settings.',
      }),
    ]);
    await relay.call('settings.update', { values: { 'delivery.smarthostPassword': 'Entered-Again-2' } });
    expect((await relay.call('status.get', {})).problems).toEqual([]);
    expect(relay.engine.context.settings.get('delivery.smarthostPassword')).toBe('Entered-Again-2');
  });
});
