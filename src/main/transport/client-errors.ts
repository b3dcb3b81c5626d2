import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApiError } from '@shared/api/errors';
import { rawErrorResponse, sendJson } from './http-response';

/** A socket Node could not read a request from is closed this long after our answer at the latest. */
const CLOSE_AFTER_MS = 2_000;

function answerFor(err: NodeJS.ErrnoException): { status: number; reason: string; error: ApiError } {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        reason: 'Request Header Fields Too Large',
        error: {
          code: 'too_large',
          message: 'The request headers are too large; send fewer or shorter headers.',
        },
      };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return {
        status: 413,
        reason: 'Payload Too Large',
        error: { code: 'too_large', message: 'The chunk extensions of the request body are too large.' },
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        reason: 'Request Timeout',
        error: {
          code: 'invalid_params',
          message: 'The request did not arrive in time; send it again in one go.',
        },
      };
    default:
      return {
        status: 400,
        reason: 'Bad Request',
        error: {
          code: 'invalid_params',
          message: `Relaydesk could not read this HTTP request (${err.code ?? 'malformed'}); send a well-formed HTTP/1.1 request.`,
        },
      };
  }
}

/**
 * Node's `clientError`: a request it could not parse (bad request line, header, Content-Length or
 * chunk), a header overflow or a request timeout. Answers with the usual JSON error and security
 * headers, then closes the connection. When a request on that socket is still being handled:
 * - its body broke while the handler read it: the answer goes through its own ServerResponse;
 * - it was already answered and its body is being drained: that answer is finished;
 * - it was complete (the error is in a request pipelined after it): it is answered as usual and
 *   the connection closes after it.
 * Nothing is destroyed in the same tick: what a response wrote is still corked until the next one.
 */
export function answerClientError(
  err: NodeJS.ErrnoException,
  socket: Duplex,
  inFlight: ServerResponse | undefined,
): void {
  if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || !socket.writable) {
    socket.destroy();
    return;
  }
  const { status, reason, error } = answerFor(err);
  const req = inFlight?.req as IncomingMessage | undefined;
  if (inFlight && req && !req.complete) {
    if (inFlight.headersSent) setImmediate(() => inFlight.writableEnded || inFlight.end());
    else sendJson(req, inFlight, status, { ok: false, error }, { Connection: 'close' }, { drain: false });
  } else if (inFlight) {
    inFlight.shouldKeepAlive = false;
    inFlight.once('close', () => socket.destroy());
    return;
  } else {
    socket.end(rawErrorResponse(status, reason, error));
  }
  setTimeout(() => socket.destroy(), CLOSE_AFTER_MS).unref();
}

/** CONNECT (a proxy tunnel request): the console is no proxy. */
export function answerConnect(socket: Duplex): void {
  socket.on('error', () => {});
  if (!socket.writable) return void socket.destroy();
  socket.end(
    rawErrorResponse(405, 'Method Not Allowed', {
      code: 'method_not_allowed',
      message: 'The console is not a proxy; CONNECT is not supported.',
    }),
  );
  setTimeout(() => socket.destroy(), CLOSE_AFTER_MS).unref();
}
