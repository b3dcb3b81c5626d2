import { isIP, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import SMTPConnection, { type SMTPConnectionSendInfo } from 'nodemailer/lib/smtp-connection';
import { installDotStuffingPatch } from './dot-stuffing-patch';
import type { Route, Target } from './routes';

export interface SessionOptions {
  ehloName: string;
  timeoutMs: number;
}

/** One open SMTP session to a recipient server, reusable for several mails (RSET between them). */
export interface OutboundSession {
  host: string;
  port: number;
  ip: string;
  /** "TLSv1.3 TLS_AES_256_GCM_SHA384", or "" in clear. */
  tls: string;
  send(
    envelope: { from: string; to: string[]; size: number },
    message: Readable,
  ): Promise<SMTPConnectionSendInfo>;
  /** After a refused mail: RSET, so the session can carry the next one. */
  reset(): Promise<void>;
  /** Usable for another mail. */
  readonly usable: boolean;
  close(): void;
}

/**
 * Opens a session to one address of a target (the name is kept for SNI and the log): TLS per the route's policy (STARTTLS whenever offered unless
 * the policy is none; required → fail instead of sending in clear), login for a smarthost.
 * Nagle is turned off: it costs 40–90 ms per transaction (TOOLCHAIN.md).
 */
export function openSession(
  target: Target,
  address: string,
  route: Route,
  options: SessionOptions,
): Promise<OutboundSession> {
  installDotStuffingPatch();
  const connection = new SMTPConnection({
    host: address,
    port: target.port,
    name: options.ehloName,
    secure: route.tls === 'implicit',
    requireTLS: route.tls === 'required',
    ignoreTLS: route.tls === 'none',
    opportunisticTLS: route.tls === 'opportunistic',
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
    socketCloseTimeout: 1000,
    logger: false,
    tls: {
      rejectUnauthorized: route.verifyCertificate,
      ...(isIP(target.host) ? {} : { servername: target.host }),
    },
  });
  let broken = false;
  connection.on('error', () => {
    broken = true;
  });
  connection.on('end', () => {
    broken = true;
  });

  return new Promise((resolve, reject) => {
    connection.once('error', reject);
    connection.connect(() => {
      // nodemailer keeps the socket private; the address and cipher are only there.
      const socket = (connection as unknown as { _socket?: Socket | TLSSocket })._socket;
      socket?.setNoDelay(true);
      const cipher = connection.secure && socket && 'getCipher' in socket ? socket.getCipher() : undefined;
      const session: OutboundSession = {
        host: target.host,
        port: target.port,
        ip: socket?.remoteAddress ?? address,
        tls: cipher ? `${cipher.version} ${cipher.name}` : '',
        get usable() {
          return !broken;
        },
        send(envelope, message) {
          return new Promise((res, rej) =>
            connection.send(envelope, message, (err, info) => (err ? rej(err) : res(info))),
          );
        },
        reset() {
          return new Promise((res, rej) => connection.reset((err) => (err ? rej(err) : res())));
        },
        close() {
          broken = true;
          connection.quit();
          setTimeout(() => connection.close(), 1000).unref();
        },
      };
      const done = () => {
        connection.off('error', reject);
        resolve(session);
      };
      if (!route.auth) return done();
      connection.login({ user: route.auth.user, pass: route.auth.pass }, (err) => {
        if (err) {
          connection.close();
          return reject(err);
        }
        done();
      });
    });
  });
}
