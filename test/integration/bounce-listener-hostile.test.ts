import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verpAddress } from '../../src/main/delivery/verp';
import { ManualClock } from '../../src/main/engine/clock';
import { createConnection, startRelay, type TestRelay, tempDir, waitForRecipients } from '../helpers/engine';
import { currentRss, type HeadlessRelay, startHeadless } from '../helpers/headless';
import { mailer } from '../helpers/mailer';
import { arf, dsn } from '../helpers/reports';
import { createSender } from '../helpers/sender';
import { type Sink, startSink } from '../helpers/sink';
import { SmtpSession } from '../helpers/smtp-session';

const KiB = 1024;
const MiB = 1024 * KiB;
const HOUR = 3_600_000;
const CORPUS = join(__dirname, '../fixtures/bounce-corpus/eml');

/** A DSN for `recipient` of about `bytes` bytes: the returned original carries a large attachment. */
function bigDsn(to: string, recipient: string, bytes: number): Buffer {
  const head = dsn({
    to,
    recipient,
    status: '5.1.1',
    diagnostic: '550 5.1.1 User unknown',
  }).replace(/--BOUNDARY--\r\n$/, '');
  const line = `${'QUJD'.repeat(19)}\r\n`;
  const lines = Math.max(1, Math.ceil((bytes - head.length - 300) / line.length));
  return Buffer.concat([
    Buffer.from(
      `${head}--BOUNDARY\r\nContent-Type: message/rfc822\r\n\r\nFrom: shop@example.com\r\nTo: ${recipient}\r\nSubject: Your order\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n`,
    ),
    Buffer.from(line.repeat(lines)),
    Buffer.from('\r\n--BOUNDARY--\r\n'),
  ]);
}

/** A DSN saying `recipient` does not exist, sent to `returnPath`. */
const userUnknown = (returnPath: string, recipient: string, diagnostic = '550 5.1.1 User unknown') =>
  dsn({ to: returnPath, recipient, status: '5.1.1', diagnostic });

/** CRLF line ends and dot-stuffing, as an MTA puts a mail on the wire. */
function onTheWire(raw: Buffer | string): Buffer {
  const text = (typeof raw === 'string' ? raw : raw.toString('latin1')).replace(/\r?\n/g, '\r\n');
  return Buffer.from(text.replace(/^\./gm, '..'), 'latin1');
}

/** Sessions a test opened; closed after each test, so a failed assertion leaves none behind. */
const opened: SmtpSession[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

/** One session to the bounce listener, greeted and past EHLO (or the refusal it got instead of a greeting). */
async function bounceSession(
  port: number,
  from?: string,
): Promise<{ session: SmtpSession; greeting: string }> {
  const { session, greeting } = await SmtpSession.open(port, from);
  opened.push(session);
  if (greeting.startsWith('220')) await session.command('EHLO mx.example.org');
  return { session, greeting };
}

interface Delivery {
  mail: string;
  rcpt: string;
  data?: string;
}

/** One transaction on an open session: MAIL, RCPT, DATA; stops at the first refusal. */
async function transaction(session: SmtpSession, rcpt: string, body: Buffer | string): Promise<Delivery> {
  const mail = await session.command('MAIL FROM:<>');
  if (!mail.startsWith('250')) return { mail, rcpt: '' };
  const rcptReply = await session.command(`RCPT TO:<${rcpt}>`);
  if (!rcptReply.startsWith('250')) {
    await session.command('RSET');
    return { mail, rcpt: rcptReply };
  }
  const data = await session.data(Readable.from([onTheWire(body)]));
  return { mail, rcpt: rcptReply, data };
}

/** A report handed over as a remote MTA would: its own connection, null sender, no login. */
async function report(port: number, rcpt: string, body: Buffer | string): Promise<Delivery> {
  const { session } = await bounceSession(port);
  try {
    return await transaction(session, rcpt, body);
  } finally {
    session.close();
  }
}

const filesIn = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * An in-process relay that delivers example.org to a sink, with a booked block and a shop
 * connection; `send` waits until every recipient reached one of `settled`.
 */
async function startShop(settled: string[]) {
  const mx = await startSink();
  const relay = await startRelay({
    overrides: { 'delivery.routes': { 'example.org': `127.0.0.1:${mx.port}` } },
  });
  await relay.call('quota.bookBlock', { size: 25_000 });
  const { access } = await createConnection(relay, { name: 'Shop' });
  const send = async (to: string | string[]) => {
    const info = await mailer(relay.smtpPort, access).sendMail({
      from: 'shop@example.com',
      to,
      subject: 'Your order',
      text: 'Thank you for your order.',
    });
    const id = /queued as (\w+)/.exec(info.response)?.[1] ?? '';
    await waitForRecipients(relay, id, settled);
    return id;
  };
  return { relay, mx, send };
}

describe('a flood against the built headless process', () => {
  let dir: string;
  let relay: HeadlessRelay;
  let mx: Sink;

  beforeAll(async () => {
    dir = tempDir();
    mx = await startSink();
    relay = await startHeadless(join(dir, 'data'));
    await relay.call('settings.update', {
      values: {
        'delivery.routes': { 'example.org': `127.0.0.1:${mx.port}` },
        // The flood comes from one address (loopback): this test is about the total cap.
        'bounces.maxConnectionsPerAddress': 1000,
      },
    });
  });
  afterAll(async () => {
    await relay?.stop();
    await mx?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('admits 20 of 60 parallel connections (421 for the rest), refuses over-cap reports with 552, and keeps memory and disk bounded, wave after wave', async () => {
    const { access } = await createSender(relay.call, { name: 'Shop' });
    await mailer(relay.smtpPort, access).sendMail({
      from: 'shop@example.com',
      to: 'flood@example.org',
      subject: 'Your order',
      text: 'x',
    });
    await mx.waitFor(1);
    const returnPath = mx.messages[0]?.from ?? '';
    expect(returnPath).toMatch(/^rd-/);

    const cap = 2 * MiB; // bounces.maxReportBytes, default
    const nearCap = bigDsn(returnPath, 'flood@example.org', cap - 64 * KiB);
    const overCap = bigDsn(returnPath, 'flood@example.org', cap + 512 * KiB);
    expect(onTheWire(nearCap).length).toBeLessThan(cap);
    const reports = join(dir, 'data', 'spool', 'reports');

    const before = currentRss(relay.pid);
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, currentRss(relay.pid));
    }, 5);
    const growth: number[] = [];
    try {
      for (let wave = 1; wave <= 4; wave++) {
        const opened = await Promise.all(Array.from({ length: 60 }, () => bounceSession(relay.bouncePort)));
        const greetings = opened.map((o) => o.greeting);
        const admitted = opened.filter((o) => o.greeting.startsWith('220'));
        // Each near-cap report differs by a header line: a report received twice is kept once.
        const answers = await Promise.all(
          admitted.map(({ session }, i) =>
            transaction(
              session,
              returnPath,
              i < 15 ? Buffer.concat([Buffer.from(`X-Flood: ${wave}-${i}\r\n`), nearCap]) : overCap,
            ),
          ),
        );
        for (const o of opened) o.session.close();
        peak = Math.max(peak, currentRss(relay.pid));
        growth.push(peak - before);
        const kept = filesIn(reports).filter((f) => f.endsWith('.eml'));
        const keptBytes = kept.reduce((sum, f) => sum + statSync(join(reports, f)).size, 0);
        console.log(
          `bounce flood, wave ${wave}: ${admitted.length} of 60 connections admitted, ` +
            `${answers.filter((a) => a.data?.startsWith('250')).length} reports accepted, ` +
            `${answers.filter((a) => a.data?.startsWith('552')).length} refused as too large; ` +
            `RSS growth so far ${((peak - before) / MiB).toFixed(1)} MiB ` +
            `(from ${(before / MiB).toFixed(1)} MiB); reports folder ${(keptBytes / MiB).toFixed(1)} MiB in ${kept.length} files`,
        );

        expect(admitted).toHaveLength(20);
        const refused = greetings.filter((g) => !g.startsWith('220'));
        expect(refused).toHaveLength(40);
        for (const g of refused) expect(g).toMatch(/^421 4\.7\.0 .*try again later/);
        expect(answers.slice(0, 15).map((a) => a.data?.slice(0, 9))).toEqual(Array(15).fill('250 2.0.0'));
        for (const a of answers.slice(15)) expect(a.data).toMatch(/^552 5\.3\.4 /);
        expect(kept).toHaveLength(15 * wave);
        // Each kept file is the report as received: its bytes on the wire, without the dot-stuffing.
        expect(keptBytes).toBeLessThanOrEqual(15 * wave * (onTheWire(nearCap).length + 32));
        expect(filesIn(join(reports, 'incoming'))).toEqual([]);
      }
    } finally {
      clearInterval(sampler);
    }
    // The old listener grew 354 MiB taking these 60 reports (it let all in and held each whole).
    // Measured here: 87-107 MiB after the first wave, most of it the heap growing to its working
    // size (the garbage of 40 MiB streamed through and of 15 analyses); the second wave sometimes
    // still adds up to 36 MiB of heap, after which it stays flat (six waves: 103, 103, 103, 113,
    // 117, 117 MiB). A listener that kept the reports it took would add their 29 MiB every wave,
    // 58 MiB over the last two.
    expect(Math.max(...growth)).toBeLessThan(150 * MiB);
    expect((growth[3] ?? 0) - (growth[1] ?? 0)).toBeLessThan(24 * MiB);
  });
});

describe('the bounce listener takes bounce reports and nothing else', () => {
  let relay: TestRelay;
  let mx: Sink;
  let reports: string;
  let send: (to: string | string[]) => Promise<string>;
  const port = () => relay.engine.context.bounceListener?.port ?? 0;
  const returnPathOf = (id: string, rcpt: string) =>
    mx.messages.find((m) => m.from.startsWith(`rd-${id}-`) && m.to.includes(rcpt))?.from ?? '';
  const reportRows = () =>
    (relay.engine.context.store.db.prepare('SELECT count(*) AS n FROM bounce_reports').get() as { n: number })
      .n;

  beforeAll(async () => {
    ({ relay, mx, send } = await startShop(['delivered', 'bounced']));
    reports = join(relay.dataDir, 'spool', 'reports');
  });
  afterAll(async () => {
    await relay?.dispose();
    await mx?.close();
  });

  it('refuses mail that is not a report with 550 5.7.1 and keeps nothing of it', async () => {
    const id = await send('quiet@example.org');
    const rowsBefore = reportRows();
    const filesBefore = filesIn(reports);
    const answer = await report(
      port(),
      returnPathOf(id, 'quiet@example.org'),
      'From: someone@example.net\r\nSubject: Buy cheap watches\r\n\r\nBest prices on watches, click here.\r\n',
    );
    expect(answer.data).toMatch(/^550 5\.7\.1 .*only takes bounce reports/);
    expect(reportRows()).toBe(rowsBefore);
    expect(filesIn(reports)).toEqual(filesBefore);
    expect(filesIn(join(reports, 'incoming'))).toEqual([]);
    expect((await relay.call('messages.get', { id })).recipientStates[0]?.status).toBe('delivered');
  });

  it('refuses a report over bounces.maxReportBytes with 552 5.3.4, keeps nothing, and advertises the limit as SIZE', async () => {
    await relay.call('settings.update', { values: { 'bounces.maxReportBytes': 64 * KiB } });
    try {
      const id = await send('large@example.org');
      const returnPath = returnPathOf(id, 'large@example.org');
      const { session } = await bounceSession(port());
      expect(await session.command('EHLO mx.example.org')).toMatch(/^250[- ]SIZE 65536$/m);
      expect(await session.command('MAIL FROM:<> SIZE=100000')).toMatch(/^552 /);
      session.close();

      const rowsBefore = reportRows();
      const filesBefore = filesIn(reports);
      const answer = await report(port(), returnPath, bigDsn(returnPath, 'large@example.org', 100 * KiB));
      expect(answer.data).toMatch(/^552 5\.3\.4 .*larger than the 65536 bytes/);
      expect(reportRows()).toBe(rowsBefore);
      expect(filesIn(reports)).toEqual(filesBefore);
      expect(filesIn(join(reports, 'incoming'))).toEqual([]);
      expect((await relay.call('messages.get', { id })).recipientStates[0]?.status).toBe('delivered');
      // Just under the limit is taken.
      expect(
        (await report(port(), returnPath, bigDsn(returnPath, 'large@example.org', 60 * KiB))).data,
      ).toMatch(/^250 /);
    } finally {
      await relay.call('settings.update', { values: { 'bounces.maxReportBytes': 2 * MiB } });
    }
  });

  it('streams a report into reports/incoming (0600) while it arrives, and removes it when the sender vanishes', async () => {
    const id = await send('vanish@example.org');
    const returnPath = returnPathOf(id, 'vanish@example.org');
    const { session } = await bounceSession(port());
    expect(await session.command('MAIL FROM:<>')).toMatch(/^250/);
    expect(await session.command(`RCPT TO:<${returnPath}>`)).toMatch(/^250/);
    expect(await session.command('DATA')).toMatch(/^354/);
    const part = onTheWire(bigDsn(returnPath, 'vanish@example.org', 1 * MiB)).subarray(0, 600 * KiB);
    session.write(part);
    const incoming = join(reports, 'incoming');
    const partSize = () => {
      const [name] = filesIn(incoming);
      return name ? statSync(join(incoming, name)).size : 0;
    };
    await until(() => partSize() > 500 * KiB, 'the report to stream into reports/incoming');
    const [name] = filesIn(incoming);
    expect(name).toMatch(/\.part$/);
    expect(statSync(join(incoming, name ?? '')).mode & 0o777).toBe(0o600);
    session.close();
    await until(() => filesIn(incoming).length === 0, 'the cut-off report to be removed');
  });

  it('answers 421 4.7.0 beyond bounces.maxConnections and admits again once one closes', async () => {
    await relay.call('settings.update', { values: { 'bounces.maxConnections': 2 } });
    try {
      const first = await bounceSession(port());
      const second = await bounceSession(port());
      const third = await bounceSession(port());
      expect([first.greeting, second.greeting].map((g) => g.slice(0, 3))).toEqual(['220', '220']);
      expect(third.greeting).toMatch(/^421 4\.7\.0 .*try again later/);
      first.session.close();
      let again = '';
      for (let i = 0; i < 50 && !again.startsWith('220'); i++) {
        await new Promise((r) => setTimeout(r, 20));
        const next = await bounceSession(port());
        again = next.greeting;
        next.session.close();
      }
      expect(again).toMatch(/^220/);
      second.session.close();
      third.session.close();
    } finally {
      await relay.call('settings.update', { values: { 'bounces.maxConnections': 20 } });
    }
  });

  it('answers 421 4.7.0 beyond bounces.maxConnectionsPerAddress, so one sender cannot take every place', async () => {
    await relay.call('settings.update', { values: { 'bounces.maxConnectionsPerAddress': 2 } });
    // From an address of its own: sessions other tests closed from 127.0.0.1 may not be counted out yet.
    const from = '127.0.0.23';
    try {
      const sessions = [
        await bounceSession(port(), from),
        await bounceSession(port(), from),
        await bounceSession(port(), from),
      ];
      expect(sessions.map((x) => x.greeting.slice(0, 3))).toEqual(['220', '220', '421']);
      expect(sessions[2]?.greeting).toMatch(
        /^421 4\.7\.0 Too many connections from 127\.0\.0\.23 \(at most 2 at once\)/,
      );
    } finally {
      for (const s of opened.splice(0)) s.close();
      await relay.call('settings.update', { values: { 'bounces.maxConnectionsPerAddress': 5 } });
    }
  });

  it('closes a session whose command trickles in a byte every 200 ms once the command time is up, freeing its place', async () => {
    await relay.call('settings.update', { values: { 'smtp.commandTimeoutSeconds': 2 } });
    try {
      const { session } = await bounceSession(port());
      const started = Date.now();
      const dripping = session.drip('MAIL FROM:<>\r\n'.repeat(3), 200);
      const reply = await session.reply(12_000);
      await dripping;
      expect(reply).toMatch(/^421 4\.4\.2 No complete command within 2 seconds/);
      expect(await session.waitClosed(3_000)).toBe(true);
      expect(Date.now() - started).toBeLessThan(4_500);
    } finally {
      await relay.call('settings.update', { values: { 'smtp.commandTimeoutSeconds': 60 } });
    }
  });

  it('closes a session after 50 commands with 421 4.7.0, asking to connect again', async () => {
    const { session } = await bounceSession(port()); // EHLO: the first command
    for (let i = 2; i <= 50; i++) expect(await session.command('NOOP')).toMatch(/^250/);
    expect(await session.command('NOOP')).toMatch(
      /^421 4\.7\.0 Too many commands: at most 50 .*connect again/,
    );
    expect(await session.waitClosed(3_000)).toBe(true);
  });

  it('takes one report per transaction: a second return path gets 452 4.5.3', async () => {
    const one = await send('first@example.org');
    const two = await send('second@example.org');
    const { session } = await bounceSession(port());
    expect(await session.command('MAIL FROM:<>')).toMatch(/^250/);
    expect(await session.command(`RCPT TO:<${returnPathOf(one, 'first@example.org')}>`)).toMatch(/^250/);
    expect(await session.command(`RCPT TO:<${returnPathOf(two, 'second@example.org')}>`)).toMatch(
      /^452 4\.5\.3 /,
    );
    session.close();
  });

  it('answers 451 4.3.0 and reports a bounces problem when the report cannot be stored', async () => {
    const id = await send('disk@example.org');
    const returnPath = returnPathOf(id, 'disk@example.org');
    const moved = `${reports}.moved`;
    rmSync(moved, { recursive: true, force: true });
    if (existsSync(reports)) renameSync(reports, moved);
    // A file where the reports folder should be: every write there fails, as on a broken disk.
    writeFileSync(reports, 'not a folder');
    try {
      const answer = await report(
        port(),
        returnPath,
        userUnknown(returnPath, 'disk@example.org', '550 5.1.1 unknown'),
      );
      expect(answer.data).toMatch(/^451 4\.3\.0 /);
      const { problems } = await relay.call('status.get', {});
      expect(problems.some((p) => p.area === 'bounces')).toBe(true);
      expect((await relay.call('messages.get', { id })).recipientStates[0]?.status).toBe('delivered');
    } finally {
      rmSync(reports, { force: true });
      if (existsSync(moved)) renameSync(moved, reports);
    }
    // Working again: the report is taken and the problem clears.
    const answer = await report(
      port(),
      returnPath,
      userUnknown(returnPath, 'disk@example.org', '550 5.1.1 unknown'),
    );
    expect(answer.data).toMatch(/^250 /);
    expect((await relay.call('status.get', {})).problems.some((p) => p.area === 'bounces')).toBe(false);
  });
  // Last in this block: it spends far more than the hourly budget of 127.0.0.1.
  it('accepts every report of the real bounce corpus', async () => {
    await relay.call('settings.update', { values: { 'bounces.reportsPerHourPerAddress': 10_000 } });
    const id = await send('corpus@example.org');
    const returnPath = returnPathOf(id, 'corpus@example.org');
    const refused: string[] = [];
    const files = readdirSync(CORPUS).filter((f) => f.endsWith('.eml'));
    // Ten reports a session, as an MTA with a queue of bounces would (a session has a command budget).
    for (let i = 0; i < files.length; i += 10) {
      const { session } = await bounceSession(port());
      try {
        for (const file of files.slice(i, i + 10)) {
          const answer = await transaction(session, returnPath, readFileSync(join(CORPUS, file)));
          if (!answer.data?.startsWith('250')) refused.push(`${file}: ${JSON.stringify(answer)}`);
        }
      } finally {
        session.close();
      }
    }
    expect(files.length).toBeGreaterThan(250);
    expect(refused).toEqual([]);
  });
});

describe('limits that need a clock or a restart', () => {
  it('answers 450 4.7.1 once an address has used its hourly budget, and accepts again an hour later', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 28, 9, 0, 0));
    const mx = await startSink();
    const relay = await startRelay({
      clock,
      overrides: {
        'delivery.routes': { 'example.org': `127.0.0.1:${mx.port}` },
        'bounces.reportsPerHourPerAddress': 3,
      },
    });
    try {
      const { access } = await createConnection(relay, { name: 'Shop' });
      const info = await mailer(relay.smtpPort, access).sendMail({
        from: 'shop@example.com',
        to: 'rate@example.org',
        subject: 'Your order',
        text: 'x',
      });
      const id = /queued as (\w+)/.exec(info.response)?.[1] ?? '';
      await waitForRecipients(relay, id, ['delivered']);
      const returnPath = mx.messages[0]?.from ?? '';
      const port = relay.engine.context.bounceListener?.port ?? 0;
      const delay = dsn({
        to: returnPath,
        recipient: 'rate@example.org',
        status: '4.4.7',
        action: 'delayed',
        diagnostic: '451 4.4.7 still trying',
      });
      for (let i = 0; i < 3; i++) expect((await report(port, returnPath, delay)).data).toMatch(/^250 /);
      expect((await report(port, returnPath, delay)).mail).toMatch(/^450 4\.7\.1 .*127\.0\.0\.1/);
      clock.advance(HOUR / 2);
      expect((await report(port, returnPath, delay)).data).toMatch(/^250 /);
      expect((await report(port, returnPath, delay)).mail).toMatch(/^450 4\.7\.1 /);
      clock.advance(HOUR);
      for (let i = 0; i < 3; i++) expect((await report(port, returnPath, delay)).data).toMatch(/^250 /);
      expect((await report(port, returnPath, delay)).mail).toMatch(/^450 4\.7\.1 /);
    } finally {
      await relay.dispose();
      await mx.close();
    }
  });

  it('sweeps what a crash left in reports/incoming at start', async () => {
    const dataDir = tempDir();
    let relay = await startRelay({ dataDir });
    await relay.stop();
    const incoming = join(dataDir, 'spool', 'reports', 'incoming');
    mkdirSync(incoming, { recursive: true });
    writeFileSync(join(incoming, 'r1234.part'), 'half a report');
    relay = await startRelay({ dataDir });
    try {
      expect(filesIn(incoming)).toEqual([]);
    } finally {
      await relay.dispose();
    }
  });
});

describe('one return path per recipient', () => {
  let relay: TestRelay;
  let mx: Sink;
  let send: (to: string | string[]) => Promise<string>;
  const port = () => relay.engine.context.bounceListener?.port ?? 0;
  const returnPathOf = (id: string, rcpt: string) =>
    mx.messages.find((m) => m.from.startsWith(`rd-${id}-`) && m.to.includes(rcpt))?.from ?? '';
  const statusOf = async (id: string, address: string) =>
    (await relay.call('messages.get', { id })).recipientStates.find((r) => r.address === address)?.status;
  const suppressed = async (address: string) =>
    (await relay.call('suppressions.search', { text: address })).items.some((s) => s.address === address);

  beforeAll(async () => {
    ({ relay, mx, send } = await startShop(['delivered']));
  });
  afterAll(async () => {
    await relay?.dispose();
    await mx?.close();
  });

  it('delivers a mail to three recipients at one domain as three transactions, each with its own return path', async () => {
    const to = ['anna@example.org', 'ben@example.org', 'cleo@example.org'];
    const id = await send(to);
    const arrived = mx.messages.filter((m) => m.from.startsWith(`rd-${id}-`));
    expect(arrived.map((m) => m.to)).toEqual(expect.arrayContaining(to.map((a) => [a])));
    expect(arrived).toHaveLength(3);
    const paths = new Set(arrived.map((m) => m.from));
    expect(paths.size).toBe(3);
    for (const p of paths) expect(p).not.toMatch(new RegExp(`^rd-${id}-0-`));
    // The same mail each time.
    expect(new Set(arrived.map((m) => m.raw.toString('base64'))).size).toBe(1);
  });

  it("a DSN to A's return path naming B changes nothing for B (nor A); one naming A bounces and suppresses A", async () => {
    const id = await send(['alice@example.org', 'bob@example.org']);
    const alicePath = returnPathOf(id, 'alice@example.org');
    expect(alicePath).not.toBe('');
    const forged = await report(
      port(),
      alicePath,
      userUnknown(alicePath, 'bob@example.org', '550 5.1.1 User unknown'),
    );
    expect(forged.data).toMatch(/^250 /);
    const forgedComplaint = await report(
      port(),
      alicePath,
      arf({ to: alicePath, recipient: 'bob@example.org' }),
    );
    expect(forgedComplaint.data).toMatch(/^250 /);
    expect(await statusOf(id, 'bob@example.org')).toBe('delivered');
    expect(await statusOf(id, 'alice@example.org')).toBe('delivered');
    expect(await suppressed('bob@example.org')).toBe(false);
    expect(await suppressed('alice@example.org')).toBe(false);
    expect((await relay.call('bounces.search', { text: 'bob@example.org' })).items).toEqual([]);

    const real = await report(
      port(),
      alicePath,
      userUnknown(alicePath, 'alice@example.org', '550 5.1.1 User unknown'),
    );
    expect(real.data).toMatch(/^250 /);
    expect(await statusOf(id, 'alice@example.org')).toBe('bounced');
    expect(await suppressed('alice@example.org')).toBe(true);
    expect(await statusOf(id, 'bob@example.org')).toBe('delivered');
    expect(await suppressed('bob@example.org')).toBe(false);
  });

  it('a shared return path of mail sent before (recipient 0) is applied only when its message has one recipient', async () => {
    const secret = Buffer.from(readFileSync(join(relay.dataDir, 'verp-secret'), 'utf8').trim(), 'hex');
    const shared = await send(['carl@example.org', 'dora@example.org']);
    const sharedPath = verpAddress(secret, shared, 0, 'example.com');
    const kept = await report(
      port(),
      sharedPath,
      userUnknown(sharedPath, 'dora@example.org', '550 5.1.1 unknown'),
    );
    expect(kept.data).toMatch(/^250 2\.0\.0 Ok: report (r\w+) received/);
    const reportId = /report (r\w+)/.exec(kept.data ?? '')?.[1] ?? '';
    expect(existsSync(join(relay.dataDir, 'spool', 'reports', `${reportId}.eml`))).toBe(true);
    expect(await statusOf(shared, 'dora@example.org')).toBe('delivered');
    expect(await suppressed('dora@example.org')).toBe(false);

    const single = await send(['emil@example.org']);
    const singlePath = verpAddress(secret, single, 0, 'example.com');
    const applied = await report(
      port(),
      singlePath,
      userUnknown(singlePath, 'emil@example.org', '550 5.1.1 unknown'),
    );
    expect(applied.data).toMatch(/^250 /);
    expect(await statusOf(single, 'emil@example.org')).toBe('bounced');
    expect(await suppressed('emil@example.org')).toBe(true);
  });
});
