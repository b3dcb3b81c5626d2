import { create } from 'zustand';
import { createActivitySlice } from './activity-slice';
import { createBouncesSlice } from './bounces-slice';
import { createConnectionsSlice } from './connections-slice';
import { createDashboardSlice } from './dashboard-slice';
import { createDomainsSlice } from './domains-slice';
import { createMessagesSlice } from './messages-slice';
import { createNavigationSlice } from './navigation-slice';
import { createQueueSlice } from './queue-slice';
import { createQuotaSlice } from './quota-slice';
import { createSettingsSlice } from './settings-slice';
import { createStatusSlice } from './status-slice';
import { createSyncSlice } from './sync-slice';
import type { RelaydeskState } from './types';
import { createWebhooksSlice } from './webhooks-slice';

export type { RelaydeskState } from './types';

/** The console's one store. Components read it through narrow selectors; push events reach it outside React. */
export const useRelaydesk = create<RelaydeskState>()((...a) => ({
  ...createStatusSlice(...a),
  ...createConnectionsSlice(...a),
  ...createDashboardSlice(...a),
  ...createBouncesSlice(...a),
  ...createDomainsSlice(...a),
  ...createMessagesSlice(...a),
  ...createSettingsSlice(...a),
  ...createNavigationSlice(...a),
  ...createQueueSlice(...a),
  ...createQuotaSlice(...a),
  ...createSyncSlice(...a),
  ...createWebhooksSlice(...a),
  ...createActivitySlice(...a),
}));
