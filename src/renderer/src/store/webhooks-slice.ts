import type { WebhookAttempt, WebhookEndpoint } from '@shared/domain/webhook';
import { api } from '../api/client';
import { errorMessage } from '../api/error-message';
import type { SliceCreator } from './types';

export interface WebhooksSlice {
  webhooks: {
    /** The connection whose endpoints are loaded (the open Webhooks dialog), or null. */
    connectionId: string | null;
    /** Null until loaded. In creation order. */
    list: WebhookEndpoint[] | null;
    error: string | null;
    /** Delivery history per endpoint, newest first, for the endpoints whose history is open. */
    history: Record<string, WebhookAttempt[]>;
  };
  loadWebhooks(connectionId: string): Promise<void>;
  closeWebhooks(): void;
  upsertWebhook(endpoint: WebhookEndpoint): void;
  removeWebhook(id: string): void;
  loadWebhookHistory(endpointId: string): Promise<void>;
  closeWebhookHistory(endpointId: string): void;
}

export const createWebhooksSlice: SliceCreator<WebhooksSlice> = (set, get) => ({
  webhooks: { connectionId: null, list: null, error: null, history: {} },

  async loadWebhooks(connectionId) {
    if (get().webhooks.connectionId !== connectionId)
      set({ webhooks: { connectionId, list: null, error: null, history: {} } });
    try {
      const list = await api.call('webhooks.list', { connectionId });
      if (get().webhooks.connectionId === connectionId)
        set((s) => ({ webhooks: { ...s.webhooks, list, error: null } }));
    } catch (err) {
      set((s) => ({ webhooks: { ...s.webhooks, error: errorMessage(err) } }));
    }
  },

  closeWebhooks() {
    set({ webhooks: { connectionId: null, list: null, error: null, history: {} } });
  },

  upsertWebhook(endpoint) {
    const { webhooks } = get();
    if (webhooks.connectionId !== endpoint.connectionId || !webhooks.list) return;
    const known = webhooks.list.some((e) => e.id === endpoint.id);
    const list = known
      ? webhooks.list.map((e) => (e.id === endpoint.id ? endpoint : e))
      : [...webhooks.list, endpoint];
    set({ webhooks: { ...webhooks, list } });
    // An attempt moved its last attempt: an open history follows.
    if (webhooks.history[endpoint.id]) void get().loadWebhookHistory(endpoint.id);
  },

  removeWebhook(id) {
    set((s) => {
      const { [id]: _gone, ...history } = s.webhooks.history;
      return {
        webhooks: { ...s.webhooks, list: s.webhooks.list?.filter((e) => e.id !== id) ?? null, history },
      };
    });
  },

  async loadWebhookHistory(endpointId) {
    try {
      const attempts = await api.call('webhooks.history', { id: endpointId });
      set((s) => ({
        webhooks: { ...s.webhooks, history: { ...s.webhooks.history, [endpointId]: attempts } },
      }));
    } catch (err) {
      set((s) => ({ webhooks: { ...s.webhooks, error: errorMessage(err) } }));
    }
  },

  closeWebhookHistory(endpointId) {
    set((s) => {
      const { [endpointId]: _closed, ...history } = s.webhooks.history;
      return { webhooks: { ...s.webhooks, history } };
    });
  },
});
