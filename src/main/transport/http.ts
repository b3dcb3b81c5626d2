import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ApiError } from '@shared/api/errors';
import type { EngineEvents } from '../engine/events';
import type { Health } from '../engine/health';
import type { Logger } from '../engine/logger';
import type { Dispatch } from '../services/dispatch';
import { apiHandler } from './api-route';
import { answerClientError, answerConnect } from './client-errors';
import { eventStreams } from './event-stream';
import { hostAllowed } from './host-check';
import { ConsoleResponse, sendError } from './http-response';
import { ClientGone } from './request-body';
import { staticFiles } from './static-files';

/** How long Node waits for a request's parts; the SSE stream is a response and is not limited. */
export interface HttpTimeouts {
  /** Until the request headers are complete (a slow-headers client is answered 408). */
  headersMs: number;
  /** Until the whole request, body included, has arrived: a 120 MiB import at 10 Mbit/s fits. */
  requestMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveMs: number;
  /** How often Node checks the two limits above. */
  checkEveryMs: number;
}

const DEFAULT_TIMEOUTS: HttpTimeouts = {
  headersMs: 10_000,
  requestMs: 120_000,
  keepAliveMs: 5_000,
  checkEveryMs: 1_000,
};

export interface HttpTransportOptions {
  dispatch: Dispatch;
  events: EngineEvents;
  token: string;
  /** Folder of the built console (out/renderer); undefined serves the API only. */
  staticDir: string | undefined;
  host: string;
  port: number;
  /** Host names allowed besides localhost, IP literals and `host` (console.allowedHosts), read per request. */
  allowedHosts: () => readonly string[];
  /** Where the transport reports an error it survived (area `console`). */
  health: Pick<Health, 'report'>;
  log: Logger;
  timeouts?: Partial<HttpTimeouts>;
}

export interface HttpTransport {
  host: string;
  port: number;
  /** Console URL with the token in the fragment: the fragment never reaches a server or a log. */
  consoleUrl: string;
  close(): Promise<void>;
}

const shorten = (text: string, max = 200) => (text.length > max ? `${text.slice(0, max)}…` : text);

function hostRefused(header: string | undefined): ApiError {
  if (!header)
    return {
      code: 'invalid_params',
      message: 'The request has no Host header; send one (HTTP/1.1 requires it).',
    };
  return {
    code: 'forbidden',
    message: `The console does not answer to the host name "${shorten(header, 100)}". If you open it under that name (a LAN name or a reverse proxy), add the name to the setting console.allowedHosts.`,
  };
}

/**
 * The headless transport: `POST /api/<method>` (JSON in, `{ok, value|error}` out),
 * `GET /api/events` (server-sent events), and the built console as static files.
 * Every request is answered, and nothing a request does can throw past its handler: an error
 * that escapes is reported to the health registry and answered 500 (or the connection closed
 * when the answer had begun).
 */
export async function startHttpTransport(o: HttpTransportOptions): Promise<HttpTransport> {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...o.timeouts };
  const streams = eventStreams(o.events);
  const api = apiHandler({ dispatch: o.dispatch, token: o.token, streams });
  const files = staticFiles(o.staticDir);
  /** The response being written on each socket, so a parse error mid-body is answered through it. */
  const inFlight = new WeakMap<Duplex, ServerResponse>();

  async function route(req: IncomingMessage, res: ServerResponse, expectsContinue: boolean): Promise<void> {
    const target = req.url ?? '';
    if (!target.startsWith('/')) {
      return sendError(req, res, {
        code: 'invalid_params',
        message: 'Ask for a path that starts with "/"; the console is no proxy.',
      });
    }
    if (!hostAllowed(req.headers.host, o.host, o.allowedHosts()))
      return sendError(req, res, hostRefused(req.headers.host));
    const pathname = target.split(/[?#]/, 1)[0] ?? '/';
    if (pathname === '/api' || pathname.startsWith('/api/')) return api(req, res, pathname, expectsContinue);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return sendError(
        req,
        res,
        { code: 'method_not_allowed', message: 'The console files are read with GET or HEAD.' },
        { Allow: 'GET, HEAD' },
      );
    }
    return files(req, res, pathname);
  }

  function unexpected(req: IncomingMessage, res: ServerResponse, err: unknown): void {
    if (err instanceof ClientGone) {
      res.destroy();
      return;
    }
    const error = err instanceof Error ? err : new Error(String(err));
    // Where it threw, without the whole stack: the message is shown in status.get and the console.
    const at =
      error.stack
        ?.split('\n')
        .find((line) => line.trim().startsWith('at '))
        ?.trim() ?? '';
    o.health.report(
      'console',
      new Error(`${req.method} ${shorten(req.url ?? '', 100)}: ${error.message} ${at}`.trim()),
      'One console request failed unexpectedly and was answered with an error; the relay kept running. If it repeats, report it with these log lines.',
      'console:http',
    );
    try {
      if (res.headersSent) res.destroy();
      else
        sendError(req, res, {
          code: 'internal',
          message: 'Relaydesk hit an unexpected error; see its log for details and try again.',
        });
    } catch {
      res.destroy();
    }
  }

  const onRequest = (expectsContinue: boolean) => (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    inFlight.set(socket, res);
    res.once('close', () => {
      if (inFlight.get(socket) === res) inFlight.delete(socket);
    });
    res.on('error', (err) => o.log.warn('http-response-error', { error: err.message }));
    route(req, res, expectsContinue).catch((err: unknown) => unexpected(req, res, err));
  };

  const server: Server = createServer(
    {
      ServerResponse: ConsoleResponse as unknown as typeof ServerResponse,
      // A missing Host is answered by our own check, with the usual JSON error.
      requireHostHeader: false,
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      connectionsCheckingInterval: timeouts.checkEveryMs,
    },
    onRequest(false),
  );
  // Expect: 100-continue: the limits are checked before the client is asked for the body.
  server.on('checkContinue', onRequest(true));
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    try {
      answerClientError(err, socket, inFlight.get(socket));
    } catch (e) {
      o.health.report(
        'console',
        e,
        'A malformed HTTP request could not be answered; the relay kept running.',
        'console:http',
      );
      socket.destroy();
    }
  });
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => answerConnect(socket));

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  server.on('error', (err) =>
    o.health.report(
      'console',
      err,
      'The console server reported an error; restart Relaydesk if the console stops answering.',
      'console:server',
    ),
  );
  const { port } = server.address() as AddressInfo;
  const urlHost = o.host.includes(':') ? `[${o.host}]` : o.host === '0.0.0.0' ? '127.0.0.1' : o.host;
  return {
    host: o.host,
    port,
    consoleUrl: `http://${urlHost}:${port}/#token=${o.token}`,
    close: async () => {
      streams.close();
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await closed;
    },
  };
}
