import { rmSync } from 'node:fs';
import type { MessageDetail } from '@shared/domain/message';
import { SIMULATOR_DOMAIN } from '@shared/domain/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/engine';
import { type HeadlessRelay, startHeadless } from '../helpers/headless';
import { createSender, type Sender } from '../helpers/sender';
import { type Sink, startSink } from '../helpers/sink';
import { SmtpSession } from '../helpers/smtp-session';

const dataDir = tempDir();
let relay: HeadlessRelay;
let sink: Sink;
let shop: Sender;

interface Answer {
  ok: boolean;
  value: { messageId: string; from: string; to: string };
  error: { code: string; message: string; fields?: Record<string, string> };
}

const sendTest = async (params: unknown): Promise<{ status: number; body: Answer }> => {
  const res = await fetch(`${relay.baseUrl}/api/connections.sendTest`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${relay.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: res.status, body: (await res.json()) as Answer };
};

async function waitFor(id: string, statuses: string[]): Promise<MessageDetail> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const m = await relay.call<MessageDetail>('messages.get', { id });
    if (m.recipientStates.every((r) => statuses.includes(r.status))) return m;
    if (Date.now() > deadline) throw new Error(`still ${m.recipientStates.map((r) => r.status)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const call = (method: string, params: unknown) => relay.call(method, params);

beforeAll(async () => {
  sink = await startSink();
  relay = await startHeadless(dataDir);
  await call('settings.update', {
    values: { 'delivery.routes': { 'example.org': `127.0.0.1:${sink.port}` } },
  });
  shop = await createSender(call, { name: 'Webshop' });
});
afterAll(async () => {
  await relay.stop();
  await sink.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('connections.sendTest over the HTTP API', () => {
  it('sends "Relaydesk test mail" from the connection\'s sending domain to a simulator address, signed, and it is delivered by the simulator', async () => {
    const to = `delivered@${SIMULATOR_DOMAIN}`;
    const { status, body } = await sendTest({ connectionId: shop.connection.id, to });
    expect(status).toBe(200);
    expect(body.value).toMatchObject({ from: 'relaydesk-test@example.com', to });
    const message = await waitFor(body.value.messageId, ['delivered']);
    expect(message.subject).toBe('Relaydesk test mail');
    expect(message.connectionId).toBe(shop.connection.id);
    expect(message.headers.map((h) => h.name.toLowerCase())).toEqual(
      expect.arrayContaining(['dkim-signature', 'list-help', 'message-id', 'received']),
    );
    expect(message.attempts[0]).toMatchObject({ route: 'simulator', replyCode: 250 });
  });

  it('sends to a typed address through the real delivery route', async () => {
    const { body } = await sendTest({ connectionId: shop.connection.id, to: 'me@example.org' });
    await waitFor(body.value.messageId, ['delivered']);
    await sink.waitFor(1);
    const raw = sink.messages[0]?.raw.toString() ?? '';
    expect(raw).toMatch(/^Subject: Relaydesk test mail$/m);
    expect(raw).toMatch(/^DKIM-Signature: .*d=example\.com/m);
  });

  it('a sandbox connection captures its test mail', async () => {
    const sandbox = await createSender(call, { name: 'Staging', mode: 'sandbox' });
    const { body } = await sendTest({ connectionId: sandbox.connection.id, to: 'me@example.org' });
    const message = await waitFor(body.value.messageId, ['captured']);
    expect(message.mode).toBe('sandbox');
  });

  it('a sandbox connection that accepts any sender captures its test mail without a sending domain', async () => {
    const created = await call('connections.create', { name: 'Playground', mode: 'sandbox' });
    const { connection } = created as { connection: { id: string; acceptsAnySender: boolean } };
    expect(connection.acceptsAnySender).toBe(true);
    const { status, body } = await sendTest({ connectionId: connection.id, to: 'dev@example.org' });
    expect(status).toBe(200);
    expect(body.value.from).toBe('relaydesk-test@relaydesk.test');
    const message = await waitFor(body.value.messageId, ['captured']);
    expect(message.mode).toBe('sandbox');
  });

  it('a suppressed recipient is refused with the SMTP reply and the next step', async () => {
    await call('suppressions.add', { address: 'gone@example.org' });
    const { status, body } = await sendTest({ connectionId: shop.connection.id, to: 'gone@example.org' });
    expect(status).toBe(422);
    expect(body.error.code).toBe('refused');
    expect(body.error.message).toMatch(/550 5\.1\.1 .*suppression list.*remove it/);
  });

  it("a From outside the connection's sending domains is refused by the intake, naming the fix", async () => {
    const { status, body } = await sendTest({
      connectionId: shop.connection.id,
      to: 'me@example.org',
      from: 'someone@elsewhere.example',
    });
    expect(status).toBe(422);
    expect(body.error.message).toMatch(/"elsewhere\.example" is not a sending domain.*Domains & DKIM/);
  });

  it('a disabled connection is refused, saying to enable it', async () => {
    const off = await createSender(call, { name: 'Paused', enabled: false });
    const { status, body } = await sendTest({ connectionId: off.connection.id, to: 'me@example.org' });
    expect(status).toBe(422);
    expect(body.error.message).toMatch(/disabled.*enable it under Connections/);
  });

  it('the hourly limit refuses with 451 and the time to try again', async () => {
    const limited = await createSender(call, { name: 'Limited', hourlyLimit: 1 });
    const first = await sendTest({
      connectionId: limited.connection.id,
      to: `delivered@${SIMULATOR_DOMAIN}`,
    });
    expect(first.status).toBe(200);
    const second = await sendTest({
      connectionId: limited.connection.id,
      to: `delivered@${SIMULATOR_DOMAIN}`,
    });
    expect(second.status).toBe(422);
    expect(second.body.error.message).toMatch(/451 4\.7\.1 .*limit of 1 mails per hour; try again after/);
  });

  it('a connection without sending domains gets a conflict with the next step', async () => {
    const created = await call('connections.create', { name: 'Bare' });
    const { connection } = created as { connection: { id: string } };
    const { status, body } = await sendTest({ connectionId: connection.id, to: 'me@example.org' });
    expect(status).toBe(409);
    expect(body.error.message).toMatch(/may not send from any domain yet.*Connections → Edit/);
  });

  it('bad params and unknown connections are clear errors', async () => {
    const bad = await sendTest({ connectionId: shop.connection.id, to: 'not an address' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields?.to).toMatch(/not a valid e-mail address/);
    const gone = await sendTest({ connectionId: 'c000000000000', to: 'me@example.org' });
    expect(gone.status).toBe(404);
  });

  it('a login with a made-up test-mail ticket is refused like any wrong password', async () => {
    const session = await SmtpSession.secure(relay.smtpPort);
    const reply = await session.login('relaydesk.test-mail.0123456789abcdef', 'guess');
    session.close();
    expect(reply).toMatch(/^535 5\.7\.8/);
  });
});
