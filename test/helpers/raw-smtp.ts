import { type AddressInfo, createServer, type Socket } from 'node:net';

export interface RawSmtpOptions {
  host?: string;
  port?: number;
  /** The first line the server sends, e.g. `220 mx ready` or `554 5.7.1 go away`. */
  greeting: string;
  /** Wait before the greeting (a tarpit). */
  greetingDelayMs?: number;
  /** Wait before each reply (a tarpit); every command is answered `250 ok`. */
  replyDelayMs?: number;
}

export interface RawSmtp {
  port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

/**
 * A mail server that misbehaves on purpose, below what smtp-server lets a test do: a greeting
 * of its choice (a 5xx refusal) and a delay before every reply (a tarpit that holds whoever
 * connects). It never accepts a mail.
 */
export async function startRawSmtp(o: RawSmtpOptions): Promise<RawSmtp> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let connections = 0;
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    later(o.greetingDelayMs ?? 0, () => {
      if (!socket.writable) return;
      socket.write(`${o.greeting}\r\n`);
      if (/^5/.test(o.greeting)) socket.end();
    });
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      for (let at = buffered.indexOf('\r\n'); at >= 0; at = buffered.indexOf('\r\n')) {
        const line = buffered.slice(0, at);
        buffered = buffered.slice(at + 2);
        later(o.replyDelayMs ?? 0, () => {
          if (socket.writable) socket.write(/^QUIT/i.test(line) ? '221 bye\r\n' : '250 ok\r\n');
        });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
