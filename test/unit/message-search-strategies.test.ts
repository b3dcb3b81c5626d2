import type { RecipientStatus } from '@shared/domain/message';
import { describe, expect, it } from 'vitest';
import { type SearchFilter, searchPage } from '../../src/main/store/message-search';
import { openStore, type Store } from '../../src/main/store/store';
import { insertConnection } from '../helpers/store-fixtures';

interface Mail {
  rowid: number;
  id: string;
  acceptedAt: number;
  connectionId: string;
  domain: string;
  mailFrom: string;
  headerFrom: string;
  subject: string;
  messageId: string;
  recipients: { address: string; status: RecipientStatus }[];
}

const SUBJECTS = [
  'Order shipped',
  'Your order confirmation',
  'Invoice ready',
  'Password reset',
  'Rechnung Bestellung',
];
const ADDRESSES = Array.from({ length: 30 }, (_, i) => `Customer${i}@Example.org`);

/** A tiny deterministic random source, so a failure can be reproduced. */
function random(seed: number) {
  return (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
}

/**
 * 600 mails with many shared milliseconds, stored mostly in acceptance order but one in ten
 * stored later than mail accepted after it (a slow DATA): the full-text walk must still find them.
 */
function seeded(): { store: Store; mails: Mail[] } {
  const store = openStore(':memory:');
  const pick = random(42);
  for (const id of ['c1', 'c2']) {
    insertConnection(store, id);
  }
  const accepted: Omit<Mail, 'rowid'>[] = [];
  let t = Date.UTC(2026, 5, 1);
  for (let i = 0; i < 600; i++) {
    t += pick(3);
    const domain = pick(2) ? 'shop.example' : 'billing.example';
    const local = ['orders', 'noreply', 'ceo'][pick(10) === 0 ? 2 : pick(2)];
    const recipients = Array.from({ length: 1 + pick(3) }, () => ({
      address: ADDRESSES[pick(ADDRESSES.length)] ?? '',
      status:
        (['delivered', 'delivered', 'delivered', 'bounced', 'complained'] as const)[pick(5)] ?? 'delivered',
    })).filter((r, j, all) => all.findIndex((o) => o.address === r.address) === j);
    accepted.push({
      id: `${t.toString(36)}${String(i).padStart(4, '0')}`,
      acceptedAt: t,
      connectionId: pick(3) ? 'c1' : 'c2',
      domain,
      // Every fourth mail has a bounce address as envelope sender; the From: is the shop's.
      mailFrom: pick(4) === 0 ? `bounces+${i}@${domain}` : `${local}@${domain}`,
      headerFrom: pick(2) ? `Shop <${local}@${domain}>` : `${local}@${domain}`,
      subject: `${SUBJECTS[pick(SUBJECTS.length)]}${pick(50) === 0 ? ' Gusseisenpfanne' : ''} ${i}`,
      messageId: `<m${i}@${domain}>`,
      recipients,
    });
  }
  const late = accepted.filter(() => pick(10) === 0);
  const order = [...accepted.filter((m) => !late.includes(m)), ...late];
  const mails = order.map((m, i) => {
    store.messages.recordAccepted({
      ...m,
      connectionName: m.connectionId,
      mode: 'live',
      sendingDomain: m.domain,
      size: 1,
      clientAddress: '127.0.0.1',
      clientHelo: 'test',
      clientTls: '',
      headers: [],
      recipients: m.recipients.map((r) => r.address),
      status: 'queued',
      dkimKeyIds: [],
    });
    for (const r of m.recipients) {
      store.db
        .prepare('UPDATE recipients SET status = ? WHERE message_id = ? AND address = ?')
        .run(r.status, m.id, r.address);
    }
    return { ...m, rowid: i + 1 };
  });
  return { store, mails };
}

const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
const hasPrefixes = (text: string, query: string) =>
  words(query).every((q) => words(text).some((w) => w.startsWith(q)));

/** What the search must return, computed the slow, obvious way. */
function expected(mails: Mail[], f: SearchFilter): string[] {
  return mails
    .filter(
      (m) =>
        (!f.connectionId || m.connectionId === f.connectionId) &&
        (!f.domain || m.domain === f.domain) &&
        (f.from === undefined || m.acceptedAt >= f.from) &&
        (f.to === undefined || m.acceptedAt < f.to) &&
        (!f.status || m.recipients.some((r) => r.status === f.status)) &&
        (!f.recipient || m.recipients.some((r) => r.address.toLowerCase() === f.recipient?.toLowerCase())) &&
        (!f.sender ||
          m.mailFrom === f.sender.toLowerCase() ||
          m.headerFrom.replace(/^.*</, '').replace(/>$/, '') === f.sender.toLowerCase()) &&
        (!f.messageId || m.messageId === `<${f.messageId}>`) &&
        (!f.subject || hasPrefixes(m.subject, f.subject)) &&
        (!f.text ||
          hasPrefixes(
            `${m.subject} ${m.headerFrom} ${m.mailFrom} ${m.recipients.map((r) => r.address).join(' ')}`,
            f.text,
          )),
    )
    .sort((a, b) => b.acceptedAt - a.acceptedAt || (a.id < b.id ? 1 : -1))
    .map((m) => m.id);
}

/** Every page, cursor after cursor, as the console walks them. */
function walk(
  store: Store,
  mails: Mail[],
  f: Omit<SearchFilter, 'limit'>,
  limit: number,
  rareStatus?: number,
) {
  const byRowid = new Map(mails.map((m) => [m.rowid, m]));
  const seen: string[] = [];
  let after: SearchFilter['after'];
  for (let page = 0; page < 1000; page++) {
    const found = searchPage(store.db, { ...f, limit, ...(after ? { after } : {}) }, rareStatus).map(
      (rowid) => byRowid.get(rowid),
    );
    seen.push(...found.map((m) => m?.id ?? '?'));
    const last = found[found.length - 1];
    if (found.length < limit || !last) break;
    after = { acceptedAt: last.acceptedAt, id: last.id };
  }
  return seen;
}

describe('message search at scale', () => {
  const { store, mails } = seeded();
  const middle = mails.map((m) => m.acceptedAt).sort((a, b) => a - b)[300] ?? 0;
  const filters: Omit<SearchFilter, 'limit'>[] = [
    {},
    { subject: 'order' },
    { subject: 'gusseisenpfanne' },
    { text: 'order shipped' },
    { text: 'customer7' },
    { text: 'invoice', to: middle },
    { text: 'rechnung', from: middle - 200, to: middle + 200 },
    { subject: 'password', connectionId: 'c2' },
    { subject: 'order', status: 'bounced' },
    { status: 'bounced' },
    { status: 'complained', domain: 'billing.example' },
    { recipient: 'customer3@example.org' },
    { recipient: 'CUSTOMER4@example.org', subject: 'order' },
    { sender: 'orders@shop.example' },
    { sender: 'CEO@billing.example', from: middle },
    { sender: 'noreply@shop.example', text: 'reset' },
    { messageId: 'm17@shop.example' },
    { connectionId: 'c1', status: 'delivered', from: middle - 400, to: middle + 400 },
  ];

  it.each(filters)('finds every match newest first, page after page, for %j', (f) => {
    const want = expected(mails, { ...f, limit: 0 });
    expect(walk(store, mails, f, 7)).toEqual(want);
    expect(walk(store, mails, f, 100)).toEqual(want);
  });

  it('gives the same pages when a status is checked message by message instead of listed', () => {
    for (const f of filters.filter((x) => x.status)) {
      expect(walk(store, mails, f, 7, 1)).toEqual(expected(mails, { ...f, limit: 0 }));
    }
  });
});
