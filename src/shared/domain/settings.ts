import type { SettingGroupId } from './setting-groups';

export type SettingType = 'string' | 'integer' | 'boolean' | 'hostPort' | 'routeMap';

export type SettingValue = string | number | boolean | Record<string, string>;

/** One configurable key as the console sees it: what it is, its default and its current value. */
export interface SettingEntry {
  key: string;
  type: SettingType;
  description: string;
  default: SettingValue;
  value: SettingValue;
  /** Changing it takes effect only after Relaydesk restarts (e.g. a listening port). */
  restartRequired: boolean;
  /** Set from a command-line flag or RELAYDESK_* variable for this run; the stored value applies after restart. */
  overridden: boolean;
  min?: number;
  max?: number;
  /** The only values allowed (shown as a choice). */
  choices?: string[];
  /** A secret (e.g. a password): its value is never sent out; `secretSet` tells whether one is stored. */
  secret?: boolean;
  secretSet?: boolean;
  /** What it is, in plain words (the raw `key` is for the API). */
  label: string;
  /** Where the Settings page shows it (see SETTING_GROUPS). */
  group: SettingGroupId;
  /** What an integer counts, e.g. "minutes". */
  unit?: string;
  /** Saved since Relaydesk started but not in use yet: it applies when Relaydesk restarts. */
  pendingRestart: boolean;
}

/** What one retention cleanup removed. */
export interface CleanupReport {
  at: number;
  /** Mails whose spool file was removed (metadata kept). */
  bodiesPurged: number;
  /** Messages removed whole (with recipients, events, attempts and bounces). */
  messagesDeleted: number;
  /** Old minute/hour statistics buckets dropped (day buckets are kept for ever). */
  statsRowsPruned: number;
  /** Activity log entries older than activity.retentionDays removed. */
  activityDeleted: number;
}
