import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SmtpAccess } from '@shared/domain/connection';
import type { SendingDomain } from '@shared/domain/sending-domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dnsRecordsOf, verifyWithDkimpy, verifyWithMailauth } from '../helpers/dkim';
import { startRelay, type TestRelay, tempDir, waitForRecipients } from '../helpers/engine';
import { mailer } from '../helpers/mailer';
import { type Sink, startSink } from '../helpers/sink';
import { authArgs, swaks } from '../helpers/swaks';

let relay: TestRelay;
let mx: Sink;
let work: string;
let dev: { id: string; access: SmtpAccess };

beforeAll(async () => {
  mx = await startSink();
  work = tempDir('relaydesk-sandbox-');
  const route = `127.0.0.1:${mx.port}`;
  relay = await startRelay({
    overrides: { 'delivery.routes': { 'example.org': route, 'example.net': route } },
  });
  // No sending domain exists: a developer's first minute with Relaydesk.
  const created = await relay.call('connections.create', { name: 'Dev laptop', mode: 'sandbox' });
  dev = { id: created.connection.id, access: created.access };
});
afterAll(async () => {
  await relay.dispose();
  await mx.close();
  rmSync(work, { recursive: true, force: true });
});

const queuedId = (output: string) => /queued as (\w+)/.exec(output)?.[1] ?? '';

/** swaks with From: and MAIL FROM both `from`; returns the relay's id of the mail, or the failing output. */
async function sendWithSwaks(access: SmtpAccess, from: string, to = 'customer@example.org') {
  const result = await swaks(relay.smtpPort, [
    ...authArgs(access),
    '--from',
    from,
    '--to',
    to,
    '--header',
    `Subject: Order ${from}`,
    '--body',
    'Thank you for your order.',
  ]);
  return { ...result, id: queuedId(result.output) };
}

async function sendWithNodemailer(
  from: string,
  text = 'Your order has shipped.',
  to = 'customer@example.org',
) {
  const info = await mailer(relay.smtpPort, dev.access).sendMail({ from, to, subject: 'Shipped', text });
  return queuedId(info.response);
}

const rawOf = async (id: string) => (await relay.engine.context.spool.readAll(id)).toString('latin1');

describe('a sandbox connection that accepts any sender', () => {
  it('is on by default for a new sandbox connection and off for a new live one', async () => {
    expect((await relay.call('connections.get', { id: dev.id })).acceptsAnySender).toBe(true);
    const live = await relay.call('connections.create', { name: 'Shop' });
    expect(live.connection.acceptsAnySender).toBe(false);
    await relay.call('connections.delete', { id: live.connection.id });
  });

  it('captures mail from anyone@anywhere.example without any sending domain, unsigned and without List-Help', async () => {
    expect(await relay.call('domains.list', {})).toEqual([]);
    const sent = await sendWithSwaks(dev.access, 'anyone@anywhere.example');
    expect(sent.exitCode, sent.output).toBe(0);
    const message = await relay.call('messages.get', { id: sent.id });
    expect(message).toMatchObject({
      status: 'captured',
      mode: 'sandbox',
      mailFrom: 'anyone@anywhere.example',
    });
    expect(message.from).toContain('anyone@anywhere.example');
    const raw = await rawOf(sent.id);
    expect(raw).not.toMatch(/^DKIM-Signature:/im);
    expect(raw).not.toMatch(/^List-Help:/im);
    expect(raw).toMatch(/^Received: from .* by .* \(Relaydesk\)/m);
    expect(raw).toContain('Thank you for your order.');
    expect(mx.messages).toHaveLength(0);
  });

  it('refuses a From outside its sending domains as before once the switch is off', async () => {
    await relay.call('connections.update', { id: dev.id, acceptsAnySender: false });
    try {
      const sent = await sendWithSwaks(dev.access, 'anyone@anywhere.example');
      expect(sent.exitCode).not.toBe(0);
      expect(sent.replies.join('\n')).toMatch(
        /550 5\.7\.1 "anywhere\.example" is not a sending domain of connection "Dev laptop"/,
      );
    } finally {
      await relay.call('connections.update', { id: dev.id, acceptsAnySender: true });
    }
  });

  it('can never be turned on for a live connection, and switching to live turns it off', async () => {
    await expect(
      relay.call('connections.create', { name: 'Shop', mode: 'live', acceptsAnySender: true }),
    ).rejects.toMatchObject({
      code: 'invalid_params',
      message: expect.stringMatching(/Switch the connection to sandbox/),
    });
    const live = await relay.call('connections.create', { name: 'Shop', mode: 'live' });
    await expect(
      relay.call('connections.update', { id: live.connection.id, acceptsAnySender: true }),
    ).rejects.toMatchObject({ code: 'invalid_params' });
    // Below the service too: the store itself refuses the combination.
    expect(() =>
      relay.engine.context.store.connections.update(live.connection.id, { acceptsAnySender: true }),
    ).toThrow(/CHECK constraint failed/);
    const sent = await sendWithSwaks(live.access, 'anyone@anywhere.example');
    expect(sent.replies.join('\n')).toMatch(/550 5\.7\.1 "anywhere\.example" is not a sending domain/);

    const other = await relay.call('connections.create', { name: 'Staging', mode: 'sandbox' });
    expect(other.connection.acceptsAnySender).toBe(true);
    const switched = await relay.call('connections.update', { id: other.connection.id, mode: 'live' });
    expect(switched).toMatchObject({ mode: 'live', acceptsAnySender: false });
    await expect(
      relay.call('connections.update', { id: other.connection.id, mode: 'live', acceptsAnySender: true }),
    ).rejects.toMatchObject({ code: 'invalid_params' });
    for (const c of [live, other]) await relay.call('connections.delete', { id: c.connection.id });
  });
});

describe('releasing a capture', () => {
  it('to a typed address delivers only there, unsigned, and refuses the original recipients with the next step', async () => {
    const id = await sendWithNodemailer('Random Sender <random-4711@nowhere.example>');
    await expect(relay.call('messages.release', { id, target: { to: 'original' } })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(
        /captured unsigned from .*"nowhere\.example" is not a sending domain of Relaydesk.*Domains & DKIM.*release it to your own address/,
      ),
    });
    await expect(
      relay.call('messages.release', { id, target: { to: 'address', address: 'not an address' } }),
    ).rejects.toMatchObject({
      code: 'invalid_params',
      error: { fields: { 'target.address': expect.any(String) } },
    });

    const before = mx.messages.length;
    const released = await relay.call('messages.release', {
      id,
      target: { to: 'address', address: 'dev@example.net' },
    });
    expect(released).toEqual({ id, recipients: 1, to: 'address', signing: 'unsigned' });
    await mx.waitFor(before + 1);
    const detail = await waitForRecipients(relay, id, ['delivered', 'captured']);
    expect(detail.recipientStates.map((r) => [r.address, r.status])).toEqual([
      ['customer@example.org', 'captured'],
      ['dev@example.net', 'delivered'],
    ]);
    const arrived = mx.messages.slice(before);
    expect(arrived.map((m) => m.to)).toEqual([['dev@example.net']]);
    expect(arrived[0]?.raw.toString()).toContain('Your order has shipped.');
    expect(detail.events.find((e) => e.type === 'released')?.detail).toMatch(
      /released to dev@example\.net .*original recipients were not contacted/,
    );
    // Nobody else gets it later either.
    await new Promise((r) => setTimeout(r, 500));
    expect(mx.messages.flatMap((m) => m.to)).not.toContain('customer@example.org');
  });

  it('signs a capture kept unsigned at release when its From domain is a ready sending domain', async () => {
    await relay.call('domains.create', { domain: 'shop.example', listHelp: 'https://shop.example/why' });
    const id = await sendWithNodemailer('orders@shop.example');
    expect(await rawOf(id)).not.toMatch(/^DKIM-Signature:/im);

    const before = mx.messages.length;
    const released = await relay.call('messages.release', { id });
    expect(released).toMatchObject({ to: 'original', recipients: 1, signing: 'signed-at-release' });
    await mx.waitFor(before + 1);
    await waitForRecipients(relay, id, ['delivered']);
    const delivered = mx.messages[before];
    expect(delivered?.to).toEqual(['customer@example.org']);
    const raw = delivered?.raw.toString('latin1') ?? '';
    expect(raw).toMatch(/^List-Help: <https:\/\/shop\.example\/why>/m);
    // What arrived is what the store kept, and both independent verifiers accept its signature.
    expect(raw).toBe(await rawOf(id));
    const file = join(work, `${id}.eml`);
    writeFileSync(file, delivered?.raw ?? '');
    const records = dnsRecordsOf((await relay.call('domains.list', {})) as SendingDomain[]);
    const [dkimpy, mailauth] = await Promise.all([
      verifyWithDkimpy(file, records, work),
      verifyWithMailauth(file, records),
    ]);
    for (const r of [...dkimpy, ...mailauth])
      expect(r, JSON.stringify(r)).toMatchObject({ d: 'shop.example', ok: true });
    expect(dkimpy).toHaveLength(1);
    expect((await relay.call('messages.get', { id })).size).toBe(raw.length);
  });

  it('signs a large capture (body kept as a spool file) at release as well', async () => {
    const id = await sendWithNodemailer(
      'orders@shop.example',
      `${'A large invoice line.\n'.repeat(20_000)}end`,
    );
    const before = mx.messages.length;
    expect(await relay.call('messages.release', { id })).toMatchObject({ signing: 'signed-at-release' });
    await mx.waitFor(before + 1);
    const file = join(work, `${id}.eml`);
    writeFileSync(file, mx.messages[before]?.raw ?? '');
    const records = dnsRecordsOf((await relay.call('domains.list', {})) as SendingDomain[]);
    const checks = await verifyWithMailauth(file, records);
    expect(checks).toEqual([expect.objectContaining({ d: 'shop.example', ok: true })]);
  });
});

describe('deleting all captured mail of a connection', () => {
  it('removes the captures not yet released, rows and bodies (in the store and as files), and keeps released mail', async () => {
    const { store, spool } = relay.engine.context;
    const small = await sendWithNodemailer('a@anywhere.example');
    const large = await sendWithNodemailer('b@anywhere.example', 'x'.repeat(400_000));
    expect(existsSync(spool.bodyPathOf(large))).toBe(true);
    expect(store.bodies.get(small)).toBeDefined();
    const releasedBefore = (
      await relay.call('messages.search', { connectionId: dev.id, status: 'delivered' })
    ).items;
    expect(releasedBefore.length).toBeGreaterThan(0);

    const pushed: unknown[] = [];
    const unsubscribe = relay.engine.context.events.subscribe((e) => {
      if (e.type === 'captures.deleted') pushed.push(e.data);
    });
    const { messages } = await relay.call('messages.countCaptured', { connectionId: dev.id });
    expect(messages).toBeGreaterThanOrEqual(2);
    expect(await relay.call('messages.deleteCaptured', { connectionId: dev.id })).toEqual({
      connectionId: dev.id,
      deleted: messages,
    });
    unsubscribe();
    expect(pushed).toEqual([{ connectionId: dev.id, deleted: messages }]);
    for (const id of [small, large]) {
      await expect(relay.call('messages.get', { id })).rejects.toMatchObject({ code: 'not_found' });
      expect(store.bodies.get(id)).toBeUndefined();
    }
    expect(existsSync(spool.bodyPathOf(large))).toBe(false);
    const left = store.db
      .prepare(
        "SELECT COUNT(*) FROM recipients r JOIN messages m ON m.id = r.message_id WHERE m.connection_id = ? AND NOT EXISTS (SELECT 1 FROM recipients o WHERE o.message_id = m.id AND o.status <> 'captured')",
      )
      .pluck()
      .get(dev.id);
    expect(left).toBe(0);
    expect(await relay.call('messages.countCaptured', { connectionId: dev.id })).toEqual({
      connectionId: dev.id,
      messages: 0,
    });
    const releasedAfter = (await relay.call('messages.search', { connectionId: dev.id, status: 'delivered' }))
      .items;
    expect(releasedAfter.map((m) => m.id)).toEqual(releasedBefore.map((m) => m.id));
    await expect(relay.call('messages.deleteCaptured', { connectionId: 'nope' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
