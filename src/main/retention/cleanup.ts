import type { CleanupReport } from '@shared/domain/settings';
import { STAT_BUCKETS } from '@shared/domain/stats';
import type { EngineContext } from '../engine/context';
import { KEEP_HOUR_BUCKETS_MS, KEEP_MINUTE_BUCKETS_MS } from '../stats/ranges';

const DAY = STAT_BUCKETS.day;
/** Rows handled per transaction, so a large cleanup never holds the store for long. */
const BATCH = 500;
const EVERY_MS = 60 * 60 * 1000;

/**
 * Applies the retention settings: bodies older than `retention.bodyDays` lose their spool file
 * (metadata stays); messages older than `retention.metadataDays` are removed whole. Mail still
 * waiting for delivery is never touched. Activity log entries older than
 * `activity.retentionDays` go too. Statistics roll-ups stay (only fine-grained buckets
 * past their use are pruned), so the dashboard's history outlives the messages.
 */
export async function runCleanup(ctx: EngineContext): Promise<CleanupReport> {
  const { store, spool, settings, clock, log } = ctx;
  const now = clock.now();
  const report: CleanupReport = {
    at: now,
    bodiesPurged: 0,
    messagesDeleted: 0,
    statsRowsPruned: 0,
    activityDeleted: 0,
  };

  const metadataDays = settings.get('retention.metadataDays');
  if (metadataDays > 0) {
    const before = now - metadataDays * DAY;
    for (let batch = store.retention.messagesToDelete(before, BATCH); batch.length > 0; ) {
      report.messagesDeleted += store.retention.deleteMessages(batch.map((m) => m.id));
      for (const m of batch) if (!m.bodyPurged) await spool.remove(m.id);
      batch = store.retention.messagesToDelete(before, BATCH);
    }
    for (const id of store.retention.deleteUnattached(before)) await spool.removeReport(id);
  }

  const bodyDays = settings.get('retention.bodyDays');
  if (bodyDays > 0) {
    const before = now - bodyDays * DAY;
    for (let ids = store.retention.bodiesToPurge(before, BATCH); ids.length > 0; ) {
      store.retention.markPurged(ids);
      for (const id of ids) await spool.remove(id);
      report.bodiesPurged += ids.length;
      ids = store.retention.bodiesToPurge(before, BATCH);
    }
  }

  report.statsRowsPruned =
    store.stats.prune(STAT_BUCKETS.minute, now - KEEP_MINUTE_BUCKETS_MS) +
    store.stats.prune(STAT_BUCKETS.hour, now - KEEP_HOUR_BUCKETS_MS);

  const activityDays = settings.get('activity.retentionDays');
  if (activityDays > 0) {
    const before = now - activityDays * DAY;
    for (let n = store.activity.deleteOlderThan(before, BATCH); n > 0; ) {
      report.activityDeleted += n;
      n = store.activity.deleteOlderThan(before, BATCH);
    }
  }

  if (report.bodiesPurged || report.messagesDeleted || report.statsRowsPruned || report.activityDeleted) {
    log.info('retention', { ...report });
  }
  return report;
}

/** Runs the cleanup at start and then every hour; returns the stop function (it waits for a running cleanup). */
export function startRetention(ctx: EngineContext): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = running
      .then(() => runCleanup(ctx))
      .then(
        () => ctx.health.clear('retention'),
        (err: unknown) =>
          ctx.health.report(
            'retention',
            err,
            'Old mail is kept until the next hourly cleanup works; check free disk space and the log.',
          ),
      );
  };
  tick();
  const timer = setInterval(tick, EVERY_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
