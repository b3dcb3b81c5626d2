/**
 * Search terms that exist in the generated store, drawn at random so each run asks something
 * different: recipient addresses, Message-IDs, senders, days, words.
 */
import type { Store } from '../../src/main/store/store';
import { CONNECTIONS } from './mail-mix';
import type { Random } from './random';

export interface Sample {
  recipients: string[];
  messageIds: string[];
  senders: string[];
  connectionIds: string[];
  domains: string[];
}

export function sampleStore(store: Store, random: Random, size: number): Sample {
  const maxRecipient = store.db.prepare('SELECT MAX(id) FROM recipients').pluck().get() as number;
  const maxMessage = store.db.prepare('SELECT MAX(rowid) FROM messages').pluck().get() as number;
  const recipientAt = store.db.prepare('SELECT address FROM recipients WHERE id = ?').pluck();
  const messageAt = store.db.prepare('SELECT message_id FROM messages WHERE rowid = ?').pluck();
  const draw = (max: number, read: (n: number) => unknown): string[] =>
    Array.from({ length: size }, () => read(1 + random.int(max))).filter(
      (v): v is string => typeof v === 'string',
    );
  return {
    recipients: draw(maxRecipient, (n) => recipientAt.get(n)),
    messageIds: draw(maxMessage, (n) => messageAt.get(n)),
    // Every sender, the rare ones (a CEO's own address) as often as the busy ones.
    senders: CONNECTIONS.flatMap((c) => c.domains.flatMap((d) => d.senders.map((s) => `${s}@${d.domain}`))),
    connectionIds: CONNECTIONS.map((c) => c.id),
    domains: CONNECTIONS.flatMap((c) => c.domains.map((d) => d.domain)),
  };
}
