import { type ParamsOf, paramSchemas } from '@shared/api/schemas';
import type { RecipientStatus } from '@shared/domain/message';
import { describe, expect, it } from 'vitest';
import type { EngineContext } from '../../src/main/engine/context';
import { messagesService } from '../../src/main/services/messages';
import { openStore } from '../../src/main/store/store';
import { insertConnection } from '../helpers/store-fixtures';

interface Seed {
  id: string;
  acceptedAt: number;
  connectionId: string;
  domain: string;
  mailFrom: string;
  headerFrom: string;
  subject: string;
  messageId: string;
  recipients: string[];
  statuses: RecipientStatus[];
}

const SUBJECTS = [
  'Your order confirmation',
  'Invoice for your order',
  'Reset your password',
  'Your parcel has shipped',
  'Bevestiging van uw bestelling',
  'Wachtwoord opnieuw instellen',
  'Überweisung erhalten',
];
const STATUSES: RecipientStatus[] = ['delivered', 'deferred', 'bounced', 'captured', 'complained'];
const DAY = 86_400_000;
const START = Date.UTC(2026, 10, 1);

function seeded(count = 240) {
  const store = openStore(':memory:');
  for (const [id, name] of [
    ['c1', 'Shop'],
    ['c2', 'CRM'],
  ] as const) {
    insertConnection(store, id, name);
  }
  const seeds: Seed[] = [];
  for (let i = 0; i < count; i++) {
    const domain = i % 3 === 0 ? 'news.example.net' : 'shop.example.com';
    const sender = `${i % 4 === 0 ? 'orders' : 'noreply'}@${domain}`;
    const seed: Seed = {
      // Every fifth mail shares its millisecond with the one before.
      id: `m${String(i).padStart(4, '0')}`,
      acceptedAt: START + Math.floor((i - (i % 5 === 0 && i > 0 ? 1 : 0)) * (DAY / 12)),
      connectionId: i % 2 === 0 ? 'c1' : 'c2',
      domain,
      mailFrom: sender,
      headerFrom: i % 6 === 0 ? `"Webshop" <${sender}>` : sender,
      subject: `${SUBJECTS[i % SUBJECTS.length]} #${1000 + i}`,
      messageId: `<${i}.${domain}@relay.test>`,
      recipients:
        i % 4 === 1 ? [`c${i % 37}@example.org`, `Team${i % 5}@Example.NET`] : [`c${i % 37}@example.org`],
      statuses: [],
    };
    seed.statuses = seed.recipients.map((_, k) => STATUSES[(i + k) % STATUSES.length] ?? 'delivered');
    seeds.push(seed);
    store.messages.recordAccepted({
      id: seed.id,
      connectionId: seed.connectionId,
      connectionName: seed.connectionId === 'c1' ? 'Shop' : 'CRM',
      mode: 'live',
      acceptedAt: seed.acceptedAt,
      mailFrom: seed.mailFrom,
      headerFrom: seed.headerFrom,
      sendingDomain: seed.domain,
      subject: seed.subject,
      messageId: seed.messageId,
      size: 100,
      clientAddress: '127.0.0.1',
      clientHelo: 'test',
      clientTls: 'TLSv1.3',
      headers: [],
      recipients: seed.recipients,
      status: 'queued',
      dkimKeyIds: [],
    });
    seed.recipients.forEach((address, k) => {
      store.db
        .prepare('UPDATE recipients SET status = ? WHERE message_id = ? AND address = ?')
        .run(seed.statuses[k], seed.id, address);
    });
  }
  return { service: messagesService({ store } as unknown as EngineContext), seeds };
}

const newestFirst = (a: Seed, b: Seed) => b.acceptedAt - a.acceptedAt || (a.id < b.id ? 1 : -1);

/** Every page of a search, following nextCursor (bounded). */
function allPages(
  service: ReturnType<typeof messagesService>,
  params: ParamsOf<'messages.search'>,
  limit: number,
): string[] {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 1000; page++) {
    const result = service.search({ ...params, limit, ...(cursor ? { cursor } : {}) });
    ids.push(...result.items.map((m) => m.id));
    if (!result.nextCursor) return ids;
    cursor = result.nextCursor;
  }
  throw new Error('paging did not end');
}

describe('messages.search filters', () => {
  const { service, seeds } = seeded();
  const words = (s: string) => s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const hasPrefixWords = (text: string, query: string) =>
    words(query).every((q) => words(text).some((w) => w.startsWith(q)));

  const cases: [string, ParamsOf<'messages.search'>, (s: Seed) => boolean][] = [
    [
      'recipient (exact, any case)',
      { recipient: 'team3@example.net' },
      (s) => s.recipients.includes('Team3@Example.NET'),
    ],
    [
      'recipient that matches a prefix only',
      { recipient: 'c1@example.org' },
      (s) => s.recipients.includes('c1@example.org'),
    ],
    [
      'sender (envelope)',
      { sender: 'orders@shop.example.com' },
      (s) => s.mailFrom === 'orders@shop.example.com',
    ],
    [
      'sender (From: address with a display name)',
      { sender: 'orders@news.example.net' },
      (s) => s.mailFrom === 'orders@news.example.net',
    ],
    [
      'subject words (full-text, prefixes)',
      { subject: 'order confirm' },
      (s) => hasPrefixWords(s.subject, 'order confirm'),
    ],
    [
      'subject with diacritics folded',
      { subject: 'uberweisung' },
      (s) => s.subject.startsWith('Überweisung'),
    ],
    ['subject number', { subject: '1042' }, (s) => s.subject.endsWith('#1042')],
    [
      'Message-ID with brackets',
      { messageId: '<7.shop.example.com@relay.test>' },
      (s) => s.messageId === '<7.shop.example.com@relay.test>',
    ],
    [
      'Message-ID without brackets',
      { messageId: '9.news.example.net@relay.test' },
      (s) => s.messageId === '<9.news.example.net@relay.test>',
    ],
    ['status', { status: 'bounced' }, (s) => s.statuses.includes('bounced')],
    ['connection', { connectionId: 'c2' }, (s) => s.connectionId === 'c2'],
    ['sending domain', { domain: 'News.Example.Net' }, (s) => s.domain === 'news.example.net'],
    [
      'date range (start inclusive, end exclusive)',
      { from: START + 3 * DAY, to: START + 5 * DAY },
      (s) => s.acceptedAt >= START + 3 * DAY && s.acceptedAt < START + 5 * DAY,
    ],
    [
      'free text over subject, senders and recipients',
      { text: 'team2' },
      (s) => s.recipients.some((r) => r.toLowerCase().startsWith('team2')),
    ],
    [
      'several filters at once',
      { connectionId: 'c1', status: 'delivered', domain: 'shop.example.com', subject: 'invoice' },
      (s) =>
        s.connectionId === 'c1' &&
        s.statuses.includes('delivered') &&
        s.domain === 'shop.example.com' &&
        hasPrefixWords(s.subject, 'invoice'),
    ],
    ['text that is a message id', { text: 'm0042' }, (s) => s.id === 'm0042'],
    ['text that matches nothing', { text: 'zzzz' }, () => false],
    ['text that is only punctuation', { text: '"*()' }, () => false],
  ];

  for (const [name, params, predicate] of cases) {
    it(`by ${name} returns exactly the matching messages, newest first`, () => {
      const expected = seeds
        .filter(predicate)
        .sort(newestFirst)
        .map((s) => s.id);
      if (name !== 'text that matches nothing' && name !== 'text that is only punctuation') {
        expect(expected.length).toBeGreaterThan(0);
      }
      expect(allPages(service, params, 500)).toEqual(expected);
    });
  }

  it('pages through a filtered result with no gaps or repeats, whatever the page size', () => {
    const expected = seeds
      .filter((s) => s.connectionId === 'c1')
      .sort(newestFirst)
      .map((s) => s.id);
    for (const limit of [1, 7, 50]) {
      const ids = allPages(service, { connectionId: 'c1' }, limit);
      expect(ids).toEqual(expected);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('refuses a date range that ends before it starts, saying which field', () => {
    const parsed = paramSchemas['messages.search'].safeParse({ from: START + DAY, to: START });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({
      path: ['from'],
      message: 'the start of the date range must lie before its end',
    });
  });
});
