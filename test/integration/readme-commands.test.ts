import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HeadlessRelay, startHeadless } from '../helpers/headless';
import { type Sink, startSink } from '../helpers/sink';

const README = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');

/** The body of a `## Title` section of the README, up to the next `## ` heading. */
function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README has no "## ${title}" section`);
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

/** The shell commands of a section's ```sh blocks, in order; a line ending in `\` continues. */
function shellCommands(text: string): string[] {
  const blocks = [...text.matchAll(/^( *)```sh\n([\s\S]*?)^ *```$/gm)];
  return blocks.flatMap(([, indent = '', body = '']) =>
    body
      .split('\n')
      .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
      .join('\n')
      .replace(/\\\n\s*/g, '')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
  );
}

/** Commands a reader runs only as root, on their own machine: not run here. */
const NEEDS_ROOT = /update-ca-certificates/;

function run(command: string, cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((res) => {
    execFile('bash', ['-euo', 'pipefail', '-c', command], { cwd, timeout: 60_000 }, (err, stdout, stderr) => {
      res({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

let relay: HeadlessRelay;
let sink: Sink;
let dataDir: string;
let workDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'relaydesk-readme-'));
  workDir = mkdtempSync(join(tmpdir(), 'relaydesk-readme-shell-'));
  sink = await startSink();
  relay = await startHeadless(dataDir);
  // The one thing a fresh clone has that a test machine lacks: the internet's MX for example.org.
  await relay.call('settings.update', {
    values: { 'delivery.routes': { 'example.org': `127.0.0.1:${sink.port}` } },
  });
});

afterAll(async () => {
  await relay?.stop();
  await sink?.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(workDir, { recursive: true, force: true });
});

/** The package names of the first `apt-get install` in a text (flags and the output redirect left out). */
function aptPackages(text: string): string[] {
  const install = /apt-get install ((?:\\\n|[^\n])*)/.exec(text)?.[1] ?? '';
  return install
    .split(/[\s\\]+/)
    .filter((word) => /^[a-z0-9][a-z0-9.+-]*$/.test(word))
    .sort();
}

describe('the README, run as written', () => {
  it('lists for the tests exactly the Debian packages that CI installs', () => {
    const ci = readFileSync(resolve(__dirname, '../../.ci/run'), 'utf8');
    expect(aptPackages(section('Start'))).toEqual(aptPackages(ci));
    expect(aptPackages(ci)).toContain('curl');
  });

  it('has the commands of "Connect a shop" and "The API" to run, and only the root one is left out', () => {
    const all = [...shellCommands(section('Connect a shop')), ...shellCommands(section('The API'))];
    expect(all.filter((c) => NEEDS_ROOT.test(c))).toHaveLength(1);
    expect(all.filter((c) => !NEEDS_ROOT.test(c)).length).toBeGreaterThanOrEqual(6);
  });

  it('creates a domain and a connection, sends through it and finds the mail, each command succeeding in order', async () => {
    // What a reader types in place of the README's defaults and placeholders, filled in from earlier answers.
    const values = new Map<string, string>();
    const substitute = (command: string) => {
      let line = command
        .replaceAll('~/.config/Relaydesk', dataDir)
        .replaceAll('127.0.0.1:2580', `127.0.0.1:${relay.consolePort}`)
        .replaceAll('127.0.0.1:2525', `127.0.0.1:${relay.smtpPort}`);
      for (const placeholder of ['DOMAIN_ID', 'CONNECTION_ID', 'USER', 'PASS']) {
        if (!new RegExp(`\\b${placeholder}\\b`).test(line)) continue;
        const value = values.get(placeholder);
        if (!value) throw new Error(`"${command}" needs ${placeholder}, which no earlier command printed`);
        line = line.replace(new RegExp(`\\b${placeholder}\\b`, 'g'), value);
      }
      return line;
    };

    const ran: string[] = [];
    const commands = [...shellCommands(section('Connect a shop')), ...shellCommands(section('The API'))];
    for (const command of commands.filter((c) => !NEEDS_ROOT.test(c))) {
      const { code, output } = await run(substitute(command), workDir);
      expect(code, `${command}\n${output}`).toBe(0);
      ran.push(command.split(' ')[0] ?? '');
      if (command.startsWith('curl')) {
        const answer = JSON.parse(output) as { ok: boolean; value: unknown };
        expect(answer.ok, `${command}\n${output}`).toBe(true);
        const method = /\/api\/([\w.]+)/.exec(command)?.[1];
        if (method === 'domains.create') values.set('DOMAIN_ID', (answer.value as { id: string }).id);
        if (method === 'connections.create') {
          const { connection, access } = answer.value as {
            connection: { id: string };
            access: { username: string; password: string };
          };
          values.set('CONNECTION_ID', connection.id);
          values.set('USER', access.username);
          values.set('PASS', access.password);
        }
        if (method === 'messages.search') {
          const { items } = answer.value as { items: { mailFrom: string; recipients: string[] }[] };
          expect(items.map((m) => `${m.mailFrom} → ${m.recipients.join()}`)).toEqual([
            'shop@example.com → you@example.org',
            'relaydesk-test@example.com → delivered@simulator.relaydesk.test',
          ]);
        }
        if (method === 'connections.list') {
          expect((answer.value as { name: string }[]).map((c) => c.name)).toEqual(['Webshop']);
        }
      } else if (command.startsWith('swaks')) {
        expect(output).toMatch(/250 2\.0\.0 Ok: queued as/);
      }
    }
    expect(ran).toEqual(['curl', 'curl', 'cp', 'curl', 'swaks', 'curl', 'curl']);

    // The mail swaks sent reaches the recipient's server, signed for the shop's domain.
    await sink.waitFor(1);
    const [mail] = sink.messages;
    expect(mail?.to).toEqual(['you@example.org']);
    expect(mail?.raw.toString('utf8')).toMatch(/^DKIM-Signature:[\s\S]*?\bd=example\.com;/m);
  });
});
