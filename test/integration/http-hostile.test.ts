import { rmSync } from 'node:fs';
import { ERROR_CODES } from '@shared/api/errors';
import { CONSOLE_CSP } from '@shared/csp';
import type { RelayStatus } from '@shared/domain/status';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/engine';
import { type HeadlessRelay, peakRss, startHeadless } from '../helpers/headless';
import { fuzzRequest, seededRandom } from '../helpers/http-fuzz';
import { mailer } from '../helpers/mailer';
import { type RawResponse, rawExchange } from '../helpers/raw-http';
import { createSender } from '../helpers/sender';

const MiB = 1024 * 1024;
/** The largest body limit of any method (suppressions.import: 20 Mi characters × 6 + 64 KiB). */
const LARGEST_LIMIT = 20 * MiB * 6 + 64 * 1024;

const SECURITY_HEADERS = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

const dataDir = tempDir();
let relay: HeadlessRelay;
beforeAll(async () => {
  relay = await startHeadless(dataDir);
});
afterAll(async () => {
  await relay?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const alive = () => relay.process.exitCode === null && relay.process.signalCode === null;
const auth = () => ({ Authorization: `Bearer ${relay.token}` });
const get = (path: string, headers: Record<string, string> = {}) =>
  rawExchange(
    relay.consolePort,
    `GET ${path} HTTP/1.1\r\n${Object.entries({ Host: `127.0.0.1:${relay.consolePort}`, ...headers })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')}\r\n`,
  );

function missingSecurityHeaders(headers: Record<string, string> | Headers): string[] {
  const read = (name: string) => (headers instanceof Headers ? headers.get(name) : headers[name]);
  return Object.entries(SECURITY_HEADERS)
    .filter(([name, value]) => read(name) !== value)
    .map(([name]) => name);
}

function errorOf(response: RawResponse): { code: string; message: string } {
  const body = JSON.parse(response.body.toString('utf8')) as {
    ok: boolean;
    error: { code: string; message: string };
  };
  expect(body.ok).toBe(false);
  return body.error;
}

async function stillAnswers(): Promise<void> {
  expect(alive()).toBe(true);
  const status = await relay.call<RelayStatus>('status.get');
  expect(status.smtp.port).toBe(relay.smtpPort);
}

describe('the HTTP console under hostile requests', () => {
  it('answers the requests that used to stop the whole process with a 4xx or the console, and keeps running', async () => {
    const cases: { request: string; head?: boolean }[] = [
      { request: 'GET /%ff HTTP/1.1' },
      { request: 'GET /% HTTP/1.1' },
      { request: 'GET /assets/%zz HTTP/1.1' },
      { request: 'GET // HTTP/1.1' },
      { request: 'HEAD /%ff HTTP/1.1', head: true },
    ];
    for (const c of cases) {
      const { response } = await rawExchange(
        relay.consolePort,
        `${c.request}\r\nHost: 127.0.0.1:${relay.consolePort}\r\n\r\n`,
        { head: c.head ?? false },
      );
      expect(response, c.request).toBeDefined();
      const status = response?.status ?? 0;
      const servedConsole = status === 200 && /<div id="root">/.test(response?.body.toString() ?? '');
      expect((status >= 400 && status < 500) || servedConsole, `${c.request} → ${status}`).toBe(true);
      expect(missingSecurityHeaders(response?.headers ?? {}), c.request).toEqual([]);
      await stillAnswers();
    }
    const malformed = await get('/%ff');
    expect(malformed.response?.status).toBe(400);
    expect(errorOf(malformed.response as RawResponse).code).toBe('invalid_params');
  });

  it('refuses a Host name it does not know with 403 and answers localhost, IP literals and the names in console.allowedHosts', async () => {
    // fetch sends the real Host whatever it is told, so these go over a raw socket.
    const withHost = async (host: string) => {
      const { response } = await rawExchange(
        relay.consolePort,
        `POST /api/status.get HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${relay.token}\r\nContent-Length: 2\r\n\r\n{}`,
      );
      if (!response) throw new Error(`no answer for Host ${host}`);
      return response;
    };
    for (const host of ['evil.example', `evil.example:${relay.consolePort}`, 'relay.lan']) {
      const res = await withHost(host);
      expect(res.status, host).toBe(403);
      expect(missingSecurityHeaders(res.headers)).toEqual([]);
      const error = errorOf(res);
      expect(error.code).toBe('forbidden');
      expect(error.message).toMatch(/console\.allowedHosts/);
    }
    // The static console is behind the same check, and the check comes before the token.
    const page = await get('/', { Host: 'evil.example' });
    expect(page.response?.status).toBe(403);
    const noToken = await rawExchange(
      relay.consolePort,
      'POST /api/status.get HTTP/1.1\r\nHost: evil.example\r\nContent-Length: 2\r\n\r\n{}',
    );
    expect(noToken.response?.status).toBe(403);

    const port = relay.consolePort;
    for (const host of [
      `localhost:${port}`,
      `127.0.0.1:${port}`,
      `[::1]:${port}`,
      'console.localhost',
      '127.0.0.1',
    ]) {
      expect((await withHost(host)).status, host).toBe(200);
    }
    await relay.call('settings.update', {
      values: { 'console.allowedHosts': 'relay.lan, Relay.Example.com' },
    });
    expect((await withHost(`relay.lan:${port}`)).status).toBe(200);
    expect((await withHost('RELAY.example.COM')).status).toBe(200);
    expect((await withHost('evil.example')).status).toBe(403);
    const rejected = await fetch(`${relay.baseUrl}/api/settings.update`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({ values: { 'console.allowedHosts': 'http://relay.lan:8080/' } }),
    });
    expect(rejected.status).toBe(400);
  });

  it('takes a 3 MiB bounce for bounces.analyze and answers a 2 MiB connections.list body with 413 too_large', async () => {
    const bounce = [
      'From: MAILER-DAEMON@mx.example.org',
      'To: rd-bounce@example.com',
      'Subject: Undelivered Mail Returned to Sender',
      '',
      '<gone@example.org>: host mx.example.org said: 550 5.1.1 User unknown',
      '',
      'x'.repeat(3 * MiB),
    ].join('\r\n');
    const analyzed = await fetch(`${relay.baseUrl}/api/bounces.analyze`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({ raw: bounce }),
    });
    expect(analyzed.status).toBe(200);
    expect(((await analyzed.json()) as { ok: boolean }).ok).toBe(true);

    const big = await fetch(`${relay.baseUrl}/api/connections.list`, {
      method: 'POST',
      headers: auth(),
      body: JSON.stringify({ pad: 'y'.repeat(2 * MiB) }),
    });
    expect(big.status).toBe(413);
    expect(missingSecurityHeaders(big.headers)).toEqual([]);
    const body = (await big.json()) as { ok: boolean; error: { code: string; message: string } };
    expect(body).toMatchObject({ ok: false, error: { code: 'too_large' } });
    expect(body.error.message).toMatch(/connections\.list/);
    await stillAnswers();
  });

  it('answers a body over the largest limit with 413 that the client receives, declared or sent in chunks', async () => {
    const before = peakRss(relay.pid);
    // Declared: fetch (undici) sends Content-Length and the whole body; the answer comes at once.
    const declared = await fetch(`${relay.baseUrl}/api/suppressions.import`, {
      method: 'POST',
      headers: auth(),
      body: Buffer.alloc(LARGEST_LIMIT + MiB, 0x61),
    });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { error: { code: string } }).error.code).toBe('too_large');

    // Chunked: no length up front; the server stops reading at the limit and answers.
    let sent = 0;
    const piece = Buffer.alloc(256 * 1024, 0x62);
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > LARGEST_LIMIT + 8 * MiB) return controller.close();
        sent += piece.length;
        controller.enqueue(piece);
      },
    });
    const chunked = await fetch(`${relay.baseUrl}/api/suppressions.import`, {
      method: 'POST',
      headers: auth(),
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(((await chunked.json()) as { error: { code: string } }).error.code).toBe('too_large');

    // A raw client that declares a huge length and sends nothing more gets the answer too.
    const raw = await rawExchange(
      relay.consolePort,
      `POST /api/connections.list HTTP/1.1\r\nHost: 127.0.0.1:${relay.consolePort}\r\nAuthorization: Bearer ${relay.token}\r\nContent-Length: 50000000000\r\n\r\n{`,
      { timeoutMs: 3_000 },
    );
    expect(raw.timedOut).toBe(false);
    expect(raw.response?.status).toBe(413);
    expect(raw.response?.headers.connection).toBe('close');
    expect(errorOf(raw.response as RawResponse).code).toBe('too_large');

    // A raw chunked body over the 1 MiB default limit.
    const chunk = `${(64 * 1024).toString(16)}\r\n${'c'.repeat(64 * 1024)}\r\n`;
    const rawChunked = await rawExchange(
      relay.consolePort,
      `POST /api/connections.list HTTP/1.1\r\nHost: 127.0.0.1:${relay.consolePort}\r\nAuthorization: Bearer ${relay.token}\r\nTransfer-Encoding: chunked\r\n\r\n${chunk.repeat(20)}0\r\n\r\n`,
    );
    expect(rawChunked.response?.status).toBe(413);
    const grew = peakRss(relay.pid) - before;
    console.log(`peak RSS of the relay grew by ${(grew / MiB).toFixed(1)} MiB over the oversized bodies`);
    // The bodies above total over 240 MiB; what is held is bounded by the limit, not the body.
    expect(grew).toBeLessThan(LARGEST_LIMIT * 2.5);
    await stillAnswers();
  }, 60_000);

  it('puts the security headers on every kind of answer', async () => {
    const seen = new Map<string, string[]>();
    const note = (what: string, headers: Record<string, string> | Headers) =>
      seen.set(what, missingSecurityHeaders(headers));

    const index = await fetch(`${relay.baseUrl}/`);
    expect(index.status).toBe(200);
    note('200 index', index.headers);
    const etag = index.headers.get('etag') ?? '';
    const html = await index.text();
    const asset = /src="\.?(\/assets\/[^"]+\.js)"/.exec(html)?.[1] ?? '';
    expect(asset).not.toBe('');
    const assetRes = await fetch(`${relay.baseUrl}${asset}`);
    expect(assetRes.status).toBe(200);
    expect(assetRes.headers.get('cache-control')).toMatch(/immutable/);
    note('200 asset', assetRes.headers);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    // fetch adds Cache-Control: no-cache to a conditional request, which rules out a 304.
    const notModified = await get('/', { 'If-None-Match': etag });
    expect(notModified.response?.status).toBe(304);
    note('304', notModified.response?.headers ?? {});
    const route = await fetch(`${relay.baseUrl}/messages/m123`);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<div id="root">');
    const head = await fetch(`${relay.baseUrl}/index.html`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    note('200 HEAD', head.headers);
    const api = await fetch(`${relay.baseUrl}/api/status.get`, {
      method: 'POST',
      headers: auth(),
      body: '{}',
    });
    expect(api.status).toBe(200);
    note('200 api', api.headers);
    const bad = await get('/%zz');
    expect(bad.response?.status).toBe(400);
    note('400', bad.response?.headers ?? {});
    const unauthorized = await fetch(`${relay.baseUrl}/api/status.get`, { method: 'POST', body: '{}' });
    expect(unauthorized.status).toBe(401);
    note('401', unauthorized.headers);
    const forbidden = await get('/..%2f..%2fetc%2fpasswd');
    expect(forbidden.response?.status).toBe(403);
    note('403', forbidden.response?.headers ?? {});
    const missing = await fetch(`${relay.baseUrl}/assets/missing-file.js`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
    note('404', missing.headers);
    const wrongVerb = await fetch(`${relay.baseUrl}/index.html`, { method: 'DELETE' });
    expect(wrongVerb.status).toBe(405);
    expect(wrongVerb.headers.get('allow')).toBe('GET, HEAD');
    note('405 static', wrongVerb.headers);
    const getApi = await fetch(`${relay.baseUrl}/api/status.get`, { headers: auth() });
    expect(getApi.status).toBe(405);
    expect(getApi.headers.get('allow')).toBe('POST');
    note('405 api', getApi.headers);
    const tooLarge = await fetch(`${relay.baseUrl}/api/status.get`, {
      method: 'POST',
      headers: auth(),
      body: 'z'.repeat(MiB + 1),
    });
    expect(tooLarge.status).toBe(413);
    note('413', tooLarge.headers);
    const controller = new AbortController();
    const events = await fetch(`${relay.baseUrl}/api/events`, { headers: auth(), signal: controller.signal });
    expect(events.headers.get('content-type')).toMatch(/text\/event-stream/);
    note('SSE', events.headers);
    controller.abort();
    const badLine = await rawExchange(relay.consolePort, 'GET /\x01 HTTP/1.1\r\n\r\n');
    expect(badLine.response?.status).toBe(400);
    note('400 from the parser', badLine.response?.headers ?? {});

    expect(Object.fromEntries(seen)).toEqual(Object.fromEntries([...seen.keys()].map((k) => [k, []])));
  });

  it("answers what Node's HTTP parser rejects with 400 and closes the connection instead of leaving it open", async () => {
    for (const request of [
      'GARBAGE\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n',
      // The chunk breaks while the handler reads the body: answered through that request.
      `POST /api/status.get HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${relay.token}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`,
    ]) {
      const result = await rawExchange(relay.consolePort, request, { timeoutMs: 4_000 });
      expect(result.timedOut, request).toBe(false);
      expect(result.response?.status, request).toBe(400);
      expect(result.response?.headers.connection, request).toBe('close');
      expect(missingSecurityHeaders(result.response?.headers ?? {})).toEqual([]);
      expect(ERROR_CODES).toHaveProperty(errorOf(result.response as RawResponse).code);
    }
    const tooManyHeaders = await rawExchange(
      relay.consolePort,
      `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'b'.repeat(40_000)}\r\n\r\n`,
    );
    expect(tooManyHeaders.response?.status).toBe(431);
    const connect = await rawExchange(
      relay.consolePort,
      'CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n',
    );
    expect(connect.response?.status).toBe(405);
    await stillAnswers();
  });

  it('survives 2,500 generated hostile requests, answering each one, and still relays mail afterwards', async () => {
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
    console.log(`HTTP fuzz seed: ${seed} (repeat with FUZZ_SEED=${seed})`);
    const rng = seededRandom(seed);
    const total = Number(process.env.FUZZ_COUNT ?? 2_500);
    const requests = Array.from({ length: total }, () => fuzzRequest(rng, relay.consolePort, relay.token));
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let closedWithoutAnswer = 0;
    let next = 0;
    const started = Date.now();
    const worker = async () => {
      while (next < requests.length) {
        const r = requests[next++];
        if (!r) break;
        const result = await rawExchange(relay.consolePort, r.bytes, {
          head: r.head,
          endAfterWrite: r.endAfterWrite,
          timeoutMs: 8_000,
        });
        if (result.timedOut) {
          failures.push(`no answer and no close within 8 s: ${r.label}`);
          continue;
        }
        if (!result.response) {
          closedWithoutAnswer++;
          // Only a client that gave up mid-request may go unanswered.
          if (!r.endAfterWrite)
            failures.push(`closed without an answer (${result.error ?? 'close'}): ${r.label}`);
          continue;
        }
        const { status, headers } = result.response;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (!(status >= 200 && status < 500)) failures.push(`${status}: ${r.label}`);
        const missing = missingSecurityHeaders(headers);
        if (missing.length > 0) failures.push(`${status} without ${missing.join(', ')}: ${r.label}`);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `fuzz: ${total} requests in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}; closed without an answer (client gave up): ${closedWithoutAnswer}`,
    );
    expect(failures.slice(0, 20)).toEqual([]);
    expect(seconds).toBeLessThan(60);

    await stillAnswers();
    const status = await relay.call<RelayStatus>('status.get');
    expect(status.problems.filter((p) => p.area === 'console' || p.area === 'relay')).toEqual([]);
    // Nothing got past the handlers to the process-wide net either.
    expect(relay.output()).not.toMatch(/uncaught-exception|unhandled-rejection/);
    const { access } = await createSender(relay.call, { name: 'After the fuzz' }, 'after-fuzz.example');
    const info = await mailer(relay.smtpPort, access).sendMail({
      from: 'shop@after-fuzz.example',
      to: 'customer@example.org',
      subject: 'Still relaying',
      text: 'The console took a beating; the relay did not notice.',
    });
    expect(info.response).toMatch(/^250/);
  }, 120_000);
});
