import type { PushEvent } from '@shared/api/contract';
import type { SliceCreator } from './types';

export interface SyncSlice {
  /** Applies one push event; called outside React by the subscription made at startup. */
  applyEvent(event: PushEvent): void;
  /** Reloads everything the console shows: at start and whenever the link is live again after a drop. */
  resync(): Promise<void>;
}

export const createSyncSlice: SliceCreator<SyncSlice> = (_set, get) => ({
  applyEvent(event) {
    const s = get();
    switch (event.type) {
      case 'message.accepted':
        s.messageAccepted(event.data);
        if (event.data.connectionId) s.noteConnectionActivity(event.data.connectionId, event.data.acceptedAt);
        s.scheduleDashboardRefresh('quota');
        break;
      case 'message.changed':
        s.messageChanged(event.data);
        s.scheduleQueueRefresh();
        break;
      case 'connection.changed':
        s.upsertConnection(event.data);
        break;
      case 'connection.deleted':
        s.removeConnection(event.data.id);
        break;
      case 'domain.changed':
        s.upsertDomain(event.data);
        break;
      case 'domain.deleted':
        s.removeDomain(event.data.id);
        break;
      case 'bounce.recorded':
        s.scheduleBounceRefresh();
        s.scheduleDashboardRefresh('bounces');
        break;
      case 'suppression.changed':
        s.scheduleBounceRefresh();
        break;
      case 'quota.alert':
        s.setQuotaAlert(event.data);
        s.scheduleQuotaRefresh();
        break;
      case 'status.changed': {
        const quotaBefore = s.status.relay?.quota;
        s.setRelayStatus(event.data);
        s.scheduleQueueRefresh();
        s.scheduleQuotaRefresh();
        // Status comes with every count change; the Dashboard's quota figures move only with these.
        if (JSON.stringify(quotaBefore) !== JSON.stringify(event.data.quota))
          s.scheduleDashboardRefresh('quota');
        break;
      }
      case 'stats.changed':
        s.statsChanged();
        break;
      case 'webhook.changed':
        s.upsertWebhook(event.data);
        break;
      case 'webhook.deleted':
        s.removeWebhook(event.data.id);
        break;
      case 'captures.deleted':
        void s.capturesDeleted(event.data.connectionId);
        s.scheduleQueueRefresh();
        break;
      case 'activity.recorded':
        s.activityRecorded(event.data);
        break;
    }
  },

  async resync() {
    const s = get();
    const openMessage = s.navigation.selectedMessageId;
    await Promise.all([
      s.loadStatus(),
      s.loadConnections(),
      s.loadDomains(),
      s.loadMessages(),
      s.settings.entries ? s.loadSettings() : Promise.resolve(),
      openMessage ? s.loadMessageDetail(openMessage) : Promise.resolve(),
      s.navigation.page === 'dashboard' ? s.loadDashboard() : Promise.resolve(),
      s.navigation.page === 'queue' ? s.loadQueue() : Promise.resolve(),
      s.navigation.page === 'quota' ? s.loadQuota() : Promise.resolve(),
      s.navigation.page === 'bounces' ? s.loadBounces() : Promise.resolve(),
      s.navigation.page === 'suppressions' ? s.loadSuppressions() : Promise.resolve(),
      s.webhooks.connectionId ? s.loadWebhooks(s.webhooks.connectionId) : Promise.resolve(),
      s.navigation.page === 'activity' ? s.loadActivity() : Promise.resolve(),
    ]);
  },
});
