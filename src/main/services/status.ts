import { activityOf } from '@shared/domain/connection';
import type { RelayStatus } from '@shared/domain/status';
import type { EngineContext } from '../engine/context';
import { publicHostOf } from '../engine/public-host';
import { queueState } from './queue';

function quotaState(ctx: EngineContext): RelayStatus['quota'] {
  const now = ctx.clock.now();
  const ledger = ctx.quota;
  if (!ledger) return { balance: 0, onDemo: true, periodEnd: now, rateLimitedUntil: null };
  return {
    balance: ledger.balance(now),
    onDemo: ledger.onDemo(),
    periodEnd: ledger.period(now).end,
    rateLimitedUntil: ledger.demoLimitedUntil(now) ?? null,
  };
}

/**
 * The status bar, the tray and every `status.changed` push. Its cost does not grow with the mail
 * stored: the counts are counters kept by triggers (store_counts), the quota balance reads the
 * period's overage counter, and only the connections (a handful) are listed.
 */
export function relayStatus(ctx: EngineContext): RelayStatus {
  const { store, settings, clock } = ctx;
  const connections = store.connections.list();
  const counts = store.counts.read();
  const now = clock.now();
  const activeDays = settings.get('connections.activeDays');
  return {
    version: ctx.version,
    startedAt: ctx.startedAt,
    dataDir: ctx.dataDir,
    smtp: {
      host: ctx.smtp.host,
      port: ctx.smtp.port,
      publicHost: publicHostOf(settings.get('smtp.publicHost'), ctx.smtp.host),
      tls: ctx.tls().info,
    },
    bounces: ctx.bounceListener ?? null,
    queue: queueState(ctx),
    quota: quotaState(ctx),
    counts: {
      messages: counts.messages,
      connections: connections.length,
      activeConnections: connections.filter((c) => activityOf(c, now, activeDays) === 'active').length,
      recipients: counts.recipients,
      suppressions: counts.suppressions,
    },
    problems: ctx.health.list(),
  };
}
