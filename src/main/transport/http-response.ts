import { type IncomingMessage, type OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { type ApiError, httpStatusOf } from '@shared/api/errors';
import { CONSOLE_CSP } from '@shared/csp';

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONSOLE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Every response of the console server carries SECURITY_HEADERS, whoever writes its head: our
 * handlers, serve-static (whose 304 strips content headers), or Node itself (400 for a missing
 * Host, 417 for an unknown Expect). `createServer({ ServerResponse: ConsoleResponse })`.
 */
export class ConsoleResponse<
  Request extends IncomingMessage = IncomingMessage,
> extends ServerResponse<Request> {
  // Node's implicit head (res.end() without writeHead) goes through this method too.
  override writeHead(statusCode: number, ...rest: unknown[]): this {
    if (!this.headersSent) {
      for (const [name, value] of Object.entries(SECURITY_HEADERS))
        if (!this.hasHeader(name)) this.setHeader(name, value);
    }
    return (ServerResponse.prototype.writeHead as (...args: unknown[]) => this).call(
      this,
      statusCode,
      ...rest,
    );
  }
}

/** Bytes of the request body still to come: none for a request without a body, or one read. */
export function bodyPending(req: IncomingMessage): boolean {
  if (req.complete || req.readableEnded) return false;
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** How much of an unwanted body is read (and dropped) so the client sees the answer, not a reset. */
const DRAIN_MAX_BYTES = 64 * 1024 * 1024;
const DRAIN_MAX_MS = 5_000;

function errorPayload(error: ApiError): string {
  return JSON.stringify({ ok: false, error });
}

/**
 * Sends a JSON answer. When the request body was not read (an early refusal), the answer goes out
 * at once with `Connection: close`, and the rest of the body is read and dropped (at most 64 MiB or
 * 5 s) before the connection is closed: a client still sending would otherwise get a reset
 * instead of the answer. `drain: false` closes at once (the request can no longer be read).
 */
export function sendJson(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
  { drain = true }: { drain?: boolean } = {},
): void {
  if (res.headersSent || res.writableEnded) return;
  const data = typeof body === 'string' ? body : JSON.stringify(body);
  const pending = bodyPending(req);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(data),
    'Cache-Control': 'no-store',
    ...(pending ? { Connection: 'close' } : {}),
  });
  if (!pending || !drain || req.method === 'HEAD') {
    res.end(req.method === 'HEAD' ? undefined : data);
    return;
  }
  res.write(data);
  drainThenEnd(req, res);
}

function drainThenEnd(req: IncomingMessage, res: ServerResponse): void {
  let drained = 0;
  const finish = () => {
    clearTimeout(timer);
    req.off('data', onData);
    req.off('end', finish);
    req.off('close', finish);
    res.end();
  };
  const onData = (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_MAX_BYTES) finish();
  };
  const timer = setTimeout(finish, DRAIN_MAX_MS);
  timer.unref();
  req.on('data', onData);
  req.once('end', finish);
  req.once('close', finish);
  req.on('error', () => {});
  req.resume();
}

export function sendError(
  req: IncomingMessage,
  res: ServerResponse,
  error: ApiError,
  headers: OutgoingHttpHeaders = {},
): void {
  sendJson(req, res, httpStatusOf(error.code), errorPayload(error), headers);
}

/**
 * A whole HTTP/1.1 error response as bytes, for a socket whose request Node could not parse
 * (there is no ServerResponse then). Same headers and body shape as every other error.
 */
export function rawErrorResponse(status: number, reason: string, error: ApiError): string {
  const body = errorPayload(error);
  const headers = {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    Connection: 'close',
  };
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  return `HTTP/1.1 ${status} ${reason}\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}
