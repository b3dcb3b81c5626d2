import type { MessageDetail, MessageSummary } from '@shared/domain/message';
import { api } from '../api/client';
import { errorMessage } from '../api/error-message';
import { type MessageFilters, matchesFilters, NO_FILTERS, searchParamsOf } from './message-filters';
import type { SliceCreator } from './types';

const PAGE_SIZE = 100;

export interface MessagesSlice {
  messages: {
    /** Newest first, as messages.search orders them. */
    ids: string[];
    byId: Record<string, MessageSummary>;
    filters: MessageFilters;
    nextCursor: string | null;
    /** 'first' while the first page for the current filters loads, 'more' while a further page loads. */
    loading: 'idle' | 'first' | 'more';
    /** The first page for the current filters has arrived at least once. */
    loaded: boolean;
    /** When each message pushed since the list was (re)loaded arrived here, so the list can mark live arrivals. */
    arrivedAt: Record<string, number>;
    error: string | null;
  };
  detail: { id: string; message: MessageDetail | null; error: string | null } | null;
  setMessageFilters(patch: Partial<MessageFilters>): void;
  loadMessages(): Promise<void>;
  loadMoreMessages(): Promise<void>;
  messageAccepted(message: MessageSummary): void;
  messageChanged(message: MessageSummary): void;
  loadMessageDetail(id: string): Promise<void>;
  /** messages.deleteCaptured removed a connection's captures not yet released: drop them, then reload. */
  capturesDeleted(connectionId: string): Promise<void>;
}

export const createMessagesSlice: SliceCreator<MessagesSlice> = (set, get) => {
  /** Bumped whenever the list is reloaded, so a page that answers late for old filters is dropped. */
  let generation = 0;
  /** Bumped per detail request, so only the newest answer for the open message lands. */
  let detailRequest = 0;

  return {
    messages: {
      ids: [],
      byId: {},
      filters: NO_FILTERS,
      nextCursor: null,
      loading: 'idle',
      loaded: false,
      error: null,
      arrivedAt: {},
    },
    detail: null,

    setMessageFilters(patch) {
      const filters = { ...get().messages.filters, ...patch };
      // Cleared at once: pushed messages arriving while the page loads are checked against the new filters only.
      set({
        messages: {
          ids: [],
          byId: {},
          filters,
          nextCursor: null,
          loading: 'first',
          loaded: false,
          error: null,
          arrivedAt: {},
        },
      });
      void get().loadMessages();
    },

    async loadMessages() {
      const mine = ++generation;
      set((s) => ({ messages: { ...s.messages, loading: 'first', error: null } }));
      try {
        const page = await api.call('messages.search', {
          ...searchParamsOf(get().messages.filters),
          limit: PAGE_SIZE,
        });
        if (mine !== generation) return;
        set((s) => {
          const byId: Record<string, MessageSummary> = {};
          const pageIds = page.items.map((m) => m.id);
          const inPage = new Set(pageIds);
          const newest = page.items[0]?.acceptedAt ?? 0;
          // Messages pushed while the page was on its way and newer than it stay on top.
          const pushed = s.messages.ids.filter((id) => {
            const m = s.messages.byId[id];
            return m && !inPage.has(id) && m.acceptedAt >= newest;
          });
          for (const id of pushed) byId[id] = s.messages.byId[id] as MessageSummary;
          for (const m of page.items) byId[m.id] = m;
          return {
            messages: {
              ...s.messages,
              ids: [...pushed, ...pageIds],
              byId,
              nextCursor: page.nextCursor,
              loading: 'idle',
              loaded: true,
              error: null,
            },
          };
        });
      } catch (err) {
        if (mine !== generation) return;
        set((s) => ({ messages: { ...s.messages, loading: 'idle', error: errorMessage(err) } }));
      }
    },

    async loadMoreMessages() {
      const { nextCursor, loading, filters } = get().messages;
      if (!nextCursor || loading !== 'idle') return;
      const mine = generation;
      set((s) => ({ messages: { ...s.messages, loading: 'more' } }));
      try {
        const page = await api.call('messages.search', {
          ...searchParamsOf(filters),
          cursor: nextCursor,
          limit: PAGE_SIZE,
        });
        if (mine !== generation) return;
        set((s) => {
          const byId = { ...s.messages.byId };
          const added: string[] = [];
          for (const m of page.items) {
            if (!byId[m.id]) added.push(m.id);
            byId[m.id] = m;
          }
          return {
            messages: {
              ...s.messages,
              ids: [...s.messages.ids, ...added],
              byId,
              nextCursor: page.nextCursor,
              loading: 'idle',
            },
          };
        });
      } catch (err) {
        if (mine !== generation) return;
        set((s) => ({ messages: { ...s.messages, loading: 'idle', error: errorMessage(err) } }));
      }
    },

    messageAccepted(message) {
      set((s) => {
        const { messages } = s;
        if (messages.byId[message.id]) {
          return { messages: { ...messages, byId: { ...messages.byId, [message.id]: message } } };
        }
        if (!matchesFilters(message, messages.filters)) return {};
        const ids = insertNewestFirst(messages.ids, messages.byId, message, messages.nextCursor !== null);
        if (!ids) return {};
        return {
          messages: {
            ...messages,
            ids,
            byId: { ...messages.byId, [message.id]: message },
            arrivedAt: { ...messages.arrivedAt, [message.id]: Date.now() },
          },
        };
      });
    },

    messageChanged(message) {
      // Updated in place only: a message outside the loaded pages turns up when the user scrolls to it.
      if (get().messages.byId[message.id]) {
        set((s) => ({ messages: { ...s.messages, byId: { ...s.messages.byId, [message.id]: message } } }));
      }
      if (get().detail?.id === message.id) void get().loadMessageDetail(message.id);
    },

    async capturesDeleted(connectionId) {
      const gone = (m: MessageSummary | undefined) =>
        m?.connectionId === connectionId && Object.keys(m.statusCounts).every((k) => k === 'captured');
      set((s) => ({
        messages: { ...s.messages, ids: s.messages.ids.filter((id) => !gone(s.messages.byId[id])) },
      }));
      await get().loadMessages();
    },

    async loadMessageDetail(id) {
      const mine = ++detailRequest;
      set((s) => (s.detail?.id === id ? {} : { detail: { id, message: null, error: null } }));
      try {
        const message = await api.call('messages.get', { id });
        if (mine === detailRequest) set({ detail: { id, message, error: null } });
      } catch (err) {
        if (mine === detailRequest)
          set((s) => ({ detail: { id, message: s.detail?.message ?? null, error: errorMessage(err) } }));
      }
    },
  };
};

/**
 * Usually the new message is the newest; a clock step or a late event may place it lower. Older
 * than everything loaded while more pages exist: null, as a later page brings it in its place.
 */
function insertNewestFirst(
  ids: string[],
  byId: Record<string, MessageSummary>,
  m: MessageSummary,
  morePages: boolean,
): string[] | null {
  const at = ids.findIndex((id) => {
    const other = byId[id];
    return (
      other !== undefined &&
      (other.acceptedAt < m.acceptedAt || (other.acceptedAt === m.acceptedAt && other.id < m.id))
    );
  });
  if (at === -1) return morePages ? null : [...ids, m.id];
  return [...ids.slice(0, at), m.id, ...ids.slice(at)];
}
