import { afterEach, describe, expect, it } from 'vitest';
import { createConnection, startRelay, type TestRelay, waitForRecipients } from '../helpers/engine';
import { mailer } from '../helpers/mailer';
import { type Sink, startSink } from '../helpers/sink';

let relay: TestRelay | undefined;
let mx: Sink | undefined;
afterEach(async () => {
  await relay?.dispose();
  await mx?.close();
  relay = undefined;
  mx = undefined;
});

async function setUp(onRcpt?: NonNullable<Parameters<typeof startSink>[0]>['onRcpt']) {
  mx = await startSink(onRcpt ? { onRcpt } : {});
  relay = await startRelay({ overrides: { 'delivery.routes': { 'example.org': `127.0.0.1:${mx.port}` } } });
  const live = await createConnection(relay, { name: 'Shop' });
  const sandbox = await createConnection(relay, { name: 'Dev', mode: 'sandbox' });
  const send = async (access: { username: string; password: string }, to = 'customer@example.org') => {
    const info = await mailer(relay?.smtpPort ?? 0, access).sendMail({
      from: 'shop@example.com',
      to,
      subject: 'x',
      text: 'x',
    });
    return /queued as (\w+)/.exec(info.response)?.[1] ?? '';
  };
  return { r: relay, live: live.access, sandbox: sandbox.access, send, sink: mx };
}

describe('queue controls through the API', () => {
  it('retry now sends a deferred mail at once instead of on its schedule', async () => {
    let tries = 0;
    const { r, live, send } = await setUp(() =>
      ++tries === 1 ? { code: 451, message: '4.3.0 Busy' } : 'accept',
    );
    const id = await send(live);
    const deferred = await waitForRecipients(r, id, ['deferred']);
    expect(deferred.recipientStates[0]?.nextAttemptAt).toBeGreaterThan(Date.now() + 4 * 60_000);
    expect(await r.call('messages.retry', { id })).toEqual({ id, recipients: 1 });
    await waitForRecipients(r, id, ['delivered'], 5000);
  });

  it('cancel stops delivery of a waiting mail, and says when there is nothing to cancel', async () => {
    const { r, live, send, sink } = await setUp(() => ({ code: 451, message: '4.3.0 Busy' }));
    const id = await send(live);
    await waitForRecipients(r, id, ['deferred']);
    await r.call('messages.cancel', { id });
    const m = await waitForRecipients(r, id, ['cancelled']);
    expect(m.events.map((e) => e.type)).toContain('cancelled');
    await expect(r.call('messages.cancel', { id })).rejects.toMatchObject({ code: 'conflict' });
    await expect(r.call('messages.retry', { id })).rejects.toMatchObject({ code: 'conflict' });
    expect(sink.messages).toHaveLength(0);
  });

  it('pause holds delivery to a domain (or all) while mail keeps arriving; resume sends it', async () => {
    const { r, live, send, sink } = await setUp();
    expect((await r.call('queue.pause', { domain: 'example.org' })).paused).toEqual(['example.org']);
    const id = await send(live);
    await new Promise((res) => setTimeout(res, 1500));
    expect((await r.call('messages.get', { id })).recipientStates[0]?.status).toBe('queued');
    const listed = await r.call('queue.list', {});
    expect(listed.items.map((e) => e.messageId)).toEqual([id]);
    expect(sink.messages).toHaveLength(0);
    expect((await r.call('queue.resume', { domain: 'example.org' })).paused).toEqual([]);
    await waitForRecipients(r, id, ['delivered'], 5000);

    await r.call('queue.pause', {});
    expect((await r.call('status.get', {})).queue.paused).toEqual(['*']);
    const held = await send(live, 'other@example.org');
    await new Promise((res) => setTimeout(res, 1200));
    expect((await r.call('messages.get', { id: held })).recipientStates[0]?.status).toBe('queued');
    await r.call('queue.resume', {});
    await waitForRecipients(r, held, ['delivered'], 5000);
  });

  it('never delivers a sandbox capture until it is released', async () => {
    const { r, sandbox, send, sink } = await setUp();
    const id = await send(sandbox);
    await new Promise((res) => setTimeout(res, 1200));
    expect((await r.call('messages.get', { id })).recipientStates[0]?.status).toBe('captured');
    expect(sink.messages).toHaveLength(0);
    expect(await r.call('messages.release', { id })).toEqual({
      id,
      recipients: 1,
      to: 'original',
      signing: 'signed',
    });
    const m = await waitForRecipients(r, id, ['delivered'], 5000);
    expect(m.events.map((e) => e.type)).toEqual(['accepted', 'released', 'sending', 'delivered']);
    expect(sink.messages).toHaveLength(1);
  });

  it('a clean stop lets the mail being sent finish and puts the rest back in the queue', async () => {
    mx = await startSink({ dataDelayMs: 400 });
    relay = await startRelay({
      overrides: {
        'delivery.routes': { 'example.org': `127.0.0.1:${mx.port}` },
        'delivery.maxConnectionsPerDomain': 1,
      },
    });
    const { access } = await createConnection(relay, { name: 'Shop' });
    const transport = mailer(relay.smtpPort, access, 5);
    const ids = await Promise.all(
      [1, 2, 3].map(async (i) => {
        const info = await transport.sendMail({
          from: 'shop@example.com',
          to: `c${i}@example.org`,
          text: 'x',
        });
        return /queued as (\w+)/.exec(info.response)?.[1] ?? '';
      }),
    );
    transport.close();
    await new Promise((res) => setTimeout(res, 200));
    const dataDir = relay.dataDir;
    await relay.stop();
    const after = await startRelay({
      dataDir,
      overrides: { 'delivery.routes': { 'example.org': `127.0.0.1:${mx.port}` } },
    });
    relay = after;
    const statuses = await Promise.all(
      ids.map(async (id) => (await after.call('messages.get', { id })).recipientStates[0]),
    );
    // None is left "sending"; the one in flight at the stop was delivered, not dropped.
    expect(statuses.every((s) => s?.status !== 'sending')).toBe(true);
    expect(statuses.filter((s) => s?.status === 'delivered').length).toBeGreaterThanOrEqual(1);
    for (const id of ids) await waitForRecipients(after, id, ['delivered'], 10_000);
    expect(mx.messages).toHaveLength(3);
  });
});
