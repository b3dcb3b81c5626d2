import { rmSync } from 'node:fs';
import { CONSOLE_CSP } from '@shared/csp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/engine';
import { type HeadlessRelay, startHeadless } from '../helpers/headless';
import { mailer } from '../helpers/mailer';
import { createSender } from '../helpers/sender';

const dataDir = tempDir();
let relay: HeadlessRelay;
beforeAll(async () => {
  relay = await startHeadless(dataDir);
});
afterAll(async () => {
  await relay.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Answer {
  ok: boolean;
  error: { code: string; message: string; fields: Record<string, string> };
}
const answer = async (res: Response) => (await res.json()) as Answer;

const post = (method: string, body: unknown, token: string | null = relay.token) =>
  fetch(`${relay.baseUrl}/api/${method}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(token === null ? {} : { Authorization: `Bearer ${token}` }),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('HTTP API', () => {
  it('answers 401 with a next step when the token is missing or wrong', async () => {
    for (const token of [null, 'wrong', `${relay.token}x`, '']) {
      const res = await post('status.get', {}, token);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      const body = await answer(res);
      expect(body).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
      expect(body.error.message).toMatch(/console-token/);
    }
    const events = await fetch(`${relay.baseUrl}/api/events`);
    expect(events.status).toBe(401);
  });

  it('answers 400 with field-level messages for invalid params', async () => {
    const res = await post('connections.create', { name: '', mode: 'production', hourlyLimit: -5 });
    expect(res.status).toBe(400);
    const body = await answer(res);
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe('invalid_params');
    expect(Object.keys(body.error.fields).sort()).toEqual(['hourlyLimit', 'mode', 'name']);
    expect(body.error.fields.name).toMatch(/give the connection a name/);
  });

  it('answers 400 for a body that is not JSON and for unknown fields', async () => {
    const notJson = await post('connections.list', '{nope');
    expect(notJson.status).toBe(400);
    expect((await answer(notJson)).error.message).toMatch(/not valid JSON/);
    const extra = await post('connections.list', { surprise: 1 });
    expect(extra.status).toBe(400);
  });

  it('answers 404 for unknown methods and connections, and 405 for GET on a method', async () => {
    expect((await post('connections.explode', {})).status).toBe(404);
    const missing = await post('connections.get', { id: 'c000000000000' });
    expect(missing.status).toBe(404);
    expect((await answer(missing)).error.code).toBe('not_found');
    const get = await fetch(`${relay.baseUrl}/api/status.get`, {
      headers: { Authorization: `Bearer ${relay.token}` },
    });
    expect(get.status).toBe(405);
  });

  it('serves the console with a strict Content-Security-Policy', async () => {
    const res = await fetch(`${relay.baseUrl}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<div id="root">');
    const traversal = await fetch(`${relay.baseUrl}/..%2f..%2f..%2fetc%2fpasswd`);
    expect(await traversal.text()).not.toContain('root:');
  });

  it('pushes message.accepted on /api/events when a mail arrives', async () => {
    const { access } = await createSender(relay.call, {
      name: 'Events shop',
    });
    const controller = new AbortController();
    const res = await fetch(`${relay.baseUrl}/api/events`, {
      headers: { Authorization: `Bearer ${relay.token}` },
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = (res.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
    await mailer(relay.smtpPort, access).sendMail({
      from: 'shop@example.com',
      to: 'a@example.org',
      subject: 'Pushed',
      text: 'hi',
    });
    let seen = '';
    const deadline = Date.now() + 5000;
    while (!seen.includes('"message.accepted"') && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += value;
    }
    controller.abort();
    const frame = seen.split('\n\n').find((f) => f.includes('"message.accepted"')) ?? '';
    const event = JSON.parse(frame.replace(/^data: /, ''));
    expect(event.type).toBe('message.accepted');
    expect(event.data.subject).toBe('Pushed');
  });
});
