import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/engine';
import { type HeadlessRelay, startHeadless } from '../helpers/headless';
import { sendMail } from '../helpers/mailer';
import { createSender } from '../helpers/sender';
import { type Sink, startSink } from '../helpers/sink';
import { signatureValid, startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';

const dataDir = tempDir();
let relay: HeadlessRelay | undefined;
let hooks: WebhookReceiver | undefined;
let mx: Sink | undefined;

afterAll(async () => {
  await relay?.stop();
  await hooks?.close();
  await mx?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('webhook events across a crash of the built headless process', () => {
  it('sends an event whose POST was cut off by kill -9 again after the restart, with the same id and a valid signature', async () => {
    let restarted = false;
    // Before the crash the receiver takes the request and never answers: the attempt is in flight.
    hooks = await startWebhookReceiver(() => (restarted ? 200 : 'hang'));
    mx = await startSink();
    relay = await startHeadless(dataDir);
    const first = relay;
    await first.call('settings.update', {
      values: { 'delivery.routes': { 'example.org': `127.0.0.1:${mx.port}` } },
    });
    const sender = await createSender((method, params) => first.call(method, params), { name: 'Webshop' });
    const { endpoint, secret } = await first.call<{ endpoint: { id: string }; secret: string }>(
      'webhooks.create',
      {
        connectionId: sender.connection.id,
        url: hooks.url,
        eventTypes: ['delivered'],
      },
    );
    const id = await sendMail(first.smtpPort, sender.access, {
      from: 'shop@example.com',
      to: 'customer@example.org',
    });
    await hooks.waitFor(1);
    await first.kill();

    restarted = true;
    relay = await startHeadless(dataDir);
    await hooks.waitFor(2);
    const [cut, again] = hooks.received;
    expect(again?.json).toMatchObject({
      type: 'delivered',
      message: { id },
      recipient: 'customer@example.org',
    });
    expect(again?.json.id).toBe(cut?.json.id);
    expect(again?.body).toBe(cut?.body);
    expect(signatureValid(again?.headers['relaydesk-signature'], again?.body ?? '', secret)).toBe(true);
    const history = await relay.call<{ outcome: string; statusCode: number }[]>('webhooks.history', {
      id: endpoint.id,
    });
    expect(history.map((a) => [a.outcome, a.statusCode])).toEqual([['delivered', 200]]);
    // Delivered once after the restart: nothing more comes.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(hooks.received).toHaveLength(2);
  });
});
