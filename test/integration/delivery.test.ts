import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SendingDomain } from '@shared/domain/sending-domain';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/main/engine/clock';
import { dnsRecordsOf, verifyWithDkimpy } from '../helpers/dkim';
import { createConnection, startRelay, type TestRelay, tempDir, waitForRecipients } from '../helpers/engine';
import { FakeDns } from '../helpers/fake-dns';
import { mailer } from '../helpers/mailer';
import { type Sink, startSink } from '../helpers/sink';

const MINUTE = 60_000;
let relay: TestRelay | undefined;
const sinks: Sink[] = [];
afterEach(async () => {
  await relay?.dispose();
  relay = undefined;
  for (const s of sinks.splice(0)) await s.close();
});

async function sink(options: Parameters<typeof startSink>[0] = {}): Promise<Sink> {
  const s = await startSink(options);
  sinks.push(s);
  return s;
}

/** A relay whose mail for example.org goes to `target` (a route override), with one connection to send through. */
async function relayTo(target: Sink | undefined, extra: Parameters<typeof startRelay>[0] = {}) {
  relay = await startRelay({
    ...extra,
    overrides: {
      ...(target ? { 'delivery.routes': { 'example.org': `127.0.0.1:${target.port}` } } : {}),
      ...extra.overrides,
    },
  });
  const sender = await createConnection(relay, { name: 'Webshop' });
  const send = async (to: string | string[], subject = 'Your order', text = 'Thank you for your order.') => {
    const info = await mailer(relay?.smtpPort ?? 0, sender.access).sendMail({
      from: 'shop@example.com',
      to,
      subject,
      text,
    });
    return /queued as (\w+)/.exec(info.response)?.[1] ?? '';
  };
  return { relay, sender, send };
}

describe('delivery to a recipient server', () => {
  it('delivers a mail too large to be kept in the store (header kept, body a file) byte for byte, its signature valid', async () => {
    const mx = await sink();
    const { relay: r, send } = await relayTo(mx);
    const text = Array.from(
      { length: 6000 },
      (_, i) => `Line ${i} of the invoice, with  two spaces \t and a tab.`,
    ).join('\n');
    const id = await send('customer@example.org', 'Invoice', text);
    await waitForRecipients(r, id, ['delivered']);
    await mx.waitFor(1);
    const arrived = mx.messages[0]?.raw ?? Buffer.alloc(0);
    expect(arrived.length).toBeGreaterThan(300 * 1024);
    expect(arrived.equals(await r.engine.context.spool.readAll(id))).toBe(true);
    expect(r.engine.context.store.bodies.get(id)).toMatchObject({ bodyFile: true });

    const work = tempDir('relaydesk-delivered-');
    const file = join(work, 'arrived.eml');
    writeFileSync(file, arrived);
    const records = dnsRecordsOf((await r.call('domains.list', {})) as SendingDomain[]);
    expect((await verifyWithDkimpy(file, records, work)).map((v) => v.ok)).toEqual([true]);
  });

  it('delivers over STARTTLS and the mail arrives byte for byte as stored, its signature still valid', async () => {
    const mx = await sink();
    const { relay: r, send } = await relayTo(mx);
    const id = await send('customer@example.org');
    const message = await waitForRecipients(r, id, ['delivered']);
    await mx.waitFor(1);
    const arrived = mx.messages[0];
    const stored = await r.engine.context.spool.readAll(id);
    expect(arrived?.raw.equals(stored)).toBe(true);
    expect(arrived?.secure).toBe(true);
    expect(arrived?.to).toEqual(['customer@example.org']);
    expect(arrived?.from).toMatch(new RegExp(`^rd-${id}-[0-9a-z]+-[a-z2-7]{16}@example\\.com$`));

    const work = tempDir('relaydesk-delivered-');
    const file = join(work, 'arrived.eml');
    writeFileSync(file, arrived?.raw ?? '');
    const records = dnsRecordsOf((await r.call('domains.list', {})) as SendingDomain[]);
    expect((await verifyWithDkimpy(file, records, work)).map((v) => v.ok)).toEqual([true]);

    const [attempt] = message.attempts;
    expect(attempt).toMatchObject({
      recipient: 'customer@example.org',
      route: 'override',
      host: '127.0.0.1',
      ip: '127.0.0.1',
      port: mx.port,
      replyCode: 250,
      enhancedStatus: '2.0.0',
      reply: 'Ok: sunk',
      outcome: 'delivered',
    });
    expect(attempt?.tls).toMatch(/^TLSv1\.[23] /);
    expect(message.events.map((e) => e.type)).toEqual(['accepted', 'sending', 'delivered']);
  });

  it('defers on a 4xx reply and retries on the backoff schedule until it is delivered', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 28, 9, 0, 0));
    let tries = 0;
    const mx = await sink({
      onRcpt: () => (++tries < 3 ? { code: 451, message: '4.2.0 Mailbox busy, try later' } : 'accept'),
    });
    const { relay: r, send } = await relayTo(mx, { clock });
    const id = await send('customer@example.org');
    let m = await waitForRecipients(r, id, ['deferred']);
    // The schedule's 5 minutes, plus a jitter of up to a tenth fixed per recipient.
    const firstRetry = m.recipientStates[0]?.nextAttemptAt ?? 0;
    expect(m.recipientStates[0]).toMatchObject({
      attempts: 1,
      lastReply: '451 4.2.0 Mailbox busy, try later',
    });
    expect(firstRetry - clock.now()).toBeGreaterThanOrEqual(5 * MINUTE);
    expect(firstRetry - clock.now()).toBeLessThanOrEqual(5.5 * MINUTE);
    clock.advance(4 * MINUTE);
    await new Promise((res) => setTimeout(res, 1500));
    expect((await r.call('messages.get', { id })).recipientStates[0]?.attempts).toBe(1);
    clock.set(firstRetry);
    await expect
      .poll(async () => {
        const state = (await r.call('messages.get', { id })).recipientStates[0];
        return `${state?.status} ${state?.attempts}`;
      })
      .toBe('deferred 2');
    m = await r.call('messages.get', { id });
    const secondRetry = m.recipientStates[0]?.nextAttemptAt ?? 0;
    expect(secondRetry - clock.now()).toBeGreaterThanOrEqual(10 * MINUTE);
    expect(secondRetry - clock.now()).toBeLessThanOrEqual(11 * MINUTE);
    clock.set(secondRetry);
    m = await waitForRecipients(r, id, ['delivered']);
    expect(m.attempts.map((a) => a.outcome)).toEqual(['deferred', 'deferred', 'delivered']);
  });

  it('expires a recipient that keeps failing once the queue lifetime is over', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 28, 9, 0, 0));
    const mx = await sink({ onRcpt: () => ({ code: 450, message: '4.2.1 Try again later' }) });
    const { relay: r, send } = await relayTo(mx, {
      clock,
      overrides: { 'delivery.retrySchedule': '40m', 'delivery.queueLifetimeHours': 1 },
    });
    const id = await send('customer@example.org');
    const first = await waitForRecipients(r, id, ['deferred']);
    clock.set(first.recipientStates[0]?.nextAttemptAt ?? 0);
    await expect
      .poll(async () => (await r.call('messages.get', { id })).attempts.length, { timeout: 5000 })
      .toBe(2);
    // The next wait would pass the deadline: the last try is at the deadline itself.
    expect((await r.call('messages.get', { id })).recipientStates[0]?.nextAttemptAt).toBe(
      Date.UTC(2026, 10, 28, 10, 0, 0),
    );
    clock.advance(20 * MINUTE);
    const m = await waitForRecipients(r, id, ['expired']);
    expect(m.attempts.map((a) => a.outcome)).toEqual(['deferred', 'deferred', 'expired']);
    expect(m.recipientStates[0]?.nextAttemptAt).toBeNull();
  });

  it('bounces at once on a 5xx reply, keeping the reply code, enhanced status and text', async () => {
    const mx = await sink({
      onRcpt: () => ({
        code: 550,
        message: '5.1.1 <nobody@example.org>: Recipient address rejected: User unknown',
      }),
    });
    const { relay: r, send } = await relayTo(mx);
    const id = await send('nobody@example.org');
    const m = await waitForRecipients(r, id, ['bounced']);
    expect(m.attempts).toHaveLength(1);
    expect(m.attempts[0]).toMatchObject({
      replyCode: 550,
      enhancedStatus: '5.1.1',
      reply: '<nobody@example.org>: Recipient address rejected: User unknown',
      outcome: 'bounced',
    });
    expect(mx.messages).toHaveLength(0);
  });

  it('honours different replies for recipients of one mail: one 550, one 250, each in its own transaction', async () => {
    const mx = await sink({
      onRcpt: (a) => (a.startsWith('gone') ? { code: 550, message: '5.1.1 No such user' } : 'accept'),
    });
    const { relay: r, send } = await relayTo(mx);
    const id = await send(['anna@example.org', 'gone@example.org']);
    const m = await waitForRecipients(r, id, ['delivered', 'bounced']);
    expect(Object.fromEntries(m.recipientStates.map((s) => [s.address, s.status]))).toEqual({
      'anna@example.org': 'delivered',
      'gone@example.org': 'bounced',
    });
    await mx.waitFor(1);
    expect(mx.messages).toHaveLength(1);
    expect(mx.messages[0]?.to).toEqual(['anna@example.org']);
    // Each recipient has its own transaction, whose return path names that recipient (never 0).
    expect(mx.messages[0]?.from).toMatch(
      new RegExp(`^rd-${id}-[1-9a-z][0-9a-z]*-[a-z2-7]{16}@example\\.com$`),
    );
    expect(m.attempts.map((a) => a.outcome).sort()).toEqual(['bounced', 'delivered']);
  });

  it('defers when the server drops the connection, and when it refuses connections', async () => {
    const mx = await sink({ onRcpt: () => 'drop' });
    const { relay: r, send } = await relayTo(mx);
    const dropped = await send('customer@example.org');
    const m = await waitForRecipients(r, dropped, ['deferred']);
    expect(m.recipientStates[0]?.lastReply).toMatch(/^4\.4\.1 /);
    await mx.close();
    sinks.splice(sinks.indexOf(mx), 1);
    const refused = await send('other@example.org');
    const n = await waitForRecipients(r, refused, ['deferred']);
    expect(n.recipientStates[0]?.lastReply).toBe('4.4.1 connection refused');
  });

  it('defers instead of sending in clear when TLS is required and the server does not offer it', async () => {
    const mx = await sink({ tls: false });
    relay = await startRelay({
      overrides: { 'delivery.routes': { 'example.org': `127.0.0.1:${mx.port} require-tls` } },
    });
    const sender = await createConnection(relay, { name: 'Webshop' });
    const info = await mailer(relay.smtpPort, sender.access).sendMail({
      from: 'shop@example.com',
      to: 'a@example.org',
      text: 'x',
    });
    const id = /queued as (\w+)/.exec(info.response)?.[1] ?? '';
    const m = await waitForRecipients(relay, id, ['deferred']);
    expect(m.recipientStates[0]?.lastReply).toMatch(/^4\.7\.10 TLS required by policy/);
    expect(mx.messages).toHaveLength(0);
  });

  it('reuses connections: 100 mails to one destination need far fewer than 100', async () => {
    const mx = await sink();
    const { relay: r, sender } = await relayTo(mx);
    // More than the demo's 25 an hour.
    await r.call('quota.bookBlock', { size: 25_000 });
    const transport = mailer(r.smtpPort, sender.access, 5);
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        transport.sendMail({
          from: 'shop@example.com',
          to: `c${i}@example.org`,
          subject: `Order ${i}`,
          text: 'x',
        }),
      ),
    );
    transport.close();
    await mx.waitFor(100, 30_000);
    expect(mx.connections).toBeLessThanOrEqual(20);
    expect(new Set(mx.messages.map((m) => m.session)).size).toBe(mx.connections);
  });
});

describe('routes', () => {
  it('try MX hosts by preference, and the next one when the first does not answer', async () => {
    const primary = await sink({ host: '127.0.0.2' });
    const dns = new FakeDns();
    dns.mx.set('example.net', [
      { exchange: 'backup.example.net', priority: 20 },
      { exchange: 'mx1.example.net', priority: 10 },
    ]);
    dns.a.set('mx1.example.net', ['127.0.0.2']);
    dns.a.set('backup.example.net', ['127.0.0.3']);
    const { relay: r, send } = await relayTo(undefined, { resolver: dns, mxPort: primary.port });
    const first = await send('customer@example.net');
    let m = await waitForRecipients(r, first, ['delivered']);
    expect(m.attempts[0]).toMatchObject({ route: 'mx', host: 'mx1.example.net', ip: '127.0.0.2' });

    // The primary goes away; the backup, on the same port of another address, takes the mail.
    await primary.close();
    sinks.splice(sinks.indexOf(primary), 1);
    const backup = await sink({ host: '127.0.0.3', port: primary.port });
    const second = await send('other@example.net');
    m = await waitForRecipients(r, second, ['delivered']);
    expect(m.attempts[0]).toMatchObject({ host: 'backup.example.net', ip: '127.0.0.3' });
    expect(backup.messages).toHaveLength(1);
  });

  it('fall back to the address record when a domain has no MX', async () => {
    const host = await sink({ host: '127.0.0.4' });
    const dns = new FakeDns();
    dns.a.set('no-mx.example', ['127.0.0.4']);
    const { relay: r, send } = await relayTo(undefined, { resolver: dns, mxPort: host.port });
    const m = await waitForRecipients(r, await send('a@no-mx.example'), ['delivered']);
    expect(m.attempts[0]).toMatchObject({ route: 'mx', host: 'no-mx.example', ip: '127.0.0.4' });
  });

  it('bounce at once for a null MX; a domain that does not exist, or has neither MX nor address, once a second lookup confirms it', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 28, 9, 0, 0));
    const dns = new FakeDns();
    dns.mx.set('null-mx.example', [{ exchange: '', priority: 0 }]);
    dns.names.add('bare.example');
    const { relay: r, send } = await relayTo(undefined, { resolver: dns, clock });
    const nullMx = await waitForRecipients(r, await send('a@null-mx.example'), ['bounced']);
    expect(nullMx.attempts[0]).toMatchObject({ replyCode: 556, enhancedStatus: '5.1.10' });

    const missing = await send('a@missing.example');
    const bare = await send('a@bare.example');
    for (const id of [missing, bare]) {
      // One NXDOMAIN may be a resolver's passing mistake: the first attempt defers.
      const first = await waitForRecipients(r, id, ['deferred']);
      expect(first.attempts[0]).toMatchObject({ outcome: 'deferred', enhancedStatus: '4.4.3' });
      expect(first.attempts[0]?.reply).toMatch(/asks DNS once more/);
    }
    clock.advance(6 * MINUTE);
    const confirmed = await waitForRecipients(r, missing, ['bounced']);
    expect(confirmed.attempts.map((a) => a.outcome)).toEqual(['deferred', 'bounced']);
    expect(confirmed.attempts[1]?.reply).toMatch(/missing\.example does not exist/);
    const bareConfirmed = await waitForRecipients(r, bare, ['bounced']);
    expect(bareConfirmed.attempts[1]?.reply).toMatch(/no MX and no address record/);
  });

  it('defer when DNS fails, rather than bounce', async () => {
    const dns = new FakeDns();
    dns.broken.add('flaky.example');
    const { relay: r, send } = await relayTo(undefined, { resolver: dns });
    const m = await waitForRecipients(r, await send('a@flaky.example'), ['deferred']);
    expect(m.recipientStates[0]?.lastReply).toMatch(/DNS lookup for flaky\.example failed \(ETIMEOUT\)/);
  });

  it('send everything through the smarthost when one is set, over STARTTLS, logging in there', async () => {
    const smarthost = await sink({ auth: { user: 'relaydesk', pass: 's3cret-pass' } });
    const { relay: r, send } = await relayTo(undefined, {
      overrides: {
        'delivery.smarthost': `127.0.0.1:${smarthost.port}`,
        'delivery.smarthostUser': 'relaydesk',
        'delivery.smarthostPassword': 's3cret-pass',
        'delivery.smarthostVerifyCertificate': false,
      },
    });
    const m = await waitForRecipients(r, await send('someone@anywhere.example'), ['delivered']);
    expect(m.attempts[0]).toMatchObject({
      route: 'smarthost',
      port: smarthost.port,
      tls: expect.stringMatching(/^TLSv1/),
    });
    expect(smarthost.logins).toEqual(['relaydesk']);
  });

  it('defer, not bounce, when the smarthost certificate cannot be verified', async () => {
    const smarthost = await sink();
    const { relay: r, send } = await relayTo(undefined, {
      overrides: { 'delivery.smarthost': `127.0.0.1:${smarthost.port}` },
    });
    const m = await waitForRecipients(r, await send('someone@anywhere.example'), ['deferred']);
    expect(m.recipientStates[0]?.lastReply).toMatch(/^4\.\d\.\d+ .*certificate/i);
    expect(smarthost.messages).toHaveLength(0);
  });
});
