import { connect } from 'node:net';
import { CONSOLE_CSP } from '@shared/csp';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/main/engine/clock';
import { EngineEvents } from '../../src/main/engine/events';
import { Health } from '../../src/main/engine/health';
import { silentLogger } from '../../src/main/engine/logger';
import type { Dispatch } from '../../src/main/services/dispatch';
import {
  type HttpTransport,
  type HttpTransportOptions,
  startHttpTransport,
} from '../../src/main/transport/http';
import { rawExchange } from '../helpers/raw-http';

const TOKEN = 't'.repeat(43);
let transport: HttpTransport | undefined;
afterEach(async () => {
  await transport?.close();
  transport = undefined;
});

async function start(dispatch: Dispatch, extra: Partial<HttpTransportOptions> = {}) {
  const health = new Health(systemClock, silentLogger);
  const events = new EngineEvents();
  transport = await startHttpTransport({
    dispatch,
    events,
    token: TOKEN,
    staticDir: undefined,
    host: '127.0.0.1',
    port: 0,
    allowedHosts: () => [],
    health,
    log: silentLogger,
    ...extra,
  });
  return { health, events, port: transport.port, url: `http://127.0.0.1:${transport.port}` };
}

const call = (url: string, method: string) =>
  fetch(`${url}/api/${method}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}` },
    body: '{}',
  });

describe('the HTTP transport in-process', () => {
  it('answers 500 with a JSON error and reports to the health registry when handling a request throws, and keeps serving', async () => {
    const dispatch: Dispatch = (method) => {
      if (method === 'status.get') throw new Error('dispatch broke synchronously');
      if (method === 'stats.summary') return Promise.reject(new Error('dispatch rejected'));
      if (method === 'quota.get') return Promise.resolve({ ok: true, value: { balance: 10n } });
      return Promise.resolve({ ok: true, value: { fine: true } });
    };
    const { health, url } = await start(dispatch);
    for (const method of ['status.get', 'stats.summary', 'quota.get']) {
      const res = await call(url, method);
      expect(res.status, method).toBe(500);
      expect(res.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
      expect(await res.json()).toMatchObject({ ok: false, error: { code: 'internal' } });
    }
    const problems = health.list();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ area: 'console', count: 3 });
    expect(problems[0]?.message).toMatch(/POST \/api\/quota\.get/);
    const ok = await call(url, 'connections.list');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, value: { fine: true } });
  });

  it('answers a client whose headers never finish with 408 and closes, while an event stream stays open past every timeout', async () => {
    const { events, port, url } = await start(async () => ({ ok: true, value: null }), {
      timeouts: { headersMs: 400, requestMs: 800, keepAliveMs: 400, checkEveryMs: 100 },
    });
    const controller = new AbortController();
    const stream = await fetch(`${url}/api/events`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
      signal: controller.signal,
    });
    const reader = (stream.body as ReadableStream<Uint8Array>)
      .pipeThrough(new TextDecoderStream())
      .getReader();

    const slow = await rawExchange(port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n', {
      timeoutMs: 4_000,
    });
    expect(slow.timedOut).toBe(false);
    expect(slow.response?.status).toBe(408);
    expect(slow.response?.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(slow.closed || slow.response?.headers.connection === 'close').toBe(true);

    // Well past the request timeout: the stream still delivers.
    await new Promise((r) => setTimeout(r, 1_500));
    events.emit('connection.deleted', { id: 'c-after-the-timeouts' });
    let seen = '';
    const deadline = Date.now() + 3_000;
    while (!seen.includes('c-after-the-timeouts') && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += value;
    }
    controller.abort();
    expect(seen).toContain('c-after-the-timeouts');
  });

  it('refuses a body announced with Expect: 100-continue before the client sends it when it is over the limit', async () => {
    const { port } = await start(async () => ({ ok: true, value: null }));
    const first = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () =>
        socket.write(
          `POST /api/connections.list HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${TOKEN}\r\nExpect: 100-continue\r\nContent-Length: ${2 * 1024 * 1024}\r\n\r\n`,
        ),
      );
      socket.once('data', (d) => {
        resolve(d.toString('latin1'));
        socket.destroy();
      });
      socket.on('error', reject);
    });
    expect(first).toMatch(/^HTTP\/1\.1 413 /);
    expect(first).toContain('"too_large"');
  });
});
