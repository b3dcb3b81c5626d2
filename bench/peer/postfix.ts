/**
 * A throw-away Postfix instance in a temporary folder, with or without an OpenDKIM milter.
 *
 * The system's Postfix is not touched: the instance has its own configuration directory
 * (`postfix -c <dir>`), queue directory, data directory and log file, and listens on one free
 * loopback port. Postfix asks for `alternate_config_directories` in the default main.cf only
 * when the caller is not root (mail_conf.c); the bench needs root anyway (Postfix drops to the
 * `postfix` user itself), so nothing in /etc/postfix changes and a running system Postfix is
 * no obstacle. Every piece registers its undo step (see cleanup.ts).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { onCleanup } from './cleanup';
import { alive, freePort, processesWithEnv, processTree, waitGoneSync } from './procs';
import { SENDER_DOMAIN, type Target } from './target';

export const PACKAGES = ['postfix', 'opendkim', 'opendkim-tools', 'sasl2-bin', 'libsasl2-modules'];
export const INSTALL_LINE = `apt-get install -y ${PACKAGES.join(' ')}`;
const SBIN = '/usr/sbin';

/** Debian packages of the list that are not installed (all of them if dpkg is not there). */
export function missingPackages(): string[] {
  return PACKAGES.filter((name) => {
    try {
      return !execFileSync('dpkg-query', ['-s', name], {
        stdio: ['ignore', 'pipe', 'ignore'],
      })
        .toString()
        .includes('install ok installed');
    } catch {
      return true;
    }
  });
}

export function peerVersions(): string {
  const run = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
    } catch {
      return '';
    }
  };
  const postfix = /mail_version = (\S+)/.exec(run(`${SBIN}/postconf`, ['-d', 'mail_version']))?.[1] ?? '?';
  const opendkim = /OpenDKIM Filter v(\S+)/.exec(run(`${SBIN}/opendkim`, ['-V']))?.[1] ?? '?';
  return `Postfix ${postfix}, OpenDKIM ${opendkim}`;
}

export function uidOf(user: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${user}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new Error(`no user ${user} in /etc/passwd`);
  return { uid: Number(uid), gid: Number(gid) };
}

const run = (cmd: string, args: string[], input?: string) =>
  execFileSync(cmd, args, { input, stdio: ['pipe', 'pipe', 'pipe'] }).toString();

/** Files both instances share: a self-signed certificate and an RSA-2048 DKIM key. */
export interface PeerFiles {
  root: string;
  tlsKey: string;
  tlsCert: string;
  dkimDir: string;
  dkimKey: string;
  /** TXT name → value of the DKIM key, for verifying at the sink. */
  dkimRecords: Record<string, string>;
}

export const DKIM_SELECTOR = 'peer';

export function makePeerFiles(root: string): PeerFiles {
  const tlsKey = join(root, 'tls.key');
  const tlsCert = join(root, 'tls.crt');
  run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=postfix.bench.test',
    '-keyout',
    tlsKey,
    '-out',
    tlsCert,
  ]);
  const dkimDir = join(root, 'dkim');
  mkdirSync(dkimDir, { mode: 0o755 });
  run(`${SBIN}/opendkim-genkey`, ['-b', '2048', '-d', SENDER_DOMAIN, '-s', DKIM_SELECTOR, '-D', dkimDir]);
  // bench.txt: `peer._domainkey IN TXT ( "v=DKIM1; …" "p=…" )  ; comment`
  const txt = readFileSync(join(dkimDir, `${DKIM_SELECTOR}.txt`), 'utf8').replace(/;\s*-----.*$/s, '');
  const value = [...txt.matchAll(/"([^"]*)"/g)].map((m) => m[1]).join('');
  return {
    root,
    tlsKey,
    tlsCert,
    dkimDir,
    dkimKey: join(dkimDir, `${DKIM_SELECTOR}.private`),
    dkimRecords: { [`${DKIM_SELECTOR}._domainkey.${SENDER_DOMAIN}`]: value },
  };
}

/** OpenDKIM in the foreground, signing RSA-2048 relaxed/relaxed on a unix socket. */
async function startOpendkim(
  files: PeerFiles,
): Promise<{ child: ChildProcess; socket: string; stop(): void }> {
  const socket = join(files.dkimDir, 'opendkim.sock');
  const conf = join(files.dkimDir, 'opendkim.conf');
  writeFileSync(
    conf,
    [
      'Syslog no',
      `Socket local:${socket}`,
      // The socket must be writable by smtpd, which runs as the postfix user.
      'UMask 000',
      'Mode s',
      'Canonicalization relaxed/relaxed',
      'SignatureAlgorithm rsa-sha256',
      `Domain ${SENDER_DOMAIN}`,
      `Selector ${DKIM_SELECTOR}`,
      `KeyFile ${files.dkimKey}`,
      // The key lives under /tmp, which others can write: opendkim refuses that unless told.
      'RequireSafeKeys false',
      '',
    ].join('\n'),
  );
  const child = spawn(`${SBIN}/opendkim`, ['-x', conf, '-f'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d;
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d;
  });
  const stop = onCleanup('opendkim', () => {
    if (!child.pid || !alive(child.pid)) return;
    child.kill('SIGTERM');
    if (!waitGoneSync(child.pid, 5000)) child.kill('SIGKILL');
  });
  const deadline = Date.now() + 10_000;
  while (!existsSync(socket)) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`opendkim did not open ${socket}:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, socket, stop };
}

export interface PostfixOptions {
  files: PeerFiles;
  sinkPort: number;
  /** Sign with an OpenDKIM milter. */
  dkim: boolean;
  maxMessageBytes: number;
  /** Client connections the load generator opens at once. */
  connections: number;
  /**
   * smtp_tls_connection_reuse = yes (through tlsproxy): several deliveries per TLS connection to
   * the sink. Postfix's default is no: one new connection, handshake and greeting per delivery.
   */
  tlsReuse: boolean;
}

const USER = 'bench';
const PASS = 'bench-peer-secret';

/**
 * master.cf of a throw-away instance: smtpd on 127.0.0.1:`port` and the services Postfix needs,
 * plus `extra` lines; chroot off (Debian's default chroot needs copies of /etc files in the queue).
 */
export function masterCf(port: number, extra: string[] = []): string {
  const lines = [
    `127.0.0.1:${port} inet n - n - - smtpd`,
    'pickup    unix  n - n 60    1 pickup',
    'cleanup   unix  n - n -     0 cleanup',
    'qmgr      unix  n - n 300   1 qmgr',
    'tlsmgr    unix  - - n 1000? 1 tlsmgr',
    'rewrite   unix  - - n -     - trivial-rewrite',
    'bounce    unix  - - n -     0 bounce',
    'defer     unix  - - n -     0 bounce',
    'trace     unix  - - n -     0 bounce',
    'verify    unix  - - n -     1 verify',
    'flush     unix  n - n 1000? 0 flush',
    'proxymap  unix  - - n -     - proxymap',
    'proxywrite unix - - n -     1 proxymap',
    'smtp      unix  - - n -     - smtp',
    'relay     unix  - - n -     - smtp',
    'showq     unix  n - n -     - showq',
    'error     unix  - - n -     - error',
    'retry     unix  - - n -     - error',
    'discard   unix  - - n -     - discard',
    'anvil     unix  - - n -     1 anvil',
    'scache    unix  - - n -     1 scache',
    'postlog   unix-dgram n - n - 1 postlogd',
  ];
  return `${[...lines, ...extra].join('\n')}\n`;
}

/**
 * Starts a Postfix instance in `<root>/<postfix|postfix-dkim>`: submission on a free loopback
 * port with STARTTLS and SASL AUTH (Cyrus sasldb) required, relaying everything to the sink.
 */
export async function startPostfix(options: PostfixOptions): Promise<Target> {
  const { files, dkim } = options;
  const dir = join(files.root, dkim ? 'postfix-dkim' : 'postfix');
  const conf = join(dir, 'conf');
  const queue = join(dir, 'queue');
  const data = join(dir, 'data');
  const maillog = join(dir, 'maillog');
  const postfix = uidOf('postfix');
  for (const d of [dir, conf, queue, data, join(conf, 'sasl')]) mkdirSync(d, { mode: 0o755 });
  chownSync(data, postfix.uid, postfix.gid);

  // SASL: a sasldb the smtpd processes (user postfix) can read. Debian's Postfix reads the Cyrus
  // application file from <config_directory>/sasl/smtpd.conf.
  const sasldb = join(conf, 'sasl', 'sasldb2');
  run(`${SBIN}/saslpasswd2`, ['-p', '-c', '-f', sasldb, '-u', SENDER_DOMAIN, USER], PASS);
  chownSync(sasldb, postfix.uid, postfix.gid);
  chmodSync(sasldb, 0o640);
  writeFileSync(
    join(conf, 'sasl', 'smtpd.conf'),
    `pwcheck_method: auxprop\nauxprop_plugin: sasldb\nsasldb_path: ${sasldb}\nmech_list: PLAIN LOGIN\n`,
  );

  let opendkim: Awaited<ReturnType<typeof startOpendkim>> | undefined;
  if (dkim) opendkim = await startOpendkim(files);

  const port = await freePort();
  const main: Record<string, string | number> = {
    compatibility_level: '3.6',
    queue_directory: queue,
    data_directory: data,
    // No syslog here: log to a file in the instance folder.
    maillog_file_prefixes: dir,
    maillog_file: maillog,
    myhostname: 'postfix.bench.test',
    inet_interfaces: 'loopback-only',
    inet_protocols: 'ipv4',
    mydestination: '',
    local_recipient_maps: '',
    alias_maps: '',
    alias_database: '',
    relayhost: `[127.0.0.1]:${options.sinkPort}`,
    message_size_limit: Math.max(10_240_000, options.maxMessageBytes),
    mailbox_size_limit: 0,
    // Submission: TLS first, then AUTH, then relaying for authenticated clients only.
    smtpd_tls_cert_file: files.tlsCert,
    smtpd_tls_key_file: files.tlsKey,
    smtpd_tls_security_level: 'encrypt',
    smtpd_tls_auth_only: 'yes',
    smtpd_sasl_auth_enable: 'yes',
    smtpd_sasl_type: 'cyrus',
    smtpd_sasl_path: 'smtpd',
    cyrus_sasl_config_path: join(conf, 'sasl'),
    smtpd_relay_restrictions: 'permit_sasl_authenticated, reject',
    // Relaydesk does no reverse lookup of clients either (and there is no DNS here).
    smtpd_peername_lookup: 'no',
    smtpd_client_connection_count_limit: Math.max(50, options.connections + 5),
    // Delivery to the sink: STARTTLS when offered, as Relaydesk does.
    smtp_tls_security_level: 'may',
    smtp_tls_connection_reuse: options.tlsReuse ? 'yes' : 'no',
    // ≥ 20 smtpd processes for the pooled case (100 is Postfix's default).
    default_process_limit: Math.max(100, options.connections * 2),
  };
  if (opendkim) {
    main.smtpd_milters = `unix:${opendkim.socket}`;
    main.milter_default_action = 'tempfail';
  }
  writeFileSync(
    join(conf, 'main.cf'),
    `${Object.entries(main)
      .map(([k, v]) => `${k} = ${v}`)
      .join('\n')}\n`,
  );
  writeFileSync(
    join(conf, 'master.cf'),
    masterCf(port, options.tlsReuse ? ['tlsproxy  unix  - - n -     0 tlsproxy'] : []),
  );

  const tail = () =>
    existsSync(maillog) ? readFileSync(maillog, 'utf8').split('\n').slice(-15).join('\n') : '';
  try {
    run(`${SBIN}/postfix`, ['-c', conf, 'check']);
  } catch (err) {
    throw new Error(`postfix -c ${conf} check failed: ${(err as Error).message}\n${tail()}`);
  }
  const stop = onCleanup(`postfix ${conf}`, () => stopPostfix(conf, queue));
  try {
    run(`${SBIN}/postfix`, ['-c', conf, 'start']);
  } catch (err) {
    throw new Error(`postfix -c ${conf} start failed: ${(err as Error).message}\n${tail()}`);
  }
  const master = await masterPid(queue);
  await waitListening(port);

  return {
    key: dkim ? 'postfix-dkim' : 'postfix',
    port,
    user: `${USER}@${SENDER_DOMAIN}`,
    pass: PASS,
    dkimRecords: dkim ? files.dkimRecords : undefined,
    pids: () => processTree(opendkim?.child.pid ? [master, opendkim.child.pid] : [master]),
    async stop() {
      stop();
      opendkim?.stop();
    },
  };
}

async function masterPid(queue: string): Promise<number> {
  const file = join(queue, 'pid', 'master.pid');
  const deadline = Date.now() + 10_000;
  for (;;) {
    const pid = existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : 0;
    if (pid > 0 && alive(pid)) return pid;
    if (Date.now() > deadline) throw new Error(`Postfix master did not write ${file}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits (10 s at most) until a Postfix instance accepts connections on 127.0.0.1:`port`; `detail` adds to the error (e.g. its log). */
export async function waitListening(port: number, detail: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline)
      throw new Error(`Postfix does not listen on 127.0.0.1:${port}\n${detail()}`.trim());
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `postfix stop`, wait for the master; anything of this instance still running gets SIGKILL. */
export function stopPostfix(conf: string, queue: string): void {
  const pidFile = join(queue, 'pid', 'master.pid');
  const master = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : 0;
  try {
    run(`${SBIN}/postfix`, ['-c', conf, 'stop']);
  } catch {
    // Not running (or already stopping); the checks below still apply.
  }
  if (master > 0 && !waitGoneSync(master, 15_000)) {
    try {
      run(`${SBIN}/postfix`, ['-c', conf, 'abort']);
    } catch {}
    waitGoneSync(master, 5000);
  }
  // Postfix exports MAIL_CONFIG to every process of the instance: that names ours exactly.
  for (const pid of processesWithEnv('MAIL_CONFIG', conf)) {
    if (pid === process.pid) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
}
