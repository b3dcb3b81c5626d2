import type { EventMap } from '@shared/api/contract';
import type { ActivityEntry } from '@shared/domain/activity';
import { api } from '../api/client';
import { errorMessage } from '../api/error-message';
import {
  type ActivityFilters,
  activityParamsOf,
  matchesActivityFilters,
  NO_ACTIVITY_FILTERS,
} from './activity-filters';
import type { SliceCreator } from './types';

export interface ActivitySlice {
  activity: {
    items: ActivityEntry[] | null;
    nextCursor: string | null;
    filters: ActivityFilters;
    error: string | null;
  };
  loadActivity(more?: boolean): Promise<void>;
  setActivityFilters(filters: Partial<ActivityFilters>): void;
  /** Opens the Activity page with exactly these filters (the rest cleared). */
  openActivity(filters?: Partial<ActivityFilters>): void;
  /** Pushed entries: shown at once when they all came with the event, else the list reloads. */
  activityRecorded(data: EventMap['activity.recorded']): void;
}

const PAGE = 100;
/** Entries kept on screen from pushes before the list is reloaded instead (one page and a half). */
const MAX_LIVE = 500;
let generation = 0;
let refresh: ReturnType<typeof setTimeout> | undefined;

export const createActivitySlice: SliceCreator<ActivitySlice> = (set, get) => {
  /** Reloads the open list a moment after a burst of pushes, so a flood costs one request. */
  const scheduleReload = () => {
    if (refresh) return;
    refresh = setTimeout(() => {
      refresh = undefined;
      if (get().navigation.page === 'activity') void get().loadActivity();
    }, 300);
  };

  return {
    activity: { items: null, nextCursor: null, filters: NO_ACTIVITY_FILTERS, error: null },

    async loadActivity(more = false) {
      const { filters, nextCursor, items } = get().activity;
      if (more && !nextCursor) return;
      const mine = more ? generation : ++generation;
      try {
        const page = await api.call('activity.search', {
          limit: PAGE,
          ...activityParamsOf(filters),
          ...(more && nextCursor ? { cursor: nextCursor } : {}),
        });
        if (mine !== generation) return;
        set((s) => ({
          activity: {
            ...s.activity,
            items: more ? [...(items ?? []), ...page.items] : page.items,
            nextCursor: page.nextCursor,
            error: null,
          },
        }));
      } catch (err) {
        set((s) => ({ activity: { ...s.activity, error: errorMessage(err) } }));
      }
    },

    setActivityFilters(filters) {
      set((s) => ({
        activity: {
          ...s.activity,
          filters: { ...s.activity.filters, ...filters },
          items: null,
          nextCursor: null,
        },
      }));
      void get().loadActivity();
    },

    openActivity(filters = {}) {
      set((s) => ({
        activity: {
          ...s.activity,
          filters: { ...NO_ACTIVITY_FILTERS, ...filters },
          items: null,
          nextCursor: null,
        },
      }));
      // The page loads its list when it opens.
      get().navigate('activity');
    },

    activityRecorded({ entries, count }) {
      const { items, filters } = get().activity;
      if (items === null || get().navigation.page !== 'activity') return;
      const newest = items[0]?.id ?? 0;
      const fresh = entries.filter((e) => e.id > newest && matchesActivityFilters(e, filters));
      if (count > entries.length || items.length + fresh.length > MAX_LIVE) return scheduleReload();
      if (fresh.length === 0) return;
      set((s) => ({ activity: { ...s.activity, items: [...fresh, ...(s.activity.items ?? [])] } }));
    },
  };
};
