import { connect, type Socket } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';

/**
 * A raw, line-level SMTP client for assertions a library would hide: exact EHLO lines,
 * exact reply codes, the moment a 250 arrives.
 */
export class SmtpSession {
  private buffer = '';
  private waiters: (() => void)[] = [];
  private closed = false;

  private constructor(private socket: Socket | TLSSocket) {
    this.attach(socket);
  }

  /** `from` is the loopback address to connect from (any of 127.0.0.0/8): a test of per-address limits uses one no other test used. */
  static async open(port: number, from?: string): Promise<{ session: SmtpSession; greeting: string }> {
    const socket = connect({
      host: '127.0.0.1',
      port,
      noDelay: true,
      ...(from ? { localAddress: from } : {}),
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const session = new SmtpSession(socket);
    const greeting = await session.reply();
    return { session, greeting };
  }

  /** Connected, greeted, EHLO, STARTTLS, EHLO again: ready for AUTH. */
  static async secure(port: number): Promise<SmtpSession> {
    const { session } = await SmtpSession.open(port);
    await session.command('EHLO client.test');
    await session.startTls();
    await session.command('EHLO client.test');
    return session;
  }

  /** A TLS session logged in with a connection's access data (throws unless the login succeeds). */
  static async loggedIn(port: number, access: { username: string; password: string }): Promise<SmtpSession> {
    const session = await SmtpSession.secure(port);
    const reply = await session.login(access.username, access.password);
    if (!reply.startsWith('235')) throw new Error(`login refused: ${reply}`);
    return session;
  }

  /** SHA-256 fingerprint of the certificate the relay presents on STARTTLS. */
  static async presentedFingerprint(port: number): Promise<string | undefined> {
    const session = await SmtpSession.secure(port);
    const fingerprint = session.peerCertificateFingerprint;
    session.close();
    return fingerprint;
  }

  private attach(socket: Socket | TLSSocket): void {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Reads one complete (possibly multi-line) reply. */
  async reply(timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // A reply ends with the first complete line whose code is followed by a space (or nothing).
      const lines = this.buffer.split('\r\n');
      const end = lines.slice(0, -1).findIndex((l) => /^\d{3}( |$)/.test(l));
      if (end >= 0) {
        this.buffer = lines.slice(end + 1).join('\r\n');
        return lines.slice(0, end + 1).join('\r\n');
      }
      if (this.closed) throw new Error(`connection closed; unread: ${JSON.stringify(this.buffer)}`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`no SMTP reply within ${timeoutMs} ms; unread: ${JSON.stringify(this.buffer)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async command(line: string): Promise<string> {
    this.socket.write(`${line}\r\n`);
    return this.reply();
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Sends `text` one character every `everyMs` (a client that trickles), until it ends or the server closes. */
  async drip(text: string, everyMs: number): Promise<void> {
    for (const ch of text) {
      if (this.isClosed) return;
      this.write(ch);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }

  /** Sends a message body from a stream (lines must not start with a dot) and the end marker; returns the reply. */
  async data(body: NodeJS.ReadableStream): Promise<string> {
    const go = await this.command('DATA');
    if (!go.startsWith('354')) return go;
    for await (const chunk of body) {
      if (!this.socket.write(chunk as Buffer)) await new Promise((r) => this.socket.once('drain', r));
    }
    this.socket.write('\r\n.\r\n');
    return this.reply(120_000);
  }

  /** STARTTLS and the TLS handshake, which a slow client may begin only after `handshakeDelayMs`. */
  async startTls(handshakeDelayMs = 0): Promise<void> {
    const reply = await this.command('STARTTLS');
    if (!reply.startsWith('220')) throw new Error(`STARTTLS refused: ${reply}`);
    if (handshakeDelayMs > 0) await new Promise((r) => setTimeout(r, handshakeDelayMs));
    const plain = this.socket;
    plain.removeAllListeners('data');
    const secure = tlsConnect({ socket: plain, rejectUnauthorized: false, servername: 'localhost' });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', resolve);
      secure.once('error', reject);
    });
    this.socket = secure;
    this.attach(secure);
  }

  async login(username: string, password: string): Promise<string> {
    const token = Buffer.from(`\0${username}\0${password}`).toString('base64');
    return this.command(`AUTH PLAIN ${token}`);
  }

  get peerCertificateFingerprint(): string | undefined {
    return 'getPeerCertificate' in this.socket ? this.socket.getPeerCertificate().fingerprint256 : undefined;
  }

  /** Whether the relay has closed the connection within `timeoutMs`. */
  async waitClosed(timeoutMs = 15_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return true;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }
}
