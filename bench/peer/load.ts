/**
 * The load generator: nodemailer clients with STARTTLS + AUTH, the same mails for every target,
 * and the sink arrivals that count as delivered.
 */
import { dkimVerify } from 'mailauth/lib/dkim/verify';
import nodemailer from 'nodemailer';
import type { Sink, SinkMessage } from '../../test/helpers/sink';
import { percentile } from '../args';
import { RECIPIENT_DOMAIN, SENDER_DOMAIN, type Target } from './target';

type Transport = ReturnType<typeof nodemailer.createTransport>;

export function transport(target: Target, pool = 0): Transport {
  return nodemailer.createTransport({
    ...(pool > 0 ? { pool: true, maxConnections: pool, maxMessages: Number.POSITIVE_INFINITY } : {}),
    host: '127.0.0.1',
    port: target.port,
    secure: false,
    requireTLS: true,
    tls: { rejectUnauthorized: false },
    auth: { user: target.user, pass: target.pass },
  });
}

/** A text mail of `size` bytes; the headers name the mail, the body is the same for every target. */
export class MailFactory {
  private readonly body: Buffer;
  constructor(
    readonly size: number,
    private readonly kind: 'text' | 'attachment' = 'text',
  ) {
    const head = Buffer.byteLength(this.headers('xx-xxxxxx-00000'));
    const line =
      kind === 'text'
        ? 'Thank you for your order. It will ship within two working days, tracking follows.\r\n'
        : `${'QUJD'.repeat(19)}\r\n`;
    const want = Math.max(line.length, size - head);
    this.body = Buffer.from(line.repeat(Math.ceil(want / line.length)).slice(0, want));
  }

  private headers(id: string): string {
    const type =
      this.kind === 'text'
        ? 'Content-Type: text/plain; charset=utf-8\r\n'
        : 'Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n';
    return [
      `From: Webshop <shop@${SENDER_DOMAIN}>\r\n`,
      `To: <${id}@${RECIPIENT_DOMAIN}>\r\n`,
      `Subject: Your order ${id}\r\n`,
      `Date: ${new Date().toUTCString().replace('GMT', '+0000')}\r\n`,
      `Message-ID: <${id}.${Date.now()}@${SENDER_DOMAIN}>\r\n`,
      'MIME-Version: 1.0\r\n',
      type,
      '\r\n',
    ].join('');
  }

  /** Recipient local part `<tag>-<i>`: the sink counts arrivals by it. */
  mail(tag: string, i: number) {
    const id = `${tag}-${i}`;
    return {
      envelope: { from: `shop@${SENDER_DOMAIN}`, to: [`${id}@${RECIPIENT_DOMAIN}`] },
      raw: Buffer.concat([Buffer.from(this.headers(id)), this.body]),
    };
  }
}

/** Sends and insists on a 250 reply. */
async function send(client: Transport, mail: ReturnType<MailFactory['mail']>): Promise<void> {
  const info = await client.sendMail(mail);
  if (!/^250[ -]/.test(info.response)) throw new Error(`unexpected reply ${info.response}`);
}

/** Counts the sink's arrivals for one tag (recipient `<tag>-…@`). */
export class Arrivals {
  private scanned = 0;
  count = 0;
  last = 0;
  constructor(
    private readonly sink: Sink,
    private readonly tag: string,
  ) {
    // Earlier cases are done with: drop their messages (and their memory).
    sink.messages.length = 0;
  }

  private scan(): void {
    const messages = this.sink.messages;
    for (; this.scanned < messages.length; this.scanned++) {
      const m = messages[this.scanned] as SinkMessage;
      if (m.to[0]?.startsWith(`${this.tag}-`)) {
        this.count++;
        this.last = Math.max(this.last, m.at);
      }
    }
  }

  /** Waits until `n` mails have arrived or `timeoutMs` passed; returns how many arrived. */
  async wait(n: number, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (this.scan(); this.count < n && Date.now() < deadline; this.scan())
      await new Promise((r) => setTimeout(r, 20));
    return this.count;
  }

  /** When the mail for `<local part>@…` arrived. */
  arrivalOf(local: string): number | undefined {
    return this.sink.messages.find((m) => m.to[0]?.startsWith(`${local}@`))?.at;
  }

  first(): SinkMessage | undefined {
    return this.sink.messages.find((m) => m.to[0]?.startsWith(`${this.tag}-`));
  }
}

/** One mail through the target; checks it arrives, and signed if the target signs. */
export async function verifyTarget(target: Target, sink: Sink, mails: MailFactory): Promise<string> {
  const arrivals = new Arrivals(sink, `${target.key}-verify`);
  const client = transport(target);
  await send(client, mails.mail(`${target.key}-verify`, 0));
  client.close();
  if ((await arrivals.wait(1, 30_000)) < 1) throw new Error(`${target.key}: the check mail did not arrive`);
  const raw = arrivals.first()?.raw ?? Buffer.alloc(0);
  const signed = /^DKIM-Signature:/im.test(raw.toString('latin1').split('\r\n\r\n')[0] ?? '');
  const records = target.dkimRecords;
  if (!records) {
    if (signed) throw new Error(`${target.key}: the mail is signed, but should not be`);
    return 'arrives unsigned';
  }
  const result = await dkimVerify(raw, {
    resolver: async (name: string, type: string) => {
      const value = type === 'TXT' ? records[name.replace(/\.$/, '')] : undefined;
      if (value === undefined)
        throw Object.assign(new Error(`no ${type} record for ${name}`), { code: 'ENOTFOUND' });
      return [[value]];
    },
  });
  // At run time the results name the algorithm `algo` and the canonicalisation `format` (the
  // bundled type definitions say otherwise).
  const results = result.results as unknown as {
    signingDomain: string;
    algo?: string;
    format?: string;
    status: { result: string };
  }[];
  const pass = results.find(
    (r) => r.signingDomain === SENDER_DOMAIN && r.status.result === 'pass' && r.algo?.startsWith('rsa'),
  );
  if (!pass) {
    const seen = results.map((r) => `${r.signingDomain} ${r.algo}: ${r.status.result}`).join(', ');
    throw new Error(`${target.key}: no passing RSA DKIM signature for ${SENDER_DOMAIN} (${seen || 'none'})`);
  }
  return `arrives with a valid DKIM-Signature (d=${SENDER_DOMAIN}, ${pass.algo}, c=${pass.format})`;
}

export interface DeliveryWait {
  /** Mails that reached the sink, of those sent. */
  arrived: number;
  sent: number;
}

export interface PooledResult extends DeliveryWait {
  acceptedPerSecond: number;
  deliveredPerSecond: number;
}

/** `n` mails over `connections` pooled connections; delivered/s counts arrivals at the sink only. */
export async function pooledCase(
  target: Target,
  sink: Sink,
  mails: MailFactory,
  n: number,
  connections: number,
  waitMs: number,
): Promise<PooledResult> {
  const tag = `${target.key}-pooled`;
  const arrivals = new Arrivals(sink, tag);
  const client = transport(target, connections);
  let next = 0;
  const started = Date.now();
  try {
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (next < n) await send(client, mails.mail(tag, next++));
      }),
    );
  } finally {
    client.close();
  }
  const accepted = (Date.now() - started) / 1000;
  const arrived = await arrivals.wait(n, waitMs);
  return {
    sent: n,
    arrived,
    acceptedPerSecond: n / accepted,
    deliveredPerSecond: arrived / ((arrivals.last - started) / 1000),
  };
}

export interface SingleResult extends DeliveryWait {
  p50: number;
  p99: number;
  perSecond: number;
}

/** `n` mails one after the other over one connection: latency of send → 250. */
export async function singleCase(
  target: Target,
  sink: Sink,
  mails: MailFactory,
  n: number,
  waitMs: number,
): Promise<SingleResult> {
  const tag = `${target.key}-single`;
  const arrivals = new Arrivals(sink, tag);
  const client = transport(target, 1);
  const latencies: number[] = [];
  let seconds: number;
  try {
    // The TLS handshake and login are not a transaction: one mail first, untimed.
    await send(client, mails.mail(tag, n));
    const started = performance.now();
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await send(client, mails.mail(tag, i));
      latencies.push(performance.now() - t0);
    }
    seconds = (performance.now() - started) / 1000;
  } finally {
    client.close();
  }
  latencies.sort((a, b) => a - b);
  return {
    sent: n + 1,
    arrived: await arrivals.wait(n + 1, waitMs),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    perSecond: n / seconds,
  };
}

export interface FreshResult extends DeliveryWait {
  perSecond: number;
}

/** `n` mails, each over a connection of its own (connect, STARTTLS, AUTH, one mail, QUIT), like PHPMailer. */
export async function freshCase(
  target: Target,
  sink: Sink,
  mails: MailFactory,
  n: number,
  waitMs: number,
): Promise<FreshResult> {
  const tag = `${target.key}-fresh`;
  const arrivals = new Arrivals(sink, tag);
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const client = transport(target);
    try {
      await send(client, mails.mail(tag, i));
    } finally {
      client.close();
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return { sent: n, arrived: await arrivals.wait(n, waitMs), perSecond: n / seconds };
}

export interface BigResult extends DeliveryWait {
  /** Seconds from the start of the SMTP session to the 250, and to the arrival at the sink. */
  to250: number;
  toDelivery: number;
}

/** One big mail on a connection that is already open and logged in (a small mail first), so the
 * times are the transaction's own. */
export async function bigCase(
  target: Target,
  sink: Sink,
  small: MailFactory,
  big: MailFactory,
  waitMs: number,
): Promise<BigResult> {
  const tag = `${target.key}-big`;
  const arrivals = new Arrivals(sink, tag);
  const mail = big.mail(tag, 0);
  const client = transport(target, 1);
  let started: number;
  try {
    await send(client, small.mail(tag, 1));
    started = Date.now();
    await send(client, mail);
  } finally {
    client.close();
  }
  const to250 = (Date.now() - started) / 1000;
  const arrived = await arrivals.wait(2, waitMs);
  const at = arrivals.arrivalOf(`${tag}-0`);
  return { sent: 2, arrived, to250, toDelivery: at === undefined ? Number.NaN : (at - started) / 1000 };
}
