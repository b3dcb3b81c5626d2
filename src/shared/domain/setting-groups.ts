/**
 * How the settings are shown to a person: grouped by what they are doing, each key with a plain
 * label and the unit its number is in. Policy as data, next to src/main/config/settings-schema.ts
 * (which holds type, default, range and description); shared so the console, the API's
 * `settings.get` and docs/settings.md all say the same.
 */

export type SettingGroupId =
  | 'relay'
  | 'delivery'
  | 'bounces'
  | 'quota'
  | 'retention'
  | 'console'
  | 'desktop'
  | 'other';

export interface SettingGroup {
  id: SettingGroupId;
  title: string;
  /** One sentence: what a person does here. */
  help: string;
}

/** In the order the Settings page shows them. `other` catches a key no group names yet. */
export const SETTING_GROUPS: readonly SettingGroup[] = [
  {
    id: 'relay',
    title: 'Relay & TLS',
    help: 'Where shops hand in mail, the certificate they see, and how the relay protects itself from misbehaving clients.',
  },
  {
    id: 'delivery',
    title: 'Delivery & smarthost',
    help: 'How mail leaves: directly to recipient servers, through a smarthost, or on fixed routes; and how long failures are retried.',
  },
  {
    id: 'bounces',
    title: 'Bounces',
    help: 'Where bounce reports and complaints come back, and how much the bounce listener accepts.',
  },
  {
    id: 'quota',
    title: 'Quota & alerts',
    help: 'The demo allowance, the blocks that can be booked, their prices, and when you are warned that quota runs low.',
  },
  {
    id: 'retention',
    title: 'Retention & activity log',
    help: 'How long stored mail, its history and the activity log are kept before the hourly cleanup removes them.',
  },
  {
    id: 'console',
    title: 'Console',
    help: 'Where the headless console listens, under which names it may be opened, and what it counts as active.',
  },
  {
    id: 'desktop',
    title: 'Desktop & notifications',
    help: 'What the desktop app does on this computer: start at login, and which events pop up a notification.',
  },
  {
    id: 'other',
    title: 'Other settings',
    help: 'Settings not sorted into a group yet.',
  },
];

export interface SettingPresentation {
  group: SettingGroupId;
  /** What the setting is, in a few plain words. */
  label: string;
  /** What its number counts (integers only), e.g. "minutes". */
  unit?: string;
}

const relay = (label: string, unit?: string): SettingPresentation => ({ group: 'relay', label, unit });
const delivery = (label: string, unit?: string): SettingPresentation => ({ group: 'delivery', label, unit });
const bounces = (label: string, unit?: string): SettingPresentation => ({ group: 'bounces', label, unit });
const quota = (label: string, unit?: string): SettingPresentation => ({ group: 'quota', label, unit });
const retention = (label: string, unit?: string): SettingPresentation => ({
  group: 'retention',
  label,
  unit,
});
const desktop = (label: string, unit?: string): SettingPresentation => ({ group: 'desktop', label, unit });
const consoleSetting = (label: string, unit?: string): SettingPresentation => ({
  group: 'console',
  label,
  unit,
});

/** Per key, in the order shown within its group. */
export const SETTING_PRESENTATION: Readonly<Record<string, SettingPresentation>> = {
  'smtp.host': relay('Listening address'),
  'smtp.port': relay('SMTP port'),
  'smtp.publicHost': relay('Host name shops connect to'),
  'smtp.tlsCertFile': relay('Own certificate file (PEM)'),
  'smtp.tlsKeyFile': relay('Own private key file (PEM)'),
  'smtp.maxMessageBytes': relay('Largest mail', 'bytes'),
  'smtp.maxRecipients': relay('Recipients per mail', 'recipients'),
  'smtp.authFailureLimit': relay('Failed logins before lockout', 'failed logins'),
  'smtp.authFailureWindowMinutes': relay('Failed-login window', 'minutes'),
  'smtp.lockoutMinutes': relay('Lockout length', 'minutes'),
  'smtp.maxConnections': relay('Sessions at once', 'sessions'),
  'smtp.maxConnectionsPerAddress': relay('Sessions at once per address', 'sessions'),
  'smtp.commandTimeoutSeconds': relay('Command timeout', 'seconds'),
  'smtp.dataTimeoutSeconds': relay('Mail transfer head start', 'seconds'),
  'smtp.minDataBytesPerSecond': relay('Slowest mail transfer pace', 'bytes/second'),
  'smtp.unauthenticatedCommandLimit': relay('Commands before login', 'commands'),
  'delivery.smarthost': delivery('Smarthost (host:port)'),
  'delivery.smarthostTls': delivery('Smarthost encryption'),
  'delivery.smarthostUser': delivery('Smarthost login name'),
  'delivery.smarthostPassword': delivery('Smarthost password'),
  'delivery.smarthostVerifyCertificate': delivery("Check the smarthost's certificate"),
  'delivery.routes': delivery('Fixed routes per recipient domain'),
  'delivery.requireTls': delivery('Never deliver in clear'),
  'delivery.ehloName': delivery('Name given to recipient servers (EHLO)'),
  'delivery.maxConnections': delivery('Outgoing connections at once', 'connections'),
  'delivery.maxConnectionsPerDomain': delivery('Outgoing connections per recipient domain', 'connections'),
  'delivery.retrySchedule': delivery('Waits between retries'),
  'delivery.queueLifetimeHours': delivery('Give up retrying after', 'hours'),
  'delivery.timeoutSeconds': delivery('Recipient server timeout', 'seconds'),
  'bounces.domain': bounces('Bounce domain'),
  'bounces.listen': bounces('Bounce listener address (host:port)'),
  'bounces.maxReportBytes': bounces('Largest bounce report', 'bytes'),
  'bounces.maxConnections': bounces('Connections at once', 'connections'),
  'bounces.maxConnectionsPerAddress': bounces('Connections at once per address', 'connections'),
  'bounces.reportsPerHourPerAddress': bounces('Reports per hour per sending server', 'reports/hour'),
  'quota.demoGrant': quota('Demo allowance of a new install', 'mails'),
  'quota.demoHourlyLimit': quota('Demo hourly limit', 'mails/hour'),
  'quota.blockDays': quota('Block length', 'days'),
  'quota.blockPrices': quota('Blocks and prices (size=euros)'),
  'quota.overagePrice': quota('Price per mail beyond the quota (euros)'),
  'quota.alertThreshold': quota('Warn when remaining quota falls below', 'mails'),
  'alerts.adminEmail': quota('Alert e-mail address'),
  'retention.bodyDays': retention('Keep mail bodies for', 'days'),
  'retention.metadataDays': retention('Keep message history for', 'days'),
  'activity.retentionDays': retention('Keep activity log entries for', 'days'),
  'activity.maxEntries': retention('Most activity log entries', 'entries'),
  'console.host': consoleSetting('Console listening address'),
  'console.port': consoleSetting('Console port'),
  'console.allowedHosts': consoleSetting('Extra host names for the console'),
  'connections.activeDays': consoleSetting('A connection counts as active for', 'days'),
  'desktop.startAtLogin': desktop('Start Relaydesk when I log in'),
  'notify.bounceBurst': desktop('Notify me of a burst of hard bounces'),
  'notify.bounceBurstCount': desktop('Hard bounces in 10 minutes that make a burst', 'bounces'),
  'notify.deliveryStalled': desktop('Notify me when delivery to a domain stalls for an hour'),
  'notify.relayStopped': desktop('Notify me when the relay stops with an error'),
  'notify.quotaLow': desktop('Notify me when quota runs low'),
};

/** How a key is shown; a key without an entry falls back to its raw name under "Other settings". */
export function presentationOf(key: string): SettingPresentation {
  return SETTING_PRESENTATION[key] ?? { group: 'other', label: key };
}

/** Keys in page order: by group, then as listed above; unlisted keys last, in their given order. */
export function orderForPage(keys: readonly string[]): string[] {
  const listed = Object.keys(SETTING_PRESENTATION);
  const rank = (key: string) => {
    const g = SETTING_GROUPS.findIndex((group) => group.id === presentationOf(key).group);
    const i = listed.indexOf(key);
    return g * 1000 + (i < 0 ? 999 : i);
  };
  return [...keys].sort((a, b) => rank(a) - rank(b));
}
