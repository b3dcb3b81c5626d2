/**
 * Fills a store with `messages` mails over the 30 days before `now`, through the repositories
 * intake, delivery and the bounce recorder use (recordAccepted, queue.record, bounces.insert,
 * suppressions.add) and the quota ledger's charge, so the statistics triggers, the full-text
 * index and the ledger see exactly the rows production writes. 5,000 mails per transaction,
 * without fsync while it runs.
 */
import { SettingsService } from '../../src/main/config/settings';
import type { EngineContext } from '../../src/main/engine/context';
import { silentLogger } from '../../src/main/engine/logger';
import { QuotaLedger } from '../../src/main/quota/ledger';
import type { AcceptedMessage } from '../../src/main/store/messages-repo';
import type { Change, Outcome } from '../../src/main/store/queue-repo';
import type { Store } from '../../src/main/store/store';
import { HOUR, mailsPerHour, SPAN_HOURS, timesInHour } from './arrivals';
import {
  type BenchConnection,
  CONNECTIONS,
  customerAddresses,
  recipientDomains,
  subjectFor,
} from './mail-mix';
import { Random } from './random';
import { recipientFate, type Step } from './recipient-fate';

const BATCH = 5000;
/** The generated store's "now": fixed, so a kept store and a later run agree on what "today" is. */
export const BENCH_NOW = Date.UTC(2026, 5, 15, 14, 30);
const LEASE_MS = 5 * 60_000;

export interface GenerateOptions {
  messages: number;
  now: number;
  seed?: number;
  onProgress?: (done: number, total: number) => void;
}

interface Planned {
  message: AcceptedMessage;
  /** Per recipient: its row id and what happens to it. */
  recipients: { id: number; address: string; steps: Step[] }[];
}

export function generateMail(store: Store, options: GenerateOptions): void {
  const { db } = store;
  const random = new Random(options.seed ?? 7);
  const domains = recipientDomains(random, 3000);
  const customers = customerAddresses(random, 200_000, domains);
  addConnections(store, options.now);
  const ledger = quotaLedger(store, options.now - SPAN_HOURS * HOUR - HOUR);

  const claim = db.prepare(
    "UPDATE recipients SET status = 'sending', lease_until = ?, attempts = attempts + 1, updated_at = ? WHERE id = ?",
  );
  const sendingEvent = db.prepare(
    "INSERT INTO events (at, type, message_id, recipient, connection_id, detail) SELECT ?, 'sending', id, ?, connection_id, ? FROM messages WHERE id = ?",
  );
  let nextRecipientId =
    ((db.prepare('SELECT MAX(id) FROM recipients').pluck().get() as number | null) ?? 0) + 1;

  const plan = (acceptedAt: number, serial: number): Planned => {
    const connection = random.weighted(CONNECTIONS.map((c) => [c, c.share] as const));
    const { domain, brand, senders } =
      random.next() < 0.7
        ? (connection.domains[0] ?? random.pick(connection.domains))
        : random.pick(connection.domains);
    const sender = `${random.weighted(senders.map((s, i) => [s, i === senders.length - 1 && i > 1 ? 0.3 : 100 / (i + 1)] as const))}@${domain}`;
    const count = random.weighted([
      [1, 80],
      [2, 15],
      [3, 5],
    ] as const);
    const addresses = new Set<string>();
    while (addresses.size < count) addresses.add(customers[random.skewed(customers.length)] ?? '');
    const subject = subjectFor(random, domain, serial);
    const headerId = `<${random.hex(16)}.${serial}@${domain}>`;
    const message: AcceptedMessage = {
      id: acceptedAt.toString(36).padStart(9, '0') + random.hex(8),
      connectionId: connection.id,
      connectionName: connection.name,
      mode: connection.mode,
      acceptedAt,
      mailFrom: sender,
      headerFrom: `${brand} <${sender}>`,
      sendingDomain: domain,
      subject,
      messageId: headerId,
      size: random.between(3000, 120_000),
      clientAddress: `10.0.${CONNECTIONS.indexOf(connection)}.${random.between(2, 9)}`,
      clientHelo: `${connection.name.toLowerCase().replace(/\W+/g, '-')}.internal`,
      clientTls: 'TLSv1.3',
      headers: [
        { name: 'From', value: `${brand} <${sender}>` },
        { name: 'To', value: [...addresses].join(', ') },
        { name: 'Subject', value: subject },
        { name: 'Date', value: new Date(acceptedAt).toUTCString() },
        { name: 'Message-ID', value: headerId },
        { name: 'MIME-Version', value: '1.0' },
        { name: 'Content-Type', value: 'multipart/alternative; boundary="b1"' },
      ],
      recipients: [...addresses],
      status: connection.mode === 'sandbox' ? 'captured' : 'queued',
      dkimKeyIds: [],
    };
    return {
      message,
      recipients: message.recipients.map((address) => ({
        id: nextRecipientId++,
        address,
        steps:
          connection.mode === 'live'
            ? recipientFate(random, acceptedAt).filter((s) => happened(s, options.now))
            : [],
      })),
    };
  };

  const write = (batch: Planned[]) => {
    db.transaction(() => {
      for (const p of batch) {
        store.messages.recordAccepted(p.message);
        // Intake refusals after login (rate limit, From domain, …): about one per 200 mails.
        if (p.message.connectionId && p.message.mode === 'live' && random.next() < 0.005) {
          store.messages.recordRejection(
            p.message.connectionId,
            '450 4.7.1 Hourly limit reached',
            p.message.acceptedAt,
          );
        }
      }
    })();
    // Delivery works in rounds, as the queue does: claim, attempt, record the outcome. Each
    // step is its own transaction, as in the app: nested in one big transaction, queue.record's
    // savepoint would copy every page it touches to the statement journal, ever slower.
    for (let round = 0; ; round++) {
      const due = batch.flatMap((p) =>
        p.recipients.flatMap((r) => {
          const step = r.steps[round];
          return step ? [{ p, r, step }] : [];
        }),
      );
      if (due.length === 0) break;
      db.transaction(() => {
        for (const { p, r, step } of due) {
          if (step.kind !== 'attempt') continue;
          claim.run(step.at + LEASE_MS, step.at, r.id);
          sendingEvent.run(step.at, r.address, `attempt ${round + 1}`, p.message.id);
        }
      })();
      // As delivery does: the outcomes and the charges of sent recipients in one transaction;
      // reports move the recipients they name.
      const attempts = due.filter(({ step }) => step.kind === 'attempt');
      const outcomes = attempts.map(({ p, r, step }) => outcomeOf(p, r, step as Step & { kind: 'attempt' }));
      db.transaction(() => {
        store.queue.record(outcomes);
        ledger.charge(
          outcomes.flatMap((o, i) => {
            const connectionId = attempts[i]?.p.message.connectionId ?? null;
            return o.status === 'delivered' || o.status === 'bounced'
              ? [{ recipientId: o.recipientId, connectionId, at: o.at }]
              : [];
          }),
        );
        for (const event of ['reportBounced', 'complained'] as const) {
          const reports = due.filter(({ step }) => step.kind === 'report' && reportEvent(step) === event);
          store.queue.transition(
            event,
            reports.map(({ p, r, step }) => reportChange(p, r, step)),
          );
        }
      })();
      db.transaction(() => {
        for (const { p, r, step } of due) recordBounce(store, random, p, r, step);
      })();
    }
  };

  // Bulk load: no fsync and a rollback journal in memory while generating; the store is
  // reopened as the app opens it (WAL, synchronous FULL) before anything is measured.
  db.pragma('journal_mode = MEMORY');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -524288');
  try {
    const perHour = mailsPerHour(options.messages, options.now);
    let serial = 0;
    let batch: Planned[] = [];
    for (let h = 0; h < SPAN_HOURS; h++) {
      for (const at of timesInHour(random, options.now, h, perHour[h] ?? 0)) {
        batch.push(plan(at, serial++));
        if (batch.length === BATCH) {
          write(batch);
          batch = [];
          options.onProgress?.(serial, options.messages);
        }
      }
    }
    if (batch.length > 0) {
      write(batch);
      options.onProgress?.(serial, options.messages);
    }
    // What the hourly retention cleanup does: minute buckets are kept two days.
    store.stats.prune(60_000, options.now - 2 * 86_400_000);
  } finally {
    db.pragma('cache_size = -2000');
    db.pragma('synchronous = FULL');
    db.pragma('journal_mode = WAL');
  }
}

/** An event is only in the store once it happened: later steps are still to come at `now`. */
function happened(step: Step, now: number): boolean {
  return step.kind === 'attempt' ? step.at + step.durationMs <= now : step.at <= now;
}

function reportEvent(step: Step): 'reportBounced' | 'complained' {
  return step.kind === 'report' && step.report === 'bounce' ? 'reportBounced' : 'complained';
}

/** A bounce report or complaint as the recorder applies it. */
function reportChange(p: Planned, r: Planned['recipients'][number], step: Step): Change {
  const bounce = step.kind === 'report' && step.report === 'bounce';
  const reply = bounce ? '550 5.1.1 user unknown' : 'abuse: the recipient marked the message as spam';
  return {
    recipientId: r.id,
    messageId: p.message.id,
    address: r.address,
    at: step.at,
    detail: `${bounce ? 'userunknown' : 'spam'}: ${reply}`,
    nextAttemptAt: null,
    lastReply: reply,
  };
}

/** A delivery attempt's outcome. */
function outcomeOf(p: Planned, r: Planned['recipients'][number], step: Step & { kind: 'attempt' }): Outcome {
  const base = { recipientId: r.id, messageId: p.message.id, address: r.address };
  const line = `${step.answer.code} ${step.answer.enhanced} ${step.answer.text}`;
  const host = `mx.${r.address.slice(r.address.indexOf('@') + 1)}`;
  const at = step.at + step.durationMs;
  return {
    ...base,
    status: step.outcome,
    nextAttemptAt: step.retryAt,
    lastReply: line,
    attempt: {
      at: step.at,
      route: 'mx',
      host,
      ip: `192.0.2.${(r.id % 250) + 1}`,
      port: 25,
      tls: 'TLSv1.3 TLS_AES_256_GCM_SHA384',
      replyCode: step.answer.code,
      enhancedStatus: step.answer.enhanced,
      reply: step.answer.text,
      durationMs: step.durationMs,
      outcome: step.outcome,
    },
    detail: `${line} (${host})${step.retryAt ? `; next try ${new Date(step.retryAt).toISOString()}` : ''}`,
    at,
  };
}

/** Refusals during delivery, bounce reports and complaints: a bounce row, maybe a suppression. */
function recordBounce(
  store: Store,
  random: Random,
  p: Planned,
  r: Planned['recipients'][number],
  step: Step,
): void {
  const common = { messageId: p.message.id, recipientId: r.id, recipient: r.address };
  const host = `mx.${r.address.slice(r.address.indexOf('@') + 1)}`;
  let hard: boolean | null;
  if (step.kind === 'attempt') {
    if (step.outcome !== 'bounced') return;
    hard = step.answer.enhanced === '5.1.1';
    store.bounces.insert({
      ...common,
      at: step.at + step.durationMs,
      origin: 'sync',
      kind: 'bounce',
      reason: hard ? 'userunknown' : 'mailboxfull',
      hard,
      status: step.answer.enhanced,
      replyCode: String(step.answer.code),
      diagnostic: step.answer.text,
      remoteMta: host,
      explanation: hard
        ? 'The address does not exist at the recipient’s provider. Relaydesk will not send to it again.'
        : 'The mailbox is full. Later mail may get through.',
      reportId: null,
    });
  } else {
    const reportId = `r${step.at.toString(36)}${random.hex(8)}`;
    store.bounces.insertReport({
      id: reportId,
      receivedAt: step.at,
      kind: step.report,
      verpMessage: p.message.id,
      client: host,
      size: random.between(2000, 9000),
    });
    hard = step.report === 'bounce' ? true : null;
    store.bounces.insert({
      ...common,
      at: step.at,
      origin: 'async',
      kind: step.report,
      reason: step.report === 'bounce' ? 'userunknown' : 'spamdetected',
      hard,
      status: step.report === 'bounce' ? '5.1.1' : '',
      replyCode: step.report === 'bounce' ? '550' : '',
      diagnostic: step.report === 'bounce' ? '550 5.1.1 user unknown' : 'Feedback-Type: abuse',
      remoteMta: host,
      explanation:
        step.report === 'bounce'
          ? 'The address does not exist at the recipient’s provider. Relaydesk will not send to it again.'
          : 'The recipient marked the message as spam (complaint). Relaydesk will not send to this address again.',
      reportId,
    });
  }
  if (hard === true || (step.kind === 'report' && step.report === 'complaint')) {
    store.suppressions.add({
      address: r.address,
      reason: hard ? 'hard-bounce' : 'complaint',
      detail: hard ? 'userunknown: 550 5.1.1 user unknown' : 'spam complaint',
      messageId: p.message.id,
      createdAt: step.kind === 'attempt' ? step.at + step.durationMs : step.at,
    });
  }
}

/**
 * The ledger of a shop sending about a million mails a month: the demo grant, then four blocks
 * of 250,000 booked with auto-renew when the generated month starts; the rest is overage.
 */
function quotaLedger(store: Store, start: number): QuotaLedger {
  const ctx = { store, settings: new SettingsService(store.settings), log: silentLogger };
  const ledger = new QuotaLedger(ctx as unknown as EngineContext);
  if (store.quota.blocks().length === 0) {
    ledger.init(start);
    for (let i = 0; i < 4; i++) ledger.book(250_000, true, start);
  }
  return ledger;
}

function addConnections(store: Store, now: number): void {
  const created = now - 90 * 86_400_000;
  store.db.transaction(() => {
    for (const c of CONNECTIONS) addConnection(store, c, created);
  })();
}

function addConnection(store: Store, c: BenchConnection, createdAt: number): void {
  if (store.connections.get(c.id)) return;
  store.connections.insert({
    id: c.id,
    name: c.name,
    username: c.name.toLowerCase().replace(/\W+/g, '-'),
    passwordHash: 'bench: no login',
    enabled: true,
    mode: c.mode,
    acceptsAnySender: false,
    hourlyLimit: null,
    createdAt,
    passwordChangedAt: createdAt,
    lastActivityAt: null,
  });
  for (const d of c.domains) {
    store.domains.insert(
      {
        id: `d-${d.domain}`,
        domain: d.domain,
        listHelp: `<mailto:help@${d.domain}>`,
        createdAt,
        lastDnsCheck: null,
      },
      [c.id],
    );
  }
}
