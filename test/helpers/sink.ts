import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface SinkMessage {
  from: string;
  to: string[];
  raw: Buffer;
  at: number;
  secure: boolean;
  session: string;
}

/** What the sink answers to one recipient: accept, refuse with a reply, or drop the connection. */
export type RcptAnswer = 'accept' | 'drop' | { code: number; message: string };

export interface SinkOptions {
  host?: string;
  port?: number;
  /** Offer STARTTLS (default true). */
  tls?: boolean;
  /** Per recipient; default: accept. */
  onRcpt?: (address: string, session: SMTPServerSession) => RcptAnswer;
  /** After DATA: undefined accepts; an answer refuses the whole mail. */
  onData?: (raw: Buffer, session: SMTPServerSession) => { code: number; message: string } | undefined;
  /** Milliseconds to wait before answering DATA (a slow server). */
  dataDelayMs?: number;
  /** Offer AUTH (after STARTTLS) and accept only these credentials. */
  auth?: { user: string; pass: string };
}

export interface Sink {
  host: string;
  port: number;
  messages: SinkMessage[];
  /** Usernames that logged in. */
  logins: string[];
  /** TCP connections the sink has accepted. */
  connections: number;
  /** Waits until `count` messages have arrived (bounded). */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

let certificate: Promise<{ key: string; cert: string }> | undefined;
const sinkCertificate = () => {
  certificate ??= generate([{ name: 'commonName', value: 'sink.test' }], { keySize: 2048 }).then((p) => ({
    key: p.private,
    cert: p.cert,
  }));
  return certificate;
};

const reply = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

/** A recipient's mail server for the tests: a real smtp-server on loopback that answers as told. */
export async function startSink(options: SinkOptions = {}): Promise<Sink> {
  const { key, cert } = await sinkCertificate();
  const messages: SinkMessage[] = [];
  const logins: string[] = [];
  let connections = 0;
  const waiters: (() => void)[] = [];
  const server = new SMTPServer({
    key,
    cert,
    authOptional: true,
    disableReverseLookup: true,
    hideSTARTTLS: options.tls === false,
    disabledCommands: options.tls === false ? ['STARTTLS', 'AUTH'] : options.auth ? [] : ['AUTH'],
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === options.auth?.user && auth.password === options.auth?.pass) {
        logins.push(auth.username ?? '');
        return callback(null, { user: auth.username });
      }
      callback(reply(535, '5.7.8 Authentication credentials invalid'));
    },
    onConnect(_session, callback) {
      connections++;
      callback();
    },
    onRcptTo(address, session, callback) {
      const answer = options.onRcpt?.(address.address, session) ?? 'accept';
      if (answer === 'accept') return callback();
      if (answer === 'drop') {
        // A server that vanishes mid-transaction: smtp-server keeps its sessions' sockets private.
        const open = (server as unknown as { connections: Set<{ id: string; _socket: { destroy(): void } }> })
          .connections;
        for (const c of open) if (c.id === session.id) c._socket.destroy();
        return;
      }
      callback(reply(answer.code, answer.message));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        const refusal = options.onData?.(raw, session);
        const finish = () => {
          if (refusal) return callback(reply(refusal.code, refusal.message));
          messages.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw,
            at: Date.now(),
            secure: session.secure,
            session: session.id,
          });
          for (const w of waiters.splice(0)) w();
          callback(null, '2.0.0 Ok: sunk');
        };
        if (options.dataDelayMs) setTimeout(finish, options.dataDelayMs);
        else finish();
      });
    },
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  // A client vanishing mid-session (the relay killed in the crash tests) is an 'error' event on the
  // server; unheard, it would be an uncaught exception in the test run.
  server.on('error', () => undefined);
  const { port } = server.server.address() as AddressInfo;
  return {
    host,
    port,
    messages,
    logins,
    get connections() {
      return connections;
    },
    async waitFor(count, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(`sink got ${messages.length} of ${count} messages within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, Math.min(left, 200));
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
