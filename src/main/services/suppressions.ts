import type { ResultOf } from '@shared/api/contract';
import { AppError } from '@shared/api/errors';
import type { ParsedParamsOf } from '@shared/api/schemas';
import { isValidAddress } from '@shared/domain/address';
import { SUPPRESSION_REASONS, type Suppression, type SuppressionReason } from '@shared/domain/suppression';
import { csvLine, parseCsv } from '@shared/util/csv';
import type { EngineContext } from '../engine/context';

const COLUMNS = ['address', 'reason', 'detail', 'created_at'] as const;

function encodeCursor(s: Suppression): string {
  return Buffer.from(`${s.createdAt}:${s.address}`).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: number; address: string } {
  const text = Buffer.from(cursor, 'base64url').toString();
  const at = text.indexOf(':');
  const createdAt = Number(text.slice(0, at));
  if (at < 0 || !Number.isFinite(createdAt)) {
    throw new AppError(
      'invalid_params',
      'The cursor is not one Relaydesk gave out; start again without it.',
      {
        cursor: 'use nextCursor from the previous page',
      },
    );
  }
  return { createdAt, address: text.slice(at + 1) };
}

/** The suppression list: search, add and remove by hand, CSV import and export. */
export function suppressionsService(ctx: EngineContext) {
  const { store, clock, events, log } = ctx;
  const changed = (address: string, suppression: Suppression | null) =>
    events.emit('suppression.changed', { address, suppression });

  return {
    search(p: ParsedParamsOf<'suppressions.search'>): ResultOf<'suppressions.search'> {
      const rows = store.suppressions.search({
        limit: p.limit + 1,
        ...(p.text ? { text: p.text } : {}),
        ...(p.reason ? { reason: p.reason } : {}),
        ...(p.cursor ? { after: decodeCursor(p.cursor) } : {}),
      });
      const items = rows.slice(0, p.limit);
      const last = items[items.length - 1];
      return {
        items,
        nextCursor: rows.length > p.limit && last ? encodeCursor(last) : null,
        total: store.suppressions.count(),
      };
    },

    add({ address, note }: ParsedParamsOf<'suppressions.add'>): ResultOf<'suppressions.add'> {
      if (!isValidAddress(address)) {
        throw new AppError('invalid_params', `"${address}" is not an e-mail address.`, {
          address: 'enter an address like name@example.org',
        });
      }
      const existing = store.suppressions.find(address);
      if (existing) {
        throw new AppError(
          'conflict',
          `${address} is already on the suppression list (${existing.reason}).`,
          {
            address: 'is already suppressed',
          },
        );
      }
      const entry: Suppression = {
        address,
        reason: 'manual',
        detail: note || 'added by hand',
        messageId: null,
        createdAt: clock.now(),
      };
      store.suppressions.add(entry);
      log.info('suppressed', { rcpt: address, reason: 'manual' });
      changed(address, entry);
      return entry;
    },

    remove({ address }: ParsedParamsOf<'suppressions.remove'>): ResultOf<'suppressions.remove'> {
      if (!store.suppressions.remove(address)) {
        throw new AppError('not_found', `${address} is not on the suppression list.`);
      }
      log.info('unsuppressed', { rcpt: address });
      changed(address, null);
      return { address };
    },

    import({ csv }: ParsedParamsOf<'suppressions.import'>): ResultOf<'suppressions.import'> {
      const rows = parseCsv(csv);
      const header = rows[0]?.fields.map((f) => f.trim().toLowerCase()) ?? [];
      // A file without a header line is a plain list of addresses, one per line.
      const hasHeader = header.includes('address');
      const column = (name: (typeof COLUMNS)[number]) =>
        hasHeader ? header.indexOf(name) : name === 'address' ? 0 : -1;
      const errors: { line: number; message: string }[] = [];
      let added = 0;
      let alreadyListed = 0;
      const now = clock.now();
      store.db.transaction(() => {
        for (const row of hasHeader ? rows.slice(1) : rows) {
          const get = (name: (typeof COLUMNS)[number]) =>
            column(name) >= 0 ? (row.fields[column(name)] ?? '').trim() : '';
          const address = get('address').toLowerCase();
          const reason = (get('reason') || 'manual') as SuppressionReason;
          const createdText = get('created_at');
          const createdAt = createdText ? Date.parse(createdText) : now;
          if (!isValidAddress(address)) {
            errors.push({ line: row.line, message: `"${address}" is not an e-mail address` });
            continue;
          }
          if (!SUPPRESSION_REASONS.includes(reason)) {
            errors.push({
              line: row.line,
              message: `reason must be one of ${SUPPRESSION_REASONS.join(', ')}`,
            });
            continue;
          }
          if (!Number.isFinite(createdAt)) {
            errors.push({
              line: row.line,
              message: `created_at "${createdText}" is not a date (use 2026-11-28T10:00:00Z)`,
            });
            continue;
          }
          const isNew = store.suppressions.add({
            address,
            reason,
            detail: get('detail') || 'imported',
            messageId: null,
            createdAt,
          });
          if (isNew) added++;
          else alreadyListed++;
        }
      })();
      log.info('suppressions-imported', { added, already: alreadyListed, errors: errors.length });
      if (added > 0) changed('*', null);
      return { added, alreadyListed, errors: errors.slice(0, 100) };
    },

    export(): ResultOf<'suppressions.export'> {
      const all = store.suppressions.all();
      const lines = [
        csvLine([...COLUMNS]),
        ...all.map((s) => csvLine([s.address, s.reason, s.detail, new Date(s.createdAt).toISOString()])),
      ];
      return { csv: `${lines.join('\r\n')}\r\n`, count: all.length };
    },
  };
}
