import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PASSWORD_PLACEHOLDER, type ShopSystemId, type SnippetBlock } from '@shared/setup/shop-setup';
import type { TestRelay } from './engine';

/**
 * A connection's snippet for one system as connections.setup renders it, with the real password
 * put where the placeholder stands (what a user does after pasting it) and nothing else changed.
 */
export async function snippetBlocks(
  relay: TestRelay,
  connectionId: string,
  system: ShopSystemId,
  password: string,
): Promise<SnippetBlock[]> {
  const { setup } = await relay.call('connections.setup', { id: connectionId });
  const snippet = setup.snippets.find((s) => s.system === system);
  if (!snippet) throw new Error(`connections.setup has no snippet for ${system}`);
  return snippet.blocks.map((b) => ({ ...b, code: b.code.replaceAll(PASSWORD_PLACEHOLDER, password) }));
}

/** Saves the relay's certificate as the user downloads it (tls.certificate) into `dir`. */
export async function downloadCertificate(relay: TestRelay, dir: string): Promise<string> {
  const { filename, pem } = await relay.call('tls.certificate', {});
  const path = join(dir, filename);
  writeFileSync(path, pem);
  return path;
}

const SYSTEM_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/**
 * What `update-ca-certificates` makes of the system trust store once the PEM is installed: the
 * system bundle plus the PEM. OpenSSL (and with it PHP and Python) reads it through SSL_CERT_FILE,
 * so the test does not change the machine's trust store.
 */
export function trustStoreWith(pemPath: string, dir: string): string {
  const bundle = join(dir, 'trust-store.crt');
  const system = existsSync(SYSTEM_BUNDLE) ? readFileSync(SYSTEM_BUNDLE, 'utf8') : '';
  writeFileSync(bundle, `${system}\n${readFileSync(pemPath, 'utf8')}`);
  return bundle;
}

/** `KEY=value` lines of a .env file (comments and blank lines skipped; no quoting needed here). */
export function parseDotenv(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m?.[1]) values[m[1]] = m[2] ?? '';
  }
  return values;
}

export interface ClientRun {
  exitCode: number;
  output: string;
}

/** Runs a real client program to its end (bounded); never throws on a failing exit. */
export function runClient(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<ClientRun> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: { ...process.env, ...options.env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') return reject(err);
        resolve({ exitCode: typeof err?.code === 'number' ? err.code : 0, output: `${stdout}${stderr}` });
      },
    );
  });
}

/** Whether a program is on this machine (the snippet's runtime). */
export function installed(path: string): boolean {
  return existsSync(path);
}
