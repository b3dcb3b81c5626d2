import type { IncomingMessage } from 'node:http';
import { AppError } from '@shared/api/errors';

/** The client went away mid-request: nothing to answer, nothing to report. */
export class ClientGone extends Error {}

export function tooLarge(limit: number, method: string): AppError {
  return new AppError(
    'too_large',
    `The request body is larger than ${method} accepts (${limit.toLocaleString('en')} bytes); send less data in one call.`,
  );
}

/** A declared Content-Length over the limit: refused before a byte of the body is read. */
export function declaredTooLarge(req: IncomingMessage, limit: number): boolean {
  const declared = Number(req.headers['content-length'] ?? 0);
  return Number.isFinite(declared) && declared > limit;
}

/**
 * Reads the body up to `limit` bytes. Past the limit it stops collecting (the chunks read so far
 * are dropped) and rejects with too_large; the caller answers, and its answer drains the rest.
 * A connection that ends early rejects with the reason.
 */
export function readBody(req: IncomingMessage, limit: number, method: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.pause();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stop();
        chunks.length = 0;
        reject(tooLarge(limit, method));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    const onClose = () => {
      stop();
      reject(new ClientGone('the client closed the connection before the request body was complete'));
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('close', onClose);
    req.on('error', () => {});
  });
}
