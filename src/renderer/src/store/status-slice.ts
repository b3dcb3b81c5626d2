import type { RelayStatus } from '@shared/domain/status';
import { api, type LinkState } from '../api/client';
import { errorMessage } from '../api/error-message';
import type { SliceCreator } from './types';

export interface StatusSlice {
  status: {
    relay: RelayStatus | null;
    link: LinkState;
    /** A pasted token is being tried; cleared once the link is live again. */
    tokenSubmitted: boolean;
    error: string | null;
  };
  loadStatus(): Promise<void>;
  setRelayStatus(relay: RelayStatus): void;
  setLinkState(link: LinkState): void;
  submitToken(token: string): void;
}

export const createStatusSlice: SliceCreator<StatusSlice> = (set, get) => ({
  status: { relay: null, link: 'connecting', tokenSubmitted: false, error: null },

  async loadStatus() {
    try {
      get().setRelayStatus(await api.call('status.get', {}));
    } catch (err) {
      set((s) => ({ status: { ...s.status, error: errorMessage(err) } }));
    }
  },

  setRelayStatus(relay) {
    set((s) => ({ status: { ...s.status, relay, error: null } }));
  },

  setLinkState(link) {
    set((s) => ({
      status: { ...s.status, link, tokenSubmitted: link === 'live' ? false : s.status.tokenSubmitted },
    }));
  },

  submitToken(token) {
    set((s) => ({ status: { ...s.status, tokenSubmitted: true } }));
    api.setToken(token);
  },
});
