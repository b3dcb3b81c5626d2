import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedEvent {
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON. */
  json: Record<string, unknown>;
  /** What the receiver answered ('hang': nothing, the request is left open). */
  status: number | 'hang';
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedEvent[];
  /** The status to answer the n-th request (0-based) with, or 'hang' to never answer; default 200. */
  answer: (n: number) => number | 'hang';
  /** Waits until `count` requests have arrived (bounded). */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** A shop's webhook endpoint for the tests: a real HTTP server on 127.0.0.1, port 0. */
export async function startWebhookReceiver(
  answer: (n: number) => number | 'hang' = () => 200,
): Promise<WebhookReceiver> {
  const received: ReceivedEvent[] = [];
  const receiver: WebhookReceiver = {
    url: '',
    received,
    answer,
    async waitFor(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline)
          throw new Error(`the receiver got ${received.length} of ${count} requests in ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const status = receiver.answer(received.length);
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(body) as Record<string, unknown>;
      } catch {}
      received.push({ headers: req.headers, body, json, status });
      if (status === 'hang') return;
      res.writeHead(status, { 'Content-Type': 'text/plain' });
      res.end(status < 300 ? 'ok' : 'receiver is down');
    });
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/mail`;
  return receiver;
}

/**
 * Checks a Relaydesk-Signature header the way the README tells receivers to, written here with
 * node:crypto alone (not Relaydesk's code): HMAC-SHA256 over `t + "." + body`.
 */
export function signatureValid(header: string | string[] | undefined, body: string, secret: string): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(header ?? ''));
  if (!m?.[1] || !m[2]) return false;
  const expected = createHmac('sha256', secret).update(`${m[1]}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(m[2], 'hex'));
}
