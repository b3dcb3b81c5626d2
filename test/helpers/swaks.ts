import { execFile } from 'node:child_process';

export interface SwaksResult {
  exitCode: number;
  output: string;
  /** Server reply lines (swaks marks them with `<-`, `<~`, `<**`, `<~*`). */
  replies: string[];
}

/** Runs Debian's swaks, a real SMTP client, against 127.0.0.1:port. Never throws on SMTP failure. */
export function swaks(port: number, args: string[], timeoutMs = 60_000): Promise<SwaksResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'swaks',
      ['--server', `127.0.0.1:${port}`, '--timeout', '30', ...args],
      { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') return reject(err);
        const output = `${stdout}${stderr}`;
        const replies = output
          .split('\n')
          .filter((l) => /^\s*<[-~]?\*{0,2}\s/.test(l) || /^<\*\*|^<~\*/.test(l))
          .map((l) => l.replace(/^\s*<[-~*]*\s+/, '').trim());
        resolve({ exitCode: typeof err?.code === 'number' ? err.code : 0, output, replies });
      },
    );
  });
}

export function authArgs(access: { username: string; password: string }, mech = 'PLAIN'): string[] {
  return ['--tls', '--auth', mech, '--auth-user', access.username, '--auth-password', access.password];
}

/** A login with a password that is not the connection's, then a mail it never gets to send. */
export function swaksWrongLogin(
  port: number,
  username: string,
  password = 'wrong-password',
): Promise<SwaksResult> {
  return swaks(port, [
    ...authArgs({ username, password }),
    '--from',
    'shop@example.com',
    '--to',
    'a@example.org',
  ]);
}
