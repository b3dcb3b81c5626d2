import type { ResultOf } from '@shared/api/contract';
import { AppError } from '@shared/api/errors';
import type { ParsedParamsOf } from '@shared/api/schemas';
import { suppressionFor } from '@shared/domain/suppression-rule';
import { analyzeBounce } from '../bounces/analyze';
import type { EngineContext } from '../engine/context';
import { idCursorBefore, idPage } from './id-paging';

export function bouncesService(ctx: EngineContext) {
  const { store, spool } = ctx;
  return {
    search(p: ParsedParamsOf<'bounces.search'>): ResultOf<'bounces.search'> {
      const before = idCursorBefore(p.cursor);
      const rows = store.bounces.search({
        limit: p.limit + 1,
        ...(p.reason ? { reason: p.reason } : {}),
        ...(p.hard !== undefined ? { hard: p.hard } : {}),
        ...(p.kind ? { kind: p.kind } : {}),
        ...(p.connectionId ? { connectionId: p.connectionId } : {}),
        ...(p.from !== undefined ? { from: p.from } : {}),
        ...(p.to !== undefined ? { to: p.to } : {}),
        ...(p.text ? { text: p.text } : {}),
        ...(before !== undefined ? { before } : {}),
      });
      return idPage(rows, p.limit);
    },

    async get({ id }: ParsedParamsOf<'bounces.get'>): Promise<ResultOf<'bounces.get'>> {
      const record = store.bounces.get(id);
      if (!record) throw new AppError('not_found', `There is no bounce ${id}.`);
      const raw = record.reportId ? await spool.readReport(record.reportId) : undefined;
      return { ...record, rawReport: raw ? raw.toString('utf8') : null };
    },

    /**
     * The parser the bounce listener uses, on a pasted mail, and per recipient the suppression the
     * recorder's rule would add and whether the address is suppressed already; nothing is changed.
     */
    analyze({ raw }: ParsedParamsOf<'bounces.analyze'>): ResultOf<'bounces.analyze'> {
      const analysis = analyzeBounce(raw);
      return {
        ...analysis,
        recipients: analysis.recipients.map((r) => ({
          ...r,
          wouldSuppress: suppressionFor(analysis.kind, r),
          alreadySuppressed: r.recipient !== '' && store.suppressions.find(r.recipient) !== undefined,
        })),
      };
    },
  };
}
