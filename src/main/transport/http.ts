import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { PushEvent } from '@shared/api/contract';
import { type ApiError, httpStatusOf } from '@shared/api/errors';
import { CONSOLE_CSP } from '@shared/csp';
import type { EngineEvents } from '../engine/events';
import type { Logger } from '../engine/logger';
import type { Dispatch } from '../services/dispatch';
import { tokenMatches } from './console-token';

export interface HttpTransportOptions {
  dispatch: Dispatch;
  events: EngineEvents;
  token: string;
  /** Folder of the built console (out/renderer); undefined serves the API only. */
  staticDir: string | undefined;
  host: string;
  port: number;
  log: Logger;
}

export interface HttpTransport {
  host: string;
  port: number;
  /** Console URL with the token in the fragment: the fragment never reaches a server or a log. */
  consoleUrl: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
const HEARTBEAT_MS = 15_000;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONSOLE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(data),
    'Cache-Control': 'no-store',
  });
  res.end(data);
}

function sendError(res: ServerResponse, error: ApiError, extra: Record<string, string> = {}): void {
  for (const [k, v] of Object.entries(extra)) res.setHeader(k, v);
  sendJson(res, httpStatusOf(error.code), { ok: false, error });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('too-large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolvePromise(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/**
 * The headless transport: `POST /api/<method>` (JSON in, `{ok, value|error}` out),
 * `GET /api/events` (server-sent events), and the built console as static files.
 */
export async function startHttpTransport(o: HttpTransportOptions): Promise<HttpTransport> {
  const streams = new Set<ServerResponse>();

  const unauthorized = (res: ServerResponse) =>
    sendError(
      res,
      {
        code: 'unauthorized',
        message:
          'Missing or wrong console token. Open the console URL Relaydesk printed at start, or send "Authorization: Bearer <token>" with the token from <data-dir>/console-token.',
      },
      { 'WWW-Authenticate': 'Bearer realm="relaydesk"' },
    );

  async function handleApi(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    if (!tokenMatches(o.token, bearer(req))) return unauthorized(res);
    if (method === 'events') {
      if (req.method !== 'GET')
        return sendError(res, { code: 'invalid_params', message: 'Use GET for /api/events.' });
      return openEventStream(req, res);
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return sendJson(res, 405, {
        ok: false,
        error: { code: 'invalid_params', message: `Call ${method} with POST and a JSON body.` },
      });
    }
    let params: unknown = {};
    try {
      const body = await readBody(req);
      if (body.trim()) params = JSON.parse(body);
    } catch (err) {
      const tooLarge = (err as Error).message === 'too-large';
      return sendError(res, {
        code: 'invalid_params',
        message: tooLarge
          ? `The request body is larger than ${MAX_BODY_BYTES} bytes.`
          : 'The request body is not valid JSON; send the params as one JSON object.',
      });
    }
    const result = await o.dispatch(method, params);
    if (result.ok) return sendJson(res, 200, result);
    sendError(res, result.error);
  }

  function openEventStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.socket?.setNoDelay(true);
    res.write('retry: 2000\n: connected\n\n');
    streams.add(res);
    const detach = o.events.attachConsole();
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
    req.on('close', () => {
      clearInterval(heartbeat);
      streams.delete(res);
      detach();
    });
  }

  const root = o.staticDir && existsSync(o.staticDir) ? resolve(o.staticDir) : undefined;

  function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' });
      return void res.end();
    }
    if (!root) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      return void res.end('The console is not built: run `npm run build`, then start Relaydesk again.\n');
    }
    let file = normalize(join(root, decodeURIComponent(pathname)));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403);
      return void res.end();
    }
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
    const isAsset = file.includes(`${sep}assets${sep}`);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': isAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).pipe(res);
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const api = /^\/api\/([A-Za-z.]+)$/.exec(url.pathname);
    if (api?.[1]) {
      handleApi(req, res, api[1]).catch((err: Error) => {
        o.log.error('http-error', { path: url.pathname, error: err.message });
        if (!res.headersSent)
          sendError(res, { code: 'internal', message: 'Unexpected error; see the Relaydesk log.' });
      });
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      return sendError(res, {
        code: 'unknown_method',
        message: `No API route ${url.pathname}; use POST /api/<method>.`,
      });
    }
    serveStatic(req, res, url.pathname);
  });

  const unsubscribe = o.events.subscribe((event: PushEvent) => {
    if (streams.size === 0) return;
    const frame = `data: ${JSON.stringify(event)}\n\n`;
    for (const res of streams) res.write(frame);
  });

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = o.host.includes(':') ? `[${o.host}]` : o.host === '0.0.0.0' ? '127.0.0.1' : o.host;
  return {
    host: o.host,
    port,
    consoleUrl: `http://${urlHost}:${port}/#token=${o.token}`,
    close: async () => {
      unsubscribe();
      for (const res of streams) res.end();
      streams.clear();
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await closed;
    },
  };
}
