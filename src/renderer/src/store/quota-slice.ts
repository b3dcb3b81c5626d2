import type { QuotaSummary, Statement } from '@shared/domain/quota';
import { api } from '../api/client';
import { errorMessage } from '../api/error-message';
import { consoleTimeZone as timeZone } from '../api/time-zone';
import type { SliceCreator } from './types';

export interface QuotaSlice {
  quota: { summary: QuotaSummary | null; statements: Statement[] | null; error: string | null };
  /** The latest low-quota alert pushed while the console is open; cleared by the user. */
  quotaAlert: { balance: number; threshold: number; at: number } | null;
  loadQuota(): Promise<void>;
  /** Only the summary (no statements): what the Dashboard shows. */
  loadQuotaSummary(): Promise<void>;
  setQuotaSummary(summary: QuotaSummary): void;
  setQuotaAlert(alert: QuotaSlice['quotaAlert']): void;
  scheduleQuotaRefresh(): void;
}

let timer: ReturnType<typeof setTimeout> | undefined;

export const createQuotaSlice: SliceCreator<QuotaSlice> = (set, get) => ({
  quota: { summary: null, statements: null, error: null },
  quotaAlert: null,

  async loadQuota() {
    try {
      const [summary, statements] = await Promise.all([
        api.call('quota.get', { timeZone }),
        api.call('quota.statements', { timeZone }),
      ]);
      set({ quota: { summary, statements, error: null } });
    } catch (err) {
      set((s) => ({ quota: { ...s.quota, error: errorMessage(err) } }));
    }
  },

  async loadQuotaSummary() {
    try {
      const summary = await api.call('quota.get', { timeZone });
      set((s) => ({ quota: { ...s.quota, summary, error: null } }));
    } catch (err) {
      set((s) => ({ quota: { ...s.quota, error: errorMessage(err) } }));
    }
  },

  setQuotaSummary(summary) {
    set((s) => ({ quota: { ...s.quota, summary } }));
    void api
      .call('quota.statements', { timeZone })
      .then((statements) => set((s) => ({ quota: { ...s.quota, statements } })));
  },

  setQuotaAlert(alert) {
    set({ quotaAlert: alert });
  },

  scheduleQuotaRefresh() {
    if (get().navigation.page !== 'quota' || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void get().loadQuota();
    }, 500);
  },
});
