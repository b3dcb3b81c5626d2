import { connect } from 'node:net';

/** One HTTP response as read off the socket. Header names are lower case; repeats are joined. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface RawExchange {
  /** The first final (non-1xx) response, if one arrived. */
  response?: RawResponse;
  /** The server closed the connection (with or without a response). */
  closed: boolean;
  /** Neither a response nor a close within the time limit. */
  timedOut: boolean;
  /** A socket error (e.g. ECONNRESET) before a response. */
  error?: string;
}

export interface RawOptions {
  /** The request was HEAD: the response has no body whatever its Content-Length. */
  head?: boolean;
  /** Half-close after writing (a client that gives up before its body is complete). */
  endAfterWrite?: boolean;
  timeoutMs?: number;
}

function parseResponse(
  data: Buffer,
  head: boolean,
): { response: RawResponse; complete: boolean } | undefined {
  let offset = 0;
  for (;;) {
    const end = data.indexOf('\r\n\r\n', offset);
    if (end < 0) return undefined;
    const lines = data.subarray(offset, end).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/\d\.\d (\d{3})/.exec(lines[0] ?? '')?.[1] ?? Number.NaN);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    const bodyStart = end + 4;
    if (status >= 100 && status < 200) {
      offset = bodyStart;
      continue;
    }
    const rest = data.subarray(bodyStart);
    const response: RawResponse = { status, headers, body: Buffer.alloc(0) };
    if (head || status === 204 || status === 304) return { response, complete: true };
    if (headers['content-type']?.startsWith('text/event-stream')) return { response, complete: true };
    if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      response.body = rest.subarray(0, length);
      return { response, complete: rest.length >= length };
    }
    if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
      const chunks: Buffer[] = [];
      let at = 0;
      for (;;) {
        const lineEnd = rest.indexOf('\r\n', at);
        if (lineEnd < 0) return { response, complete: false };
        const size = Number.parseInt(rest.subarray(at, lineEnd).toString('latin1'), 16);
        if (size === 0) {
          response.body = Buffer.concat(chunks);
          return { response, complete: true };
        }
        if (rest.length < lineEnd + 2 + size + 2) return { response, complete: false };
        chunks.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
    }
    response.body = rest;
    return { response, complete: false };
  }
}

/**
 * Writes raw bytes to 127.0.0.1:port and reads until the first final response is complete, the
 * server closes, or the time is up. The client closes its side after the response.
 */
export function rawExchange(
  port: number,
  request: Buffer | string,
  o: RawOptions = {},
): Promise<RawExchange> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, noDelay: true });
    let data: Buffer = Buffer.alloc(0);
    let settled = false;
    const finish = (result: RawExchange) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const parsed = () => parseResponse(data, o.head ?? false);
    const timer = setTimeout(() => {
      const p = parsed();
      finish({ ...(p ? { response: p.response } : {}), closed: false, timedOut: true });
    }, o.timeoutMs ?? 8_000);
    socket.on('connect', () => {
      socket.write(request);
      if (o.endAfterWrite) socket.end();
    });
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const p = parsed();
      if (p?.complete) finish({ response: p.response, closed: false, timedOut: false });
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      const p = parsed();
      finish({
        ...(p ? { response: p.response } : {}),
        closed: true,
        timedOut: false,
        error: err.code ?? err.message,
      });
    });
    socket.on('close', () => {
      const p = parsed();
      finish({ ...(p ? { response: p.response } : {}), closed: true, timedOut: false });
    });
  });
}
