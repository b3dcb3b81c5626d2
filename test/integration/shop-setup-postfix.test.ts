/**
 * The "Postfix as relayhost" snippet, run as rendered: a throw-away Postfix instance (own
 * configuration, queue and data folders under a temporary folder, one free loopback port, as
 * bench/peer/postfix.ts does; /etc/postfix stays untouched) gets the snippet's main.cf lines and
 * its relaydesk_passwd line — with /etc/postfix/ read as the instance's folder and the real
 * password in place of the placeholder — and the downloaded relaydesk-ca.pem. A mail handed to
 * that Postfix must go through Relaydesk (SASL over STARTTLS, the certificate checked) to the sink.
 * Needs root (Postfix drops to its own user), postfix and libsasl2-modules.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { masterCf, stopPostfix, uidOf, waitListening } from '../../bench/peer/postfix';
import { freePort } from '../../bench/peer/procs';
import { createConnection, startRelay, type TestRelay, tempDir } from '../helpers/engine';
import type { Sender } from '../helpers/sender';
import { downloadCertificate, snippetBlocks } from '../helpers/shop-snippets';
import { type Sink, startSink } from '../helpers/sink';

const POSTFIX = '/usr/sbin/postfix';
const ready = existsSync(POSTFIX) && process.getuid?.() === 0;
const skipped = ready ? '' : ' (SKIPPED: needs root and Debian postfix + libsasl2-modules)';

const work = tempDir('relaydesk-shop-postfix-');
let relay: TestRelay;
let sink: Sink;
let sender: Sender;

beforeAll(async () => {
  sink = await startSink();
  relay = await startRelay({ overrides: { 'delivery.routes': { 'example.org': `127.0.0.1:${sink.port}` } } });
  sender = await createConnection(relay);
});

afterAll(async () => {
  await relay?.dispose();
  await sink?.close();
  rmSync(work, { recursive: true, force: true });
});

/** `key = value` lines of a main.cf text (comments and blank lines skipped). */
function mainCfLines(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([a-z0-9_]+)\s*=\s*(.*)$/.exec(line);
    if (m?.[1]) values[m[1]] = m[2] ?? '';
  }
  return values;
}

/**
 * Runs the rendered snippet in a fresh Postfix instance, hands it one mail, and returns its log
 * once the sink has it — or, with `edit` (a change to the snippet's lines), once Postfix deferred it.
 */
async function relayThroughPostfix(
  name: string,
  edit?: (main: Record<string, string>) => Record<string, string>,
): Promise<string> {
  const dir = join(work, name);
  const conf = join(dir, 'conf');
  const queue = join(dir, 'queue');
  const data = join(dir, 'data');
  const maillog = join(dir, 'maillog');
  const postfix = uidOf('postfix');
  chmodSync(work, 0o755);
  for (const d of [dir, conf, queue, data]) mkdirSync(d, { recursive: true, mode: 0o755 });
  chownSync(data, postfix.uid, postfix.gid);
  await downloadCertificate(relay, conf);

  const blocks = await snippetBlocks(relay, sender.connection.id, 'postfix', sender.access.password);
  const asInstance = (text: string) => text.replaceAll('/etc/postfix/', `${conf}/`);
  const [mainBlock, passwdBlock, commandBlock] = blocks;
  expect(mainBlock?.where).toMatch(/main\.cf/);
  expect(passwdBlock?.where).toBe('/etc/postfix/relaydesk_passwd');
  writeFileSync(join(conf, 'relaydesk_passwd'), `${passwdBlock?.code}\n`);
  const rendered = mainCfLines(asInstance(mainBlock?.code ?? ''));
  const snippet = edit ? edit(rendered) : rendered;
  const port = await freePort();
  const main: Record<string, string> = {
    compatibility_level: '3.6',
    queue_directory: queue,
    data_directory: data,
    maillog_file_prefixes: dir,
    maillog_file: maillog,
    myhostname: 'shop.example.com',
    mydestination: '',
    inet_interfaces: 'loopback-only',
    inet_protocols: 'ipv4',
    mynetworks: '127.0.0.0/8',
    smtpd_relay_restrictions: 'permit_mynetworks, reject',
    smtpd_peername_lookup: 'no',
    // No DNS here: host names come from /etc/hosts.
    smtp_dns_support_level: 'disabled',
    smtp_host_lookup: 'native',
    notify_classes: '',
    // Logs whether the relay's certificate was verified.
    smtp_tls_loglevel: '1',
    ...snippet,
  };
  writeFileSync(
    join(conf, 'main.cf'),
    `${Object.entries(main)
      .map(([k, v]) => `${k} = ${v}`)
      .join('\n')}\n`,
  );
  writeFileSync(join(conf, 'master.cf'), masterCf(port));
  const log = () => (existsSync(maillog) ? readFileSync(maillog, 'utf8') : '(no maillog)');
  const before = sink.messages.length;
  try {
    execFileSync(POSTFIX, ['-c', conf, 'start'], { stdio: 'pipe' });
    await waitListening(port, log);
    // The snippet's last step, for this instance: `chmod 600 … && postfix reload`.
    execFileSync(
      'sh',
      ['-c', asInstance(commandBlock?.code ?? '').replace('postfix reload', `postfix -c ${conf} reload`)],
      {
        stdio: 'pipe',
      },
    );
    await nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true }).sendMail({
      from: 'shop@example.com',
      to: 'you@example.org',
      subject: 'Relaydesk test',
      text: 'It works.',
    });
    if (edit) {
      await waitForLog(log, /status=deferred/);
      expect(sink.messages.length).toBe(before);
      return log();
    }
    await sink.waitFor(before + 1, 30_000);
  } catch (err) {
    throw new Error(`${(err as Error).message}\nPostfix log:\n${log()}`);
  } finally {
    stopPostfix(conf, queue);
  }
  const mail = sink.messages[before];
  expect(mail?.raw.toString()).toMatch(/^Subject: Relaydesk test\r?$/m);
  expect(mail?.raw.toString()).toMatch(/^DKIM-Signature: /m);
  return log();
}

async function waitForLog(log: () => string, pattern: RegExp): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!pattern.test(log())) {
    if (Date.now() > deadline) throw new Error(`Postfix never logged ${pattern}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Postfix as relayhost, configured with the rendered snippet', () => {
  it.skipIf(!ready)(
    `relays through Relaydesk by address, pinning the certificate's SHA-256 fingerprint${skipped}`,
    async () => {
      const log = await relayThroughPostfix('by-address');
      expect(log).toMatch(/Verified TLS connection established to 127\.0\.0\.1\[127\.0\.0\.1\]:\d+/);
      expect(log).toMatch(/relay=127\.0\.0\.1\[127\.0\.0\.1\]:\d+.*status=sent/);
    },
  );

  it.skipIf(!ready)(
    `holds the mail back when the pinned fingerprint is not the relay's (the pin is checked)${skipped}`,
    async () => {
      const log = await relayThroughPostfix('wrong-pin', (main) => ({
        ...main,
        smtp_tls_fingerprint_cert_match: (main.smtp_tls_fingerprint_cert_match ?? '').replace(/^../, (b) =>
          b === '00' ? '11' : '00',
        ),
      }));
      expect(log).toMatch(/status=deferred \(Server certificate not verified\)/);
    },
    90_000,
  );

  it.skipIf(!ready)(
    `relays through Relaydesk by host name with smtp_tls_security_level = secure and the downloaded certificate as smtp_tls_trust_anchor_file${skipped}`,
    async () => {
      await relay.call('settings.update', { values: { 'smtp.publicHost': 'localhost' } });
      const log = await relayThroughPostfix('by-name');
      expect(log).toMatch(/Verified TLS connection established to localhost\[127\.0\.0\.1\]:\d+/);
      expect(log).toMatch(/relay=localhost\[127\.0\.0\.1\]:\d+.*status=sent/);
    },
    90_000,
  );
});
