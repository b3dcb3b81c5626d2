import { METHODS as ALL_METHODS } from '@shared/api/methods';

/**
 * Every method but relay.restart: with the token and `{}` it restarts the relay, as it should, and
 * the fuzz would then measure the restart. Its refusals of bad params are the same code as the rest.
 */
const METHODS = ALL_METHODS.filter((m) => m !== 'relay.restart');

/** mulberry32: a small seeded PRNG, so a failing fuzz run can be repeated with its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface FuzzRequest {
  bytes: Buffer;
  head: boolean;
  /** The body is cut short: the client half-closes (a close without an answer is fine then). */
  endAfterWrite: boolean;
  /** Readable summary for a failure message. */
  label: string;
}

type Rng = () => number;
const int = (rng: Rng, max: number) => Math.floor(rng() * max);
const pick = <T>(rng: Rng, items: readonly T[]): T => items[int(rng, items.length)] as T;
const chance = (rng: Rng, p: number) => rng() < p;

function randomBytes(rng: Rng, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = int(rng, 256);
  return b;
}

function randomText(rng: Rng, n: number): string {
  const alphabet = 'abcXYZ019 -_.~%/\\?#&=+;:,@!$\'"()*[]{}<>|^`\u00e9\u00fc\u4e2d\u{1f600}\t';
  const chars = [...alphabet];
  let s = '';
  for (let i = 0; i < n; i++) s += pick(rng, chars);
  return s;
}

const METHOD_TOKENS = [
  'GET',
  'GET',
  'GET',
  'HEAD',
  'POST',
  'POST',
  'POST',
  'PUT',
  'DELETE',
  'OPTIONS',
  'PATCH',
  'TRACE',
  'CONNECT',
  'get',
  'PROPFIND',
  'M-SEARCH',
  'FOO',
  'G\tET',
  '',
] as const;

function fuzzPath(rng: Rng): Buffer {
  const paths: (() => string | Buffer)[] = [
    () => '/',
    () => '/index.html',
    () => '/%ff',
    () => '/%',
    () => '/%zz',
    () => '/assets/%zz',
    () => '/assets/',
    () => '/assets',
    () => '/assets/missing.js',
    () => '//',
    () => '///etc/passwd',
    () => '/..',
    () => '/../../../etc/passwd',
    () => '/%2e%2e/%2e%2e/etc/passwd',
    () => '/..%2f..%2fetc%2fpasswd',
    () => '/assets/../index.html',
    () => '/%00',
    () => '/a%00b',
    () => '/.env',
    () => '/messages/m123?x=%ff&y',
    () => '/index.html#frag',
    () => `/${'a'.repeat(int(rng, 3) === 0 ? 70_000 : 300 + int(rng, 9000))}`,
    () => `/${'%41'.repeat(100 + int(rng, 3000))}`,
    () => Buffer.concat([Buffer.from('/'), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from('/x')]),
    () => Buffer.from('/caf\u00e9/\u4e2d\u6587', 'utf8'),
    () => '/a b',
    () => '/\t',
    () => '*',
    () => 'http://127.0.0.1/index.html',
    () => 'http://evil.example/api/status.get',
    () => 'example.com:443',
    () => '/api',
    () => '/api/',
    () => '/api/events',
    () => '/api/status.get',
    () => `/api/${pick(rng, METHODS)}`,
    () => `/api/${pick(rng, METHODS)}?q=%ff`,
    () => '/api/status.get/extra',
    () => '/api/%73tatus.get',
    () => '/api/nope.nothing',
    () => `/api/${randomText(rng, 1 + int(rng, 30))}`,
    () => `/${randomText(rng, 1 + int(rng, 60))}`,
    () => Buffer.concat([Buffer.from('/'), randomBytes(rng, 1 + int(rng, 40))]),
  ];
  const p = pick(rng, paths)();
  return typeof p === 'string' ? Buffer.from(p, 'latin1') : p;
}

function fuzzJson(rng: Rng, depth = 0): unknown {
  const kind = int(rng, depth > 3 ? 5 : 8);
  switch (kind) {
    case 0:
      return null;
    case 1:
      return chance(rng, 0.5);
    case 2:
      return pick(rng, [0, -1, 1e308, -1e-308, 2 ** 53 + 1, 42, 25_000, 3.5]);
    case 3:
      return randomText(rng, int(rng, 50));
    case 4:
      return pick(rng, ['', 'c0000000000', 'm0000000000', 'rsa-sha256', 'example.com', 'a@example.org']);
    case 5: {
      const keys = ['id', 'name', 'domain', 'raw', 'csv', 'values', 'limit', 'cursor', 'text', 'index', 'x'];
      const o: Record<string, unknown> = {};
      for (let i = int(rng, 4); i > 0; i--) o[pick(rng, keys)] = fuzzJson(rng, depth + 1);
      return o;
    }
    case 6:
      return Array.from({ length: int(rng, 4) }, () => fuzzJson(rng, depth + 1));
    default:
      return {
        values: {
          [pick(rng, ['smtp.port', 'console.allowedHosts', 'nope', '__proto__'])]: fuzzJson(rng, depth + 1),
        },
      };
  }
}

function fuzzBody(rng: Rng): Buffer {
  const kinds: (() => string | Buffer)[] = [
    () => '',
    () => '{}',
    () => JSON.stringify(fuzzJson(rng)),
    () => JSON.stringify(fuzzJson(rng)),
    () => JSON.stringify(fuzzJson(rng)),
    () => '{"a":',
    () => 'not json at all',
    () => `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
    () => `{"values":{"x":${'['.repeat(50_000)}${']'.repeat(50_000)}}}`,
    () => randomBytes(rng, int(rng, 2000)),
    () => `"${'\\u0000'.repeat(int(rng, 500))}"`,
    () => Buffer.from('{"id":"\xff\xfe"}', 'latin1'),
  ];
  const b = pick(rng, kinds)();
  return typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
}

function chunked(rng: Rng, body: Buffer): { bytes: Buffer; broken: boolean } {
  const variants = [
    () => ({
      bytes: Buffer.concat([
        Buffer.from(`${body.length.toString(16)}\r\n`),
        body,
        Buffer.from('\r\n0\r\n\r\n'),
      ]),
      broken: false,
    }),
    () => ({ bytes: Buffer.from('zz\r\nabc\r\n0\r\n\r\n'), broken: false }),
    () => ({ bytes: Buffer.from(`5\r\nabcdefghij\r\n0\r\n\r\n`), broken: false }),
    () => ({ bytes: Buffer.from(`3;${'x'.repeat(20_000)}\r\nabc\r\n0\r\n\r\n`), broken: false }),
    () => ({
      bytes: Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n')]),
      broken: true,
    }),
    () => ({ bytes: Buffer.from('ffffffffffffffffffff\r\nab'), broken: true }),
    () => ({ bytes: Buffer.from('-1\r\n\r\n'), broken: false }),
  ];
  return pick(rng, variants)();
}

/** A well-formed call of a real API method with random JSON params (mostly with the token). */
function apiCall(rng: Rng, port: number, token: string): FuzzRequest {
  const name = chance(rng, 0.9) ? pick(rng, METHODS) : randomText(rng, 1 + int(rng, 20));
  const body = chance(rng, 0.8) ? Buffer.from(JSON.stringify(fuzzJson(rng)), 'utf8') : fuzzBody(rng);
  const auth = chance(rng, 0.85) ? `Authorization: Bearer ${token}\r\n` : '';
  const host = chance(rng, 0.9) ? `127.0.0.1:${port}` : pick(rng, ['localhost', 'evil.example', '[::1]']);
  const head = `POST /api/${name} HTTP/1.1\r\nHost: ${host}\r\n${auth}Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
  return {
    bytes: Buffer.concat([Buffer.from(head, 'utf8'), body]),
    head: false,
    endAfterWrite: false,
    label: `POST /api/${name} host=${host} auth=${auth !== ''} body=${body.subarray(0, 120).toString('utf8')}`,
  };
}

/**
 * One generated request: 40 % well-formed API calls with random params, the rest a random line,
 * headers (sometimes broken) and a body (sometimes broken or cut short).
 */
export function fuzzRequest(rng: Rng, port: number, token: string): FuzzRequest {
  if (chance(rng, 0.4)) return apiCall(rng, port, token);
  const method = pick(rng, METHOD_TOKENS);
  const path = fuzzPath(rng);
  const version = pick(rng, [
    'HTTP/1.1',
    'HTTP/1.1',
    'HTTP/1.1',
    'HTTP/1.0',
    'HTTP/2.0',
    'HTTP/9.9',
    'HTTPS/1.1',
    '',
    'HTTP/1.1 x',
  ]);
  const lines: Buffer[] = [
    Buffer.concat([Buffer.from(`${method} `), path, Buffer.from(version ? ` ${version}` : '')]),
  ];
  const header = (h: string | Buffer) => lines.push(typeof h === 'string' ? Buffer.from(h, 'latin1') : h);

  const host = pick(rng, [
    `127.0.0.1:${port}`,
    `127.0.0.1:${port}`,
    `localhost:${port}`,
    `[::1]:${port}`,
    'app.localhost',
    'evil.example',
    `evil.example:${port}`,
    '',
    'a b',
    '[::1',
    `${'h'.repeat(300)}.example`,
    null,
    'dup',
  ]);
  if (host === 'dup') {
    header(`Host: 127.0.0.1:${port}`);
    header('Host: evil.example');
  } else if (host !== null) header(`Host: ${host}`);

  const auth = pick(rng, ['good', 'good', 'none', 'wrong', 'basic', 'empty']);
  if (auth === 'good') header(`Authorization: Bearer ${token}`);
  else if (auth === 'wrong') header(`Authorization: Bearer ${token.slice(1)}x`);
  else if (auth === 'basic') header('Authorization: Basic YTpi');
  else if (auth === 'empty') header('Authorization:');

  for (let i = int(rng, 3); i > 0; i--) {
    header(
      pick(rng, [
        'Accept: */*',
        'X-Odd: \x01\x02',
        'No colon here',
        'Bad Name: x',
        ' folded continuation',
        `X-Big: ${'b'.repeat(int(rng, 2) === 0 ? 20_000 : 2_000)}`,
        'Expect: 100-continue',
        'Expect: teapot',
        'Connection: Upgrade',
        'Upgrade: websocket',
        'Range: bytes=5-1',
        'Range: bytes=0-10',
        'If-None-Match: *',
        'If-Modified-Since: Thu, 01 Jan 2099 00:00:00 GMT',
        'Accept-Encoding: gzip, br',
        'Connection: close',
        'Content-Type: application/json',
        'Content-Type: text/plain; charset=latin1',
        Buffer.concat([Buffer.from('X-Bytes: '), randomBytes(rng, 20)]),
      ]),
    );
  }
  for (let i = chance(rng, 0.03) ? 200 : 0; i > 0; i--) header(`X-Many-${i}: ${i}`);

  let endAfterWrite = false;
  let body: Buffer = Buffer.alloc(0);
  const withBody = method === 'POST' || chance(rng, 0.15);
  if (withBody) {
    const content = fuzzBody(rng);
    const framing = pick(rng, [
      'length',
      'length',
      'length',
      'chunked',
      'both',
      'badlength',
      'duplength',
      'short',
      'none',
    ]);
    if (framing === 'length') {
      header(`Content-Length: ${content.length}`);
      body = content;
    } else if (framing === 'chunked' || framing === 'both') {
      const c = chunked(rng, content);
      header('Transfer-Encoding: chunked');
      if (framing === 'both') header(`Content-Length: ${content.length}`);
      body = c.bytes;
      endAfterWrite = c.broken;
    } else if (framing === 'badlength') {
      header(`Content-Length: ${pick(rng, ['-1', 'abc', '1e30', '99999999999999999999', ' 5', '0x10'])}`);
      body = content;
      // " 5" is a valid length: with a shorter body the server rightly waits for the rest.
      endAfterWrite = true;
    } else if (framing === 'duplength') {
      header(`Content-Length: ${content.length}`);
      header(`Content-Length: ${content.length + 1}`);
      body = content;
    } else if (framing === 'short') {
      header(`Content-Length: ${content.length + 1 + int(rng, 1000)}`);
      body = content;
      endAfterWrite = true;
    } else body = content;
  }

  let request: Buffer = Buffer.concat([
    Buffer.concat(lines.flatMap((l) => [l, Buffer.from('\r\n')])),
    Buffer.from('\r\n'),
    body,
  ]);
  if (chance(rng, 0.05)) {
    // A client that stops mid-request and half-closes.
    request = request.subarray(0, int(rng, request.length));
    endAfterWrite = true;
  }
  const label = `${method} ${path.subarray(0, 80).toString('latin1')} ${version} host=${host} auth=${auth} body=${body.length}`;
  return { bytes: request, head: method === 'HEAD', endAfterWrite, label };
}
