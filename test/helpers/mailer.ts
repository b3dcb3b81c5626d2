import nodemailer from 'nodemailer';

/** A nodemailer SMTP client that insists on STARTTLS and trusts the relay's self-signed certificate. */
/** `pool`: keep that many connections open and reuse them (nodemailer's pool). */
export function mailer(port: number, access?: { username: string; password: string }, pool = 0) {
  return nodemailer.createTransport({
    ...(pool > 0 ? { pool: true, maxConnections: pool, maxMessages: Number.POSITIVE_INFINITY } : {}),
    host: '127.0.0.1',
    port,
    secure: false,
    requireTLS: true,
    tls: { rejectUnauthorized: false },
    ...(access ? { auth: { user: access.username, pass: access.password } } : {}),
  });
}

export interface TestMail {
  from: string;
  to: string | string[];
  subject?: string;
  text?: string;
}

/** Sends one mail through the relay with nodemailer and returns the id of its `250 … queued as <id>`. */
export async function sendMail(
  port: number,
  access: { username: string; password: string },
  mail: TestMail,
): Promise<string> {
  const info = await mailer(port, access).sendMail({ subject: 'Your order', text: 'x', ...mail });
  const id = /queued as (\w+)/.exec(info.response)?.[1];
  if (!id) throw new Error(`unexpected reply: ${info.response}`);
  return id;
}
