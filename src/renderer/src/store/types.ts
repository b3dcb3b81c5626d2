import type { StateCreator } from 'zustand';
import type { ActivitySlice } from './activity-slice';
import type { BouncesSlice } from './bounces-slice';
import type { ConnectionsSlice } from './connections-slice';
import type { DashboardSlice } from './dashboard-slice';
import type { DomainsSlice } from './domains-slice';
import type { MessagesSlice } from './messages-slice';
import type { NavigationSlice } from './navigation-slice';
import type { QueueSlice } from './queue-slice';
import type { QuotaSlice } from './quota-slice';
import type { SettingsSlice } from './settings-slice';
import type { StatusSlice } from './status-slice';
import type { SyncSlice } from './sync-slice';
import type { WebhooksSlice } from './webhooks-slice';

/** The whole console state: one bound store made of these slices. */
export type RelaydeskState = StatusSlice &
  ConnectionsSlice &
  DashboardSlice &
  BouncesSlice &
  DomainsSlice &
  MessagesSlice &
  SettingsSlice &
  NavigationSlice &
  QueueSlice &
  QuotaSlice &
  SyncSlice &
  WebhooksSlice &
  ActivitySlice;

/** A slice sees (and may call) the whole store, but creates only its own part. */
export type SliceCreator<T> = StateCreator<RelaydeskState, [], [], T>;
