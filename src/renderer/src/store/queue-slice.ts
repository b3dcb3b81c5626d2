import type { QueueEntry } from '@shared/domain/queue';
import { api } from '../api/client';
import { errorMessage } from '../api/error-message';
import type { SliceCreator } from './types';

export interface QueueFilters {
  status: 'queued' | 'deferred' | 'sending' | null;
  domain: string;
}

export interface QueueSlice {
  queue: {
    items: QueueEntry[] | null;
    nextCursor: string | null;
    filters: QueueFilters;
    error: string | null;
  };
  loadQueue(): Promise<void>;
  loadMoreQueue(): Promise<void>;
  setQueueFilters(filters: Partial<QueueFilters>): void;
  /** Coalesces the many delivery events of a busy relay into one reload a little later. */
  scheduleQueueRefresh(): void;
}

const PAGE = 100;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let generation = 0;

const paramsOf = (f: QueueFilters) => ({
  limit: PAGE,
  ...(f.status ? { status: f.status } : {}),
  ...(f.domain.trim() ? { domain: f.domain.trim() } : {}),
});

export const createQueueSlice: SliceCreator<QueueSlice> = (set, get) => ({
  queue: { items: null, nextCursor: null, filters: { status: null, domain: '' }, error: null },

  async loadQueue() {
    const mine = ++generation;
    try {
      const page = await api.call('queue.list', paramsOf(get().queue.filters));
      if (mine !== generation) return;
      set((s) => ({ queue: { ...s.queue, items: page.items, nextCursor: page.nextCursor, error: null } }));
    } catch (err) {
      set((s) => ({ queue: { ...s.queue, error: errorMessage(err) } }));
    }
  },

  async loadMoreQueue() {
    const { nextCursor, filters, items } = get().queue;
    if (!nextCursor) return;
    const mine = generation;
    try {
      const page = await api.call('queue.list', { ...paramsOf(filters), cursor: nextCursor });
      if (mine !== generation) return;
      set((s) => ({
        queue: { ...s.queue, items: [...(items ?? []), ...page.items], nextCursor: page.nextCursor },
      }));
    } catch (err) {
      set((s) => ({ queue: { ...s.queue, error: errorMessage(err) } }));
    }
  },

  setQueueFilters(filters) {
    set((s) => ({
      queue: { ...s.queue, filters: { ...s.queue.filters, ...filters }, items: null, nextCursor: null },
    }));
    void get().loadQueue();
  },

  scheduleQueueRefresh() {
    if (get().navigation.page !== 'queue' || refreshTimer) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = undefined;
      void get().loadQueue();
    }, 300);
  },
});
