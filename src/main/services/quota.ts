import type { ResultOf } from '@shared/api/contract';
import { AppError } from '@shared/api/errors';
import type { ParsedParamsOf } from '@shared/api/schemas';
import type { EngineContext } from '../engine/context';
import type { QuotaLedger } from '../quota/ledger';
import { statementCsv, statementHtml } from '../quota/statement-export';
import { relayStatus } from './status';

export function quotaService(ctx: EngineContext, ledger: QuotaLedger) {
  const { clock, events } = ctx;
  const changed = () => {
    const summary = ledger.summary(clock.now());
    // Counts and the demo limit move with a booking: the status bar follows.
    events.emit('status.changed', relayStatus(ctx));
    void ctx.quotaAlerts?.check();
    return summary;
  };
  return {
    get: (): ResultOf<'quota.get'> => ledger.summary(clock.now()),

    bookBlock({ size, autoRenew }: ParsedParamsOf<'quota.bookBlock'>): ResultOf<'quota.bookBlock'> {
      ledger.book(size, autoRenew, clock.now());
      return changed();
    },

    setAutoRenew({
      blockId,
      autoRenew,
    }: ParsedParamsOf<'quota.setAutoRenew'>): ResultOf<'quota.setAutoRenew'> {
      ledger.setAutoRenew(blockId, autoRenew);
      return changed();
    },

    statements: (): ResultOf<'quota.statements'> => ledger.statements(clock.now()),

    exportStatement({
      periodStart,
      format,
    }: ParsedParamsOf<'quota.exportStatement'>): ResultOf<'quota.exportStatement'> {
      const statement = ledger.statements(clock.now()).find((s) => s.periodStart === periodStart);
      if (!statement)
        throw new AppError(
          'not_found',
          'There is no billing period starting then; pick one from the statements list.',
        );
      const name = `relaydesk-statement-${new Date(periodStart).toISOString().slice(0, 10)}`;
      return format === 'csv'
        ? {
            filename: `${name}.csv`,
            contentType: 'text/csv; charset=utf-8',
            content: statementCsv(statement),
          }
        : {
            filename: `${name}.html`,
            contentType: 'text/html; charset=utf-8',
            content: statementHtml(statement),
          };
    },
  };
}
