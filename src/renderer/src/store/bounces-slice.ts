import type { BounceReason, BounceRecord } from '@shared/domain/bounce';
import type { Suppression, SuppressionReason } from '@shared/domain/suppression';
import { api } from '../api/client';
import { errorMessage } from '../api/error-message';
import type { SliceCreator } from './types';

export interface BounceFilters {
  reason: BounceReason | null;
  hard: 'hard' | 'soft' | null;
  kind: BounceRecord['kind'] | null;
  connectionId: string | null;
  /** yyyy-mm-dd, inclusive, in local time. */
  from: string;
  to: string;
  text: string;
}

export interface BouncesSlice {
  bounces: {
    items: BounceRecord[] | null;
    nextCursor: string | null;
    filters: BounceFilters;
    error: string | null;
  };
  suppressions: {
    items: Suppression[] | null;
    nextCursor: string | null;
    total: number;
    filters: { text: string; reason: SuppressionReason | null };
    error: string | null;
  };
  loadBounces(more?: boolean): Promise<void>;
  setBounceFilters(filters: Partial<BounceFilters>): void;
  loadSuppressions(more?: boolean): Promise<void>;
  setSuppressionFilters(filters: Partial<BouncesSlice['suppressions']['filters']>): void;
  /** Reloads the open list a moment after push events, so bursts cost one request. */
  scheduleBounceRefresh(): void;
}

const PAGE = 100;
let timer: ReturnType<typeof setTimeout> | undefined;
let bounceGeneration = 0;
let suppressionGeneration = 0;

const dayStart = (day: string) => new Date(`${day}T00:00:00`).getTime();

export const createBouncesSlice: SliceCreator<BouncesSlice> = (set, get) => ({
  bounces: {
    items: null,
    nextCursor: null,
    filters: { reason: null, hard: null, kind: null, connectionId: null, from: '', to: '', text: '' },
    error: null,
  },
  suppressions: { items: null, nextCursor: null, total: 0, filters: { text: '', reason: null }, error: null },

  async loadBounces(more = false) {
    const { filters, nextCursor, items } = get().bounces;
    if (more && !nextCursor) return;
    const mine = more ? bounceGeneration : ++bounceGeneration;
    try {
      const page = await api.call('bounces.search', {
        limit: PAGE,
        ...(filters.reason ? { reason: filters.reason } : {}),
        ...(filters.hard ? { hard: filters.hard === 'hard' } : {}),
        ...(filters.kind ? { kind: filters.kind } : {}),
        ...(filters.connectionId ? { connectionId: filters.connectionId } : {}),
        ...(filters.from ? { from: dayStart(filters.from) } : {}),
        ...(filters.to ? { to: dayStart(filters.to) + 86_400_000 } : {}),
        ...(filters.text.trim() ? { text: filters.text.trim() } : {}),
        ...(more && nextCursor ? { cursor: nextCursor } : {}),
      });
      if (mine !== bounceGeneration) return;
      set((s) => ({
        bounces: {
          ...s.bounces,
          items: more ? [...(items ?? []), ...page.items] : page.items,
          nextCursor: page.nextCursor,
          error: null,
        },
      }));
    } catch (err) {
      set((s) => ({ bounces: { ...s.bounces, error: errorMessage(err) } }));
    }
  },

  setBounceFilters(filters) {
    set((s) => ({
      bounces: { ...s.bounces, filters: { ...s.bounces.filters, ...filters }, items: null, nextCursor: null },
    }));
    void get().loadBounces();
  },

  async loadSuppressions(more = false) {
    const { filters, nextCursor, items } = get().suppressions;
    if (more && !nextCursor) return;
    const mine = more ? suppressionGeneration : ++suppressionGeneration;
    try {
      const page = await api.call('suppressions.search', {
        limit: PAGE,
        ...(filters.text.trim() ? { text: filters.text.trim() } : {}),
        ...(filters.reason ? { reason: filters.reason } : {}),
        ...(more && nextCursor ? { cursor: nextCursor } : {}),
      });
      if (mine !== suppressionGeneration) return;
      set((s) => ({
        suppressions: {
          ...s.suppressions,
          items: more ? [...(items ?? []), ...page.items] : page.items,
          nextCursor: page.nextCursor,
          total: page.total,
          error: null,
        },
      }));
    } catch (err) {
      set((s) => ({ suppressions: { ...s.suppressions, error: errorMessage(err) } }));
    }
  },

  setSuppressionFilters(filters) {
    set((s) => ({ suppressions: { ...s.suppressions, filters: { ...s.suppressions.filters, ...filters } } }));
    void get().loadSuppressions();
  },

  scheduleBounceRefresh() {
    const page = get().navigation.page;
    if ((page !== 'bounces' && page !== 'suppressions') || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      const now = get().navigation.page;
      if (now === 'bounces') void get().loadBounces();
      if (now === 'suppressions') void get().loadSuppressions();
    }, 300);
  },
});
