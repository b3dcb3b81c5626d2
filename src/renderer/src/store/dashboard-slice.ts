import type { BounceRecord } from '@shared/domain/bounce';
import type { StatsPoint, StatsSummary } from '@shared/domain/stats';
import { api } from '../api/client';
import { errorMessage } from '../api/error-message';
import { consoleTimeZone as timeZone } from '../api/time-zone';
import { type ChartRange, seriesParams } from './chart-ranges';
import type { SliceCreator } from './types';

/** Parts of the Dashboard that push events make stale, refreshed together a moment later. */
export type DashboardPart = 'bounces' | 'quota';

export interface DashboardSlice {
  dashboard: {
    /** Totals for today (in this console's time zone), 7 and 30 days; asked again after `stats.changed`. */
    summary: StatsSummary | null;
    range: ChartRange;
    /** The chart's points, tagged with the range they were asked for. */
    series: { range: ChartRange; points: StatsPoint[] } | null;
    /** The newest bounces, newest first. */
    latestBounces: BounceRecord[] | null;
    error: string | null;
  };
  loadDashboard(): Promise<void>;
  /** A `stats.changed` push: on the Dashboard, ask for the totals and the chart again. */
  statsChanged(): void;
  /** Refetches the totals; at most one request is in flight, calls meanwhile cost one more after it. */
  refreshSummary(): Promise<void>;
  setChartRange(range: ChartRange): void;
  /** Refetches the chart; at most one request is in flight, calls meanwhile cost one more after it. */
  refreshSeries(): Promise<void>;
  /** Coalesces the events of a busy relay into one refresh of the named parts. */
  scheduleDashboardRefresh(part: DashboardPart): void;
}

export const LATEST_BOUNCES = 5;
const REFRESH_DELAY_MS = 500;

let seriesInFlight = false;
let seriesWanted = false;
let summaryInFlight = false;
let summaryWanted = false;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
const stale = new Set<DashboardPart>();

export const createDashboardSlice: SliceCreator<DashboardSlice> = (set, get) => {
  const setDashboard = (patch: Partial<DashboardSlice['dashboard']>) =>
    set((s) => ({ dashboard: { ...s.dashboard, ...patch } }));

  const loadLatestBounces = async () => {
    try {
      const page = await api.call('bounces.search', { limit: LATEST_BOUNCES });
      setDashboard({ latestBounces: page.items });
    } catch (err) {
      setDashboard({ error: errorMessage(err) });
    }
  };

  return {
    dashboard: { summary: null, range: 'lastHour', series: null, latestBounces: null, error: null },

    async loadDashboard() {
      await Promise.all([
        get().refreshSummary(),
        get().refreshSeries(),
        loadLatestBounces(),
        get().loadQuotaSummary(),
      ]);
    },

    statsChanged() {
      // Other pages load the Dashboard afresh when it opens.
      if (get().navigation.page !== 'dashboard') return;
      void get().refreshSummary();
      void get().refreshSeries();
    },

    async refreshSummary() {
      if (summaryInFlight) {
        summaryWanted = true;
        return;
      }
      summaryInFlight = true;
      try {
        do {
          summaryWanted = false;
          try {
            setDashboard({ summary: await api.call('stats.summary', { timeZone }), error: null });
          } catch (err) {
            setDashboard({ error: errorMessage(err) });
          }
        } while (summaryWanted);
      } finally {
        summaryInFlight = false;
      }
    },

    setChartRange(range) {
      if (range === get().dashboard.range) return;
      setDashboard({ range });
      void get().refreshSeries();
    },

    async refreshSeries() {
      if (seriesInFlight) {
        seriesWanted = true;
        return;
      }
      seriesInFlight = true;
      try {
        do {
          seriesWanted = false;
          const range = get().dashboard.range;
          try {
            const { points } = await api.call('stats.series', seriesParams(range, Date.now(), timeZone));
            // A range switch while this was on its way asks again; its answer is the one to show.
            if (get().dashboard.range === range) setDashboard({ series: { range, points } });
          } catch (err) {
            setDashboard({ error: errorMessage(err) });
          }
        } while (seriesWanted);
      } finally {
        seriesInFlight = false;
      }
    },

    scheduleDashboardRefresh(part) {
      if (get().navigation.page !== 'dashboard') return;
      stale.add(part);
      if (refreshTimer) return;
      refreshTimer = setTimeout(() => {
        refreshTimer = undefined;
        const parts = [...stale];
        stale.clear();
        if (get().navigation.page !== 'dashboard') return;
        if (parts.includes('bounces')) void loadLatestBounces();
        if (parts.includes('quota')) void get().loadQuotaSummary();
      }, REFRESH_DELAY_MS);
    },
  };
};
