import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { SYSTEM_PYTHON } from './dkim';

/**
 * Sends the mail in `file` with Python's smtplib (STARTTLS, AUTH, one recipient) and resolves to
 * what send_smtplib.py printed (the reply to DATA); rejects with its error output when it failed.
 */
export function sendWithSmtplib(
  port: number,
  access: { username: string; password: string },
  from: string,
  to: string,
  file: string,
): Promise<string> {
  return new Promise((done, fail) =>
    execFile(
      SYSTEM_PYTHON,
      [resolve(__dirname, 'send_smtplib.py'), String(port), access.username, access.password, from, to, file],
      { timeout: 60_000 },
      (err, stdout, stderr) => (err ? fail(new Error(stderr || err.message)) : done(stdout)),
    ),
  );
}
