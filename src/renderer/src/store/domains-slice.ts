import type { SendingDomain } from '@shared/domain/sending-domain';
import { api } from '../api/client';
import { errorMessage } from '../api/error-message';
import type { SliceCreator } from './types';

export interface DomainsSlice {
  domains: {
    /** Null until the first list arrived; sorted by domain name. */
    list: SendingDomain[] | null;
    error: string | null;
  };
  loadDomains(): Promise<void>;
  upsertDomain(domain: SendingDomain): void;
  removeDomain(id: string): void;
}

const byName = (a: SendingDomain, b: SendingDomain) => a.domain.localeCompare(b.domain);

export const createDomainsSlice: SliceCreator<DomainsSlice> = (set) => ({
  domains: { list: null, error: null },

  async loadDomains() {
    try {
      set({ domains: { list: (await api.call('domains.list', {})).sort(byName), error: null } });
    } catch (err) {
      set((s) => ({ domains: { ...s.domains, error: errorMessage(err) } }));
    }
  },

  upsertDomain(domain) {
    set((s) => {
      const others = (s.domains.list ?? []).filter((d) => d.id !== domain.id);
      return { domains: { ...s.domains, list: [...others, domain].sort(byName) } };
    });
  },

  removeDomain(id) {
    set((s) => ({ domains: { ...s.domains, list: s.domains.list?.filter((d) => d.id !== id) ?? null } }));
  },
});
