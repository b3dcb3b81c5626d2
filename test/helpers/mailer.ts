import nodemailer from 'nodemailer';

/** A nodemailer SMTP client that insists on STARTTLS and trusts the relay's self-signed certificate. */
export function mailer(port: number, access?: { username: string; password: string }, pool = false) {
  return nodemailer.createTransport({
    ...(pool ? { pool: true, maxConnections: 5 } : {}),
    host: '127.0.0.1',
    port,
    secure: false,
    requireTLS: true,
    tls: { rejectUnauthorized: false },
    ...(access ? { auth: { user: access.username, pass: access.password } } : {}),
  });
}
