/**
 * End to end with a real Postfix writing its own DSN: Relaydesk delivers to a throw-away Postfix
 * instance (250), Postfix's local(8) finds no such user, its bounce(8) writes the DSN to the VERP
 * return path, and its smtp(8) hands the DSN to Relaydesk's bounce listener.
 *
 * The instance lives in a temporary folder (`postfix -c <dir>/conf`, own queue, data directory
 * and log file, services not chrooted, one free loopback port), as bench/peer/postfix.ts does:
 * /etc/postfix and any system Postfix stay untouched. It needs root (Postfix drops to its own
 * user) and Debian's postfix package.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { masterCf, stopPostfix, waitListening } from '../../bench/peer/postfix';
import { freePort } from '../../bench/peer/procs';
import { createConnection, startRelay, type TestRelay, tempDir, waitForRecipients } from '../helpers/engine';
import { mailer } from '../helpers/mailer';

const POSTFIX = '/usr/sbin/postfix';
/** The domain Postfix delivers locally, and Relaydesk routes to it. */
const LOCAL_DOMAIN = 'mailbox.example.net';
/** No such user on this machine: local(8) bounces it with 5.1.1. */
const USER = 'alice';

const work = tempDir('relaydesk-postfix-dsn-');
const dir = join(work, 'postfix');
const conf = join(dir, 'conf');
const queue = join(dir, 'queue');
const data = join(dir, 'data');
const maillog = join(dir, 'maillog');

let relay: TestRelay | undefined;
let postfixPort = 0;
let started = false;

const run = (cmd: string, args: string[]) =>
  execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
const log = () => (existsSync(maillog) ? readFileSync(maillog, 'utf8') : '(no maillog)');

function postfixUser(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postfix:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new Error('no user postfix in /etc/passwd');
  return { uid: Number(uid), gid: Number(gid) };
}

/** local(8) runs as root (unprivileged = n) so it can look users up and switch to them. */
const LOCAL_SERVICE = 'local     unix  - n n -     - local';

/** Writes the instance's configuration: local delivery for LOCAL_DOMAIN, everything for the bounce listener's domain to it. */
function configure(port: number, bounceDomain: string, bouncePort: number): Record<string, string> {
  const postfix = postfixUser();
  chmodSync(work, 0o755);
  for (const d of [dir, conf, queue, data]) mkdirSync(d, { recursive: true, mode: 0o755 });
  chownSync(data, postfix.uid, postfix.gid);
  const transport = join(conf, 'transport');
  // texthash: read as text, no postmap needed. Brackets: no MX lookup, the address as it is.
  writeFileSync(transport, `${bounceDomain} smtp:[127.0.0.1]:${bouncePort}\n`);
  const main: Record<string, string> = {
    compatibility_level: '3.6',
    queue_directory: queue,
    data_directory: data,
    maillog_file_prefixes: dir,
    maillog_file: maillog,
    myhostname: `mx.${LOCAL_DOMAIN}`,
    mydomain: LOCAL_DOMAIN,
    myorigin: '$myhostname',
    mydestination: LOCAL_DOMAIN,
    inet_interfaces: 'loopback-only',
    inet_protocols: 'ipv4',
    mynetworks: '127.0.0.0/8',
    // Empty: smtpd accepts any local user at RCPT, so the unknown one fails at local delivery
    // and Postfix writes a DSN (instead of refusing it with 550 in the SMTP dialogue).
    local_recipient_maps: '',
    alias_maps: '',
    alias_database: '',
    luser_relay: '',
    transport_maps: `texthash:${transport}`,
    // Nothing else leaves this instance.
    default_transport: 'error:5.7.1 this test instance delivers nowhere else',
    relayhost: '',
    // No DNS at all: no reverse lookups of clients, no MX or A lookups for delivery.
    smtpd_peername_lookup: 'no',
    smtp_dns_support_level: 'disabled',
    smtp_host_lookup: 'native',
    smtp_tls_security_level: 'none',
    // Bounces go to the sender only, no copy to a postmaster.
    notify_classes: '',
    biff: 'no',
    mailbox_size_limit: '0',
  };
  writeFileSync(
    join(conf, 'main.cf'),
    `${Object.entries(main)
      .map(([k, v]) => `${k} = ${v}`)
      .join('\n')}\n`,
  );
  writeFileSync(join(conf, 'master.cf'), masterCf(port, [LOCAL_SERVICE]));
  return main;
}

beforeAll(async () => {
  expect(existsSync(POSTFIX), `${POSTFIX} is missing: install Debian's postfix`).toBe(true);
  expect(process.getuid?.(), 'a Postfix instance of its own needs root').toBe(0);
  postfixPort = await freePort();
  relay = await startRelay({
    overrides: { 'delivery.routes': { [LOCAL_DOMAIN]: `127.0.0.1:${postfixPort}` } },
  });
  const bouncePort = relay.engine.context.bounceListener?.port ?? 0;
  expect(bouncePort).toBeGreaterThan(0);
  // No bounces.domain set: the return path is in the sender's domain (see delivery-engine.ts).
  const main = configure(postfixPort, 'example.com', bouncePort);
  console.log(
    `Postfix main.cf:\n${Object.entries(main)
      .map(([k, v]) => `  ${k} = ${v}`)
      .join('\n')}\ntransport: example.com smtp:[127.0.0.1]:${bouncePort}`,
  );
  try {
    run(POSTFIX, ['-c', conf, 'check']);
    started = true;
    run(POSTFIX, ['-c', conf, 'start']);
  } catch (err) {
    throw new Error(`postfix -c ${conf} failed: ${(err as Error).message}\n${log()}`);
  }
  await waitListening(postfixPort, log);
});

afterAll(async () => {
  try {
    if (started) stopPostfix(conf, queue);
  } finally {
    try {
      await relay?.dispose();
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
});

describe('a DSN that a real Postfix writes for an unknown local user', () => {
  it('reaches the bounce listener, bounces the recipient as userunknown, hard, and suppresses the address', async () => {
    if (!relay) throw new Error('no relay');
    const t0 = Date.now();
    const recipient = `${USER}@${LOCAL_DOMAIN}`;
    const { access } = await createConnection(relay);
    const info = await mailer(relay.smtpPort, access).sendMail({
      from: 'Webshop <shop@example.com>',
      to: recipient,
      subject: 'Your order',
      text: 'Thank you for your order.',
    });
    const id = /queued as (\w+)/.exec(info.response)?.[1] ?? '';
    expect(id).not.toBe('');

    let m: Awaited<ReturnType<typeof waitForRecipients>>;
    try {
      m = await waitForRecipients(relay, id, ['bounced'], 45_000);
    } catch (err) {
      throw new Error(`${(err as Error).message}\nPostfix log:\n${log()}`);
    }
    // Postfix took the mail (250), then bounced it on its own.
    expect(m.attempts[0]).toMatchObject({ port: postfixPort, replyCode: 250 });
    expect(m.attempts[0]?.reply).toMatch(/queued as/);
    expect(m.events.map((e) => e.type)).toEqual(['accepted', 'sending', 'delivered', 'bounced']);

    const { items } = await relay.call('bounces.search', { text: recipient });
    expect(items).toHaveLength(1);
    const bounce = items[0];
    const detail = await relay.call('bounces.get', { id: bounce?.id ?? 0 });
    const raw = detail.rawReport ?? '';
    const status = /^Status: .*$/m.exec(raw)?.[0] ?? '(no Status line)';
    const diagnostic = /^Diagnostic-Code: .*$/m.exec(raw)?.[0] ?? '(no Diagnostic-Code line)';
    console.log(
      `Postfix's DSN, as the bounce listener kept it:\n  ${status}\n  ${diagnostic}\n` +
        `recorded: reason ${bounce?.reason}, hard ${bounce?.hard}, status ${bounce?.status}, ` +
        `diagnostic ${JSON.stringify(bounce?.diagnostic)}\nsent to bounced in ${Date.now() - t0} ms`,
    );
    expect(raw).toMatch(/^Reporting-MTA: dns; mx\.mailbox\.example\.net$/m);
    expect(status).toBe('Status: 5.1.1');
    expect(diagnostic).toBe('Diagnostic-Code: X-Postfix; unknown user: "alice"');

    expect(bounce).toMatchObject({
      origin: 'async',
      kind: 'bounce',
      messageId: id,
      recipient,
      status: '5.1.1',
    });
    expect(bounce?.diagnostic).toContain('unknown user');
    // Soft: the verdict and the suppression are both reported when the verdict is wrong.
    expect
      .soft({ reason: bounce?.reason, hard: bounce?.hard })
      .toEqual({ reason: 'userunknown', hard: true });
    expect.soft((await relay.call('suppressions.search', { text: recipient })).items[0]).toMatchObject({
      address: recipient,
      reason: 'hard-bounce',
      messageId: id,
    });
  }, 60_000);
});
