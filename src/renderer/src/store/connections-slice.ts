import type { Connection } from '@shared/domain/connection';
import { api } from '../api/client';
import { errorMessage } from '../api/error-message';
import type { SliceCreator } from './types';

export interface ConnectionsSlice {
  connections: {
    /** Null until the first list arrived. Kept in the server's order: by name, then creation time. */
    list: Connection[] | null;
    error: string | null;
  };
  loadConnections(): Promise<void>;
  upsertConnection(connection: Connection): void;
  removeConnection(id: string): void;
  /** A connection handed in mail: mirror what the engine records, as no connection event follows. */
  noteConnectionActivity(id: string, at: number): void;
}

function byNameThenCreation(a: Connection, b: Connection): number {
  const an = a.name.toLowerCase();
  const bn = b.name.toLowerCase();
  if (an !== bn) return an < bn ? -1 : 1;
  return a.createdAt - b.createdAt;
}

export const createConnectionsSlice: SliceCreator<ConnectionsSlice> = (set) => ({
  connections: { list: null, error: null },

  async loadConnections() {
    try {
      const list = await api.call('connections.list', {});
      set({ connections: { list, error: null } });
    } catch (err) {
      set((s) => ({ connections: { ...s.connections, error: errorMessage(err) } }));
    }
  },

  upsertConnection(connection) {
    set((s) => {
      const others = (s.connections.list ?? []).filter((c) => c.id !== connection.id);
      return { connections: { ...s.connections, list: [...others, connection].sort(byNameThenCreation) } };
    });
  },

  removeConnection(id) {
    set((s) => ({
      connections: { ...s.connections, list: s.connections.list?.filter((c) => c.id !== id) ?? null },
    }));
  },

  noteConnectionActivity(id, at) {
    set((s) => {
      const list = s.connections.list;
      if (!list?.some((c) => c.id === id)) return {};
      return {
        connections: {
          ...s.connections,
          list: list.map((c) =>
            c.id === id
              ? {
                  ...c,
                  lastActivityAt: Math.max(at, c.lastActivityAt ?? 0),
                  activity: c.enabled ? 'active' : c.activity,
                }
              : c,
          ),
        },
      };
    });
  },
});
