import type { ResultOf } from '@shared/api/contract';
import { AppError } from '@shared/api/errors';
import type { ParsedParamsOf } from '@shared/api/schemas';
import type { EngineContext } from '../engine/context';
import type { QuotaLedger } from '../quota/ledger';
import { statementCsv, statementHtml } from '../quota/statement-export';
import { relayStatus } from './status';

export function quotaService(ctx: EngineContext, ledger: QuotaLedger) {
  const { clock, events } = ctx;
  const changed = (timeZone: string) => {
    const summary = ledger.summary(clock.now(), timeZone);
    // Counts and the demo limit move with a booking: the status bar follows.
    events.emit('status.changed', relayStatus(ctx));
    void ctx.quotaAlerts?.check();
    return summary;
  };
  return {
    get: ({ timeZone }: ParsedParamsOf<'quota.get'>): ResultOf<'quota.get'> =>
      ledger.summary(clock.now(), timeZone),

    bookBlock({ size, autoRenew, timeZone }: ParsedParamsOf<'quota.bookBlock'>): ResultOf<'quota.bookBlock'> {
      ledger.book(size, autoRenew, clock.now());
      return changed(timeZone);
    },

    setAutoRenew({
      blockId,
      autoRenew,
      timeZone,
    }: ParsedParamsOf<'quota.setAutoRenew'>): ResultOf<'quota.setAutoRenew'> {
      ledger.setAutoRenew(blockId, autoRenew);
      return changed(timeZone);
    },

    statements: ({ timeZone }: ParsedParamsOf<'quota.statements'>): ResultOf<'quota.statements'> =>
      ledger.statements(clock.now(), timeZone),

    exportStatement({
      periodStart,
      format,
      timeZone,
    }: ParsedParamsOf<'quota.exportStatement'>): ResultOf<'quota.exportStatement'> {
      const statement = ledger.statements(clock.now(), timeZone).find((s) => s.periodStart === periodStart);
      if (!statement)
        throw new AppError(
          'not_found',
          'There is no billing period starting then; pick one from the statements list.',
        );
      const name = `relaydesk-statement-${statement.firstDay}`;
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
