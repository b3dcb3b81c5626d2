import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnection, startRelay, type TestRelay, waitForRecipients } from '../helpers/engine';
import { sendMail } from '../helpers/mailer';
import { type Sink, startSink } from '../helpers/sink';

let relay: TestRelay;
let mx: Sink;
let shop: Awaited<ReturnType<typeof createConnection>>;

beforeAll(async () => {
  mx = await startSink();
  // Delivery paused: mail stays queued until a test resumes it.
  relay = await startRelay({
    deliver: false,
    overrides: { 'delivery.routes': { 'example.org': `127.0.0.1:${mx.port}` } },
  });
  shop = await createConnection(relay, { name: 'Shop' });
});
afterAll(async () => {
  await relay.dispose();
  await mx.close();
});

const send = (access: { username: string; password: string }, from: string, to: string) =>
  sendMail(relay.smtpPort, access, { from, to, subject: 'Order' });

const keyFile = (keyId: string) => join(relay.dataDir, 'dkim', `${keyId}.pem`);
const keysOf = async (domainId: string) => (await relay.call('domains.get', { id: domainId })).keys;
const recordedKeys = (messageId: string) =>
  relay.engine.context.store.db
    .prepare('SELECT dkim_key_ids FROM messages WHERE id = ?')
    .pluck()
    .get(messageId);

describe('deleting a DKIM key', () => {
  it('is refused while waiting mail is signed with it, saying how many, and works once nothing waits', async () => {
    const domainId = shop.domain.id;
    const [first] = await keysOf(domainId);
    if (!first) throw new Error('the sending domain has no key');
    const old = [
      await send(shop.access, 'shop@example.com', 'a@example.org'),
      await send(shop.access, 'shop@example.com', 'b@example.org'),
    ];
    expect(recordedKeys(old[0] ?? '')).toBe(JSON.stringify([first.id]));

    // Switch keys: new mail is signed with the second one.
    const { key: second } = await relay.call('domains.generateKey', { domainId, algorithm: 'rsa-sha256' });
    await relay.call('domains.activateKey', { keyId: second.id });
    const fresh = await send(shop.access, 'shop@example.com', 'c@example.org');
    expect(recordedKeys(fresh)).toBe(JSON.stringify([second.id]));

    await expect(relay.call('domains.deleteKey', { keyId: first.id })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(
        new RegExp(
          `^2 mails waiting for delivery are signed with the key "${first.selector}"; .*cancel them under Queue, then delete the key\\.$`,
        ),
      ),
    });
    await expect(relay.call('domains.deleteKey', { keyId: second.id })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(
        /^1 mail waiting for delivery is signed with the key .*make another key active first\.$/,
      ),
    });
    await expect(relay.call('domains.delete', { id: domainId })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(
        /^3 mails waiting for delivery are signed with a DKIM key of example\.com/,
      ),
    });
    // Nothing was removed: both keys, their files, the domain.
    expect((await keysOf(domainId)).map((k) => k.id)).toEqual([first.id, second.id]);
    expect(existsSync(keyFile(first.id))).toBe(true);

    await relay.call('messages.cancel', { id: old[0] ?? '' });
    await expect(relay.call('domains.deleteKey', { keyId: first.id })).rejects.toMatchObject({
      message: expect.stringMatching(/^1 mail waiting for delivery is signed/),
    });

    await relay.call('queue.resume', {});
    for (const id of [old[1] ?? '', fresh]) await waitForRecipients(relay, id, ['delivered']);
    await relay.call('queue.pause', {});

    const after = await relay.call('domains.deleteKey', { keyId: first.id });
    expect(after.keys.map((k) => k.id)).toEqual([second.id]);
    expect(existsSync(keyFile(first.id))).toBe(false);
  });

  it('reads the DKIM-Signature of waiting mail stored before keys were recorded', async () => {
    const domainId = shop.domain.id;
    const [active] = await keysOf(domainId);
    if (!active) throw new Error('the sending domain has no key');
    // A standby key whose selector starts like the active one's: only exact s= matches count.
    const { key: unused } = await relay.call('domains.generateKey', {
      domainId,
      algorithm: 'rsa-sha256',
      selector: `${active.selector}x`,
    });
    const id = await send(shop.access, 'shop@example.com', 'd@example.org');
    relay.engine.context.store.db.prepare('UPDATE messages SET dkim_key_ids = NULL WHERE id = ?').run(id);

    await expect(relay.call('domains.deleteKey', { keyId: active.id })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/^1 mail waiting for delivery is signed with the key/),
    });
    const after = await relay.call('domains.deleteKey', { keyId: unused.id });
    expect(after.keys.map((k) => k.id)).toEqual([active.id]);
    await relay.call('messages.cancel', { id });
  });

  it('refuses a mail with 451 when its key is deleted between signing and storing, and stores nothing', async () => {
    const race = await createConnection(relay, { name: 'Race' }, 'race.example');
    const [key] = await keysOf(race.domain.id);
    if (!key) throw new Error('the sending domain has no key');
    const { store } = relay.engine.context;
    const record = store.messages.recordAccepted;
    // The operator deletes the key after intake signed the mail and before it is stored.
    store.messages.recordAccepted = (m) => {
      store.domains.deleteKey(key.id);
      record.call(store.messages, m);
    };
    const before = store.messages.countMessages();
    try {
      await expect(send(race.access, 'shop@race.example', 'e@example.org')).rejects.toMatchObject({
        responseCode: 451,
        response: expect.stringMatching(
          /^451 4\.3\.0 A DKIM key of "race\.example" was deleted while this mail arrived; send it again/,
        ),
      });
    } finally {
      store.messages.recordAccepted = record;
    }
    expect(store.messages.countMessages()).toBe(before);
  });

  it('keeps a sandbox capture from being released once the key that signed it is deleted', async () => {
    const sandbox = await createConnection(relay, { name: 'Test shop', mode: 'sandbox' }, 'sandbox.example');
    const captured = await send(sandbox.access, 'shop@sandbox.example', 'dev@example.org');
    await waitForRecipients(relay, captured, ['captured']);
    const [signing] = await keysOf(sandbox.domain.id);
    if (!signing) throw new Error('the sending domain has no key');
    const { key: next } = await relay.call('domains.generateKey', {
      domainId: sandbox.domain.id,
      algorithm: 'rsa-sha256',
    });
    await relay.call('domains.activateKey', { keyId: next.id });
    // A capture is not waiting for delivery: the key may go.
    await relay.call('domains.deleteKey', { keyId: signing.id });
    await expect(relay.call('messages.release', { id: captured })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/signed with a DKIM key that has been deleted since/),
    });
    expect((await relay.call('messages.get', { id: captured })).recipientStates[0]?.status).toBe('captured');
  });
});
