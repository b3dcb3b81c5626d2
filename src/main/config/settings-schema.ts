// Relative, not @shared: scripts/api-docs.ts loads this file with tsx, which does not know the alias.

import type { SettingType, SettingValue } from '@shared/domain/settings';
import { parseHostNames } from '../../shared/domain/host-names';

export interface SettingDef<T extends SettingValue> {
  type: SettingType;
  description: string;
  default: T;
  restartRequired?: boolean;
  min?: number;
  max?: number;
  choices?: readonly string[];
  secret?: boolean;
  /** Extra check of a value of the right type: a message saying what is expected, or undefined. */
  check?(value: T): string | undefined;
}

const text = (d: Omit<SettingDef<string>, 'type'>): SettingDef<string> => ({ type: 'string', ...d });
const int = (d: Omit<SettingDef<number>, 'type'>): SettingDef<number> => ({ type: 'integer', ...d });
const flag = (d: Omit<SettingDef<boolean>, 'type'>): SettingDef<boolean> => ({ type: 'boolean', ...d });
const hostPort = (d: Omit<SettingDef<string>, 'type'>): SettingDef<string> => ({ type: 'hostPort', ...d });
const routeMap = (
  d: Omit<SettingDef<Record<string, string>>, 'type'>,
): SettingDef<Record<string, string>> => ({
  type: 'routeMap',
  ...d,
});

const MiB = 1024 * 1024;

/** Every configurable key: its type, what it does and its default. Policy lives here, not in code. */
export const SETTINGS = {
  'smtp.host': text({
    description:
      'Address the SMTP relay listens on. 127.0.0.1 accepts only this machine; 0.0.0.0 also accepts shops on other machines.',
    default: '127.0.0.1',
    restartRequired: true,
  }),
  'smtp.port': int({
    description: 'Port of the SMTP relay (STARTTLS). 0 picks a free port at start.',
    default: 2525,
    min: 0,
    max: 65535,
    restartRequired: true,
  }),
  'smtp.publicHost': text({
    description:
      "Host name shops use to reach the relay, shown in the SMTP access data and the shop setup snippets. Empty: the listening address, or this machine's name when listening on all addresses. The generated certificate is issued again (new fingerprint) when it does not name this host.",
    default: '',
  }),
  'smtp.tlsCertFile': text({
    description:
      'Path of your own PEM certificate (chain) for STARTTLS. Empty: the self-signed certificate Relaydesk generated on first start.',
    default: '',
  }),
  'smtp.tlsKeyFile': text({
    description: 'Path of the PEM private key belonging to smtp.tlsCertFile.',
    default: '',
  }),
  'smtp.maxMessageBytes': int({
    description: 'Largest mail accepted, in bytes (advertised as SIZE; larger mails get 552 5.3.4).',
    default: 30 * MiB,
    min: 1024,
    max: 200 * MiB,
  }),
  'smtp.maxRecipients': int({
    description:
      'Most recipients one mail may have; more get 452 4.5.3 so the client sends the rest separately.',
    default: 50,
    min: 1,
    max: 1000,
  }),
  'smtp.authFailureLimit': int({
    description: 'Failed logins from one IP address, within the failure window, that lock that address out.',
    default: 10,
    min: 1,
    max: 1000,
  }),
  'smtp.authFailureWindowMinutes': int({
    description: 'Window, in minutes, over which failed logins are counted.',
    default: 10,
    min: 1,
    max: 1440,
  }),
  'smtp.lockoutMinutes': int({
    description: 'How long, in minutes, an IP address stays locked out after too many failed logins.',
    default: 15,
    min: 1,
    max: 10080,
  }),
  'smtp.maxConnections': int({
    description:
      'Most SMTP sessions open at once over all clients; one more gets 421 4.7.0 and is asked to try again later.',
    default: 200,
    min: 1,
    max: 10000,
  }),
  'smtp.maxConnectionsPerAddress': int({
    description:
      'Most SMTP sessions open at once from one IP address; one more gets 421 4.7.0 and is asked to try again later.',
    default: 20,
    min: 1,
    max: 10000,
  }),
  'smtp.commandTimeoutSeconds': int({
    description:
      'Time, in seconds, a client has from a reply to the complete next command (also while idle); past it the session gets 421 4.4.2 and is closed, however slowly the bytes trickle in.',
    default: 60,
    min: 1,
    max: 3600,
  }),
  'smtp.dataTimeoutSeconds': int({
    description:
      'Head start, in seconds, the DATA of a mail gets before its pace counts: DATA may take this long plus one second for every smtp.minDataBytesPerSecond bytes received; past that the session gets 421 4.4.2, is closed and nothing is stored.',
    default: 60,
    min: 1,
    max: 3600,
  }),
  'smtp.minDataBytesPerSecond': int({
    description:
      'Slowest average pace of DATA, in bytes per second, after the smtp.dataTimeoutSeconds head start. The default (8 KiB/s, 64 kbit/s) lets a 30 MiB mail through in about 65 minutes, slower than any office line.',
    default: 8192,
    min: 1,
    max: 100 * MiB,
  }),
  'smtp.unauthenticatedCommandLimit': int({
    description:
      'Commands a session may send before it has logged in (EHLO, STARTTLS, NOOP, AUTH and its lines all count); the next one gets 421 4.7.0 and the session is closed.',
    default: 20,
    min: 5,
    max: 1000,
  }),
  'console.host': text({
    description: 'Address the headless console (HTTP API and web console) listens on.',
    default: '127.0.0.1',
    restartRequired: true,
  }),
  'console.port': int({
    description: 'Port of the headless console. 0 picks a free port at start.',
    default: 2580,
    min: 0,
    max: 65535,
    restartRequired: true,
  }),
  'console.allowedHosts': text({
    description:
      'Host names, comma-separated, under which the headless console may be opened besides localhost, IP addresses and console.host. Add the name you type into the browser when you reach the console by a LAN name (relay.lan) or through a reverse proxy that keeps its own Host header; any other name is refused (403), so a web page cannot reach the console by pointing a name of its own at this machine (DNS rebinding).',
    default: '',
    check: (v) =>
      parseHostNames(v) === undefined
        ? 'host names separated by commas, without port or scheme, e.g. "relay.lan, relay.example.com"'
        : undefined,
  }),
  'bounces.listen': text({
    description:
      "Address (host:port) of Relaydesk's bounce listener, which receives bounce reports and complaints for the return paths of relayed mail. The bounce domain's MX must reach it (usually port 25, forwarded).",
    default: '127.0.0.1:2526',
    restartRequired: true,
    check: (v) =>
      /^[^\s:]+:\d{1,5}$|^\[[0-9A-Fa-f:.]+\]:\d{1,5}$/.test(v)
        ? undefined
        : 'must be host:port, e.g. 0.0.0.0:25',
  }),
  'bounces.domain': text({
    description:
      'Domain of the return path (bounce address) of relayed mail; its MX must point at this machine so bounce reports reach Relaydesk. Empty: not set yet.',
    default: '',
  }),
  'bounces.maxReportBytes': int({
    description:
      'Largest bounce report the bounce listener takes, in bytes (advertised as SIZE; larger reports get 552 5.3.4 and nothing is kept). Reports carry headers and sometimes the returned mail; 2 MiB holds nearly all.',
    default: 2 * MiB,
    min: 64 * 1024,
    max: 25 * MiB,
  }),
  'bounces.maxConnections': int({
    description:
      'Most connections the bounce listener holds at once; more get 421 4.7.0 and are asked to try again later, as mail servers do.',
    default: 20,
    min: 1,
    max: 1000,
  }),
  'bounces.maxConnectionsPerAddress': int({
    description:
      'Most connections one address may hold to the bounce listener at once, so one sender cannot take every place; more get 421 4.7.0.',
    default: 5,
    min: 1,
    max: 1000,
  }),
  'bounces.reportsPerHourPerAddress': int({
    description:
      'Most bounce reports one sending server may hand over per hour (counted per IPv4 address, per /64 for IPv6), paid back evenly over the hour so a burst of this many is allowed; beyond it 450 4.7.1 asks the server to try again later.',
    default: 120,
    min: 1,
    max: 100_000,
  }),
  'delivery.routes': routeMap({
    description:
      'Per recipient domain, deliver to this host:port instead of looking up its MX (checked before the smarthost). Add " require-tls" after the port to refuse sending in clear on that route. Also how tests point delivery at a local sink.',
    default: {},
  }),
  'delivery.smarthost': hostPort({
    description:
      'Send all mail through this relay (host:port) instead of looking up MX records. Empty: deliver directly.',
    default: '',
  }),
  'delivery.smarthostTls': text({
    description:
      'TLS towards the smarthost: starttls (required), opportunistic (STARTTLS when offered), implicit (TLS from the start, e.g. port 465) or none.',
    default: 'starttls',
    choices: ['starttls', 'opportunistic', 'implicit', 'none'],
  }),
  'delivery.smarthostUser': text({
    description: 'Login name at the smarthost. Empty: no login.',
    default: '',
  }),
  'delivery.smarthostPassword': text({
    description:
      'Password at the smarthost. Stored encrypted (the OS keychain on the desktop, a key file in the data folder headless); never shown again.',
    default: '',
    secret: true,
  }),
  'delivery.smarthostVerifyCertificate': flag({
    description:
      "Check the smarthost's TLS certificate against the system's trusted authorities and its host name.",
    default: true,
  }),
  'delivery.requireTls': flag({
    description:
      'When a recipient server does not offer STARTTLS, defer the mail instead of sending it in clear (MX delivery; routes have their own flag).',
    default: false,
  }),
  'delivery.ehloName': text({
    description: "Name Relaydesk gives itself in EHLO when delivering. Empty: this machine's host name.",
    default: '',
  }),
  'delivery.maxConnections': int({
    description: 'Most outgoing SMTP connections at once, over all destinations.',
    default: 50,
    min: 1,
    max: 1000,
  }),
  'delivery.maxConnectionsPerDomain': int({
    description: 'Most outgoing SMTP connections at once to one recipient domain.',
    default: 5,
    min: 1,
    max: 100,
  }),
  'delivery.retrySchedule': text({
    description:
      'Waits between delivery attempts after a temporary failure, in order; the last one repeats. Units s, m, h, d.',
    default: '5m, 10m, 20m, 40m, 1h, 2h, 4h',
    check: (v) => (parseSchedule(v) ? undefined : 'list durations like "5m, 10m, 1h" (units s, m, h, d)'),
  }),
  'delivery.queueLifetimeHours': int({
    description:
      'How long Relaydesk keeps retrying a temporarily failing recipient before it gives up (expired).',
    default: 48,
    min: 1,
    max: 24 * 30,
  }),
  'delivery.timeoutSeconds': int({
    description:
      'How long a recipient server may stay silent (connecting, greeting, any reply) before the attempt counts as failed.',
    default: 60,
    min: 5,
    max: 600,
  }),
  'quota.demoGrant': int({
    description:
      'Mails a new install may send on the demo, before any block is booked. Granted once, at the first start; changing it later does not change a grant already made.',
    default: 1000,
    min: 0,
    max: 1_000_000,
  }),
  'quota.demoHourlyLimit': int({
    description: 'While on the demo (no active block), at most this many mails an hour; more get 451 4.7.1.',
    default: 25,
    min: 1,
    max: 100_000,
  }),
  'quota.blockDays': int({
    description:
      'How long a booked block lasts; unused quota then expires and the block renews unless auto-renew is off.',
    default: 30,
    min: 1,
    max: 366,
  }),
  'quota.blockPrices': text({
    description:
      'The blocks that can be booked: size=price in euros, comma-separated. The smallest block is 25,000 mails.',
    default: '25000=19.00, 50000=35.00, 100000=65.00, 250000=150.00',
    check: (v) =>
      parseBlockPrices(v)
        ? undefined
        : 'list size=price pairs like "25000=19.00, 50000=35.00" (sizes of at least 25000)',
  }),
  'quota.overagePrice': text({
    description: 'Price per mail, in euros, of mail sent beyond the quota (billed on the next statement).',
    default: '0.00095',
    check: (v) => (parseEuroMicros(v) === undefined ? 'a price in euros like 0.00095' : undefined),
  }),
  'quota.alertThreshold': int({
    description:
      'When the remaining quota falls below this, the admin gets one alert mail and the console a banner (again only after it has risen above). 0: no alert.',
    default: 0,
    min: 0,
    max: 100_000_000,
  }),
  'alerts.adminEmail': text({
    description:
      'Where Relaydesk sends its own alerts (low quota). Empty: no alert mail, only the console banner.',
    default: '',
    check: (v) =>
      v === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) ? undefined : 'must be an e-mail address',
  }),
  'connections.activeDays': int({
    description: 'A connection counts as active when it is enabled and handed in mail within this many days.',
    default: 30,
    min: 1,
    max: 3650,
  }),
  'retention.bodyDays': int({
    description:
      'Days a mail body (the stored source, preview, attachments) is kept; then it is removed and only its metadata stays. 0: keep for ever. Mail still waiting for delivery is never removed.',
    default: 30,
    min: 0,
    max: 36_500,
  }),
  'retention.metadataDays': int({
    description:
      "Days a message's metadata (envelope, recipients, events, attempts, bounces) is kept; then the message is removed whole. Statistics are kept. 0: keep for ever.",
    default: 365,
    min: 0,
    max: 36_500,
  }),
  'activity.maxEntries': int({
    description:
      'Most entries the activity log (refused SMTP commands and sessions) keeps; beyond it the oldest are removed as new ones come in.',
    default: 100_000,
    min: 100,
    max: 10_000_000,
  }),
  'activity.retentionDays': int({
    description:
      'Days an activity log entry is kept; older ones are removed by the hourly cleanup. 0: keep them until activity.maxEntries pushes them out.',
    default: 90,
    min: 0,
    max: 36_500,
  }),
  'desktop.startAtLogin': flag({
    description:
      'Desktop app: open Relaydesk (in the tray) when you log in to this computer, so the relay runs without anyone starting it. Also in the tray menu. Headless: no effect (use your service manager).',
    default: false,
  }),
  'notify.bounceBurst': flag({
    description:
      'Desktop app: a notification when notify.bounceBurstCount or more hard bounces arrive within 10 minutes (at most one every 30 minutes).',
    default: true,
  }),
  'notify.bounceBurstCount': int({
    description: 'How many hard bounces within 10 minutes count as a burst (notify.bounceBurst).',
    default: 10,
    min: 2,
    max: 100_000,
  }),
  'notify.deliveryStalled': flag({
    description:
      'Desktop app: a notification when mail to a recipient domain has been deferred for an hour (at most one per domain every 6 hours).',
    default: true,
  }),
  'notify.relayStopped': flag({
    description: 'Desktop app: a notification when the relay stops with an error (a damaged or full store).',
    default: true,
  }),
  'notify.quotaLow': flag({
    description:
      'Desktop app: a notification when the remaining quota falls below quota.alertThreshold (once per crossing, like the alert mail).',
    default: true,
  }),
} as const satisfies Record<string, SettingDef<SettingValue>>;

const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "5m, 10m, 1h" → milliseconds; undefined when any part is not a duration. */
export function parseSchedule(text: string): number[] | undefined {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    const m = /^(\d+)\s*([smhd])$/i.exec(p);
    if (!m?.[1] || !m[2]) return undefined;
    const ms = Number(m[1]) * (UNITS[m[2].toLowerCase()] ?? 0);
    if (ms <= 0) return undefined;
    out.push(ms);
  }
  return out;
}

/** "0.00095" → 950 micro-euros; undefined when it is not a price with at most 6 decimals. */
export function parseEuroMicros(text: string): number | undefined {
  const m = /^\s*(\d+)(?:\.(\d{1,6}))?\s*$/.exec(text);
  if (!m?.[1]) return undefined;
  return Number(m[1]) * 1_000_000 + Number((m[2] ?? '').padEnd(6, '0'));
}

/** "25000=19.00, 50000=35.00" → sizes and prices (micro-euros), smallest first; undefined when malformed. */
export function parseBlockPrices(text: string): { size: number; priceMicros: number }[] | undefined {
  const offers: { size: number; priceMicros: number }[] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [size, price] = part.split('=').map((p) => p.trim());
    const priceMicros = parseEuroMicros(price ?? '');
    if (!size || !/^\d+$/.test(size) || Number(size) < 25_000 || priceMicros === undefined) return undefined;
    offers.push({ size: Number(size), priceMicros });
  }
  return offers.length > 0 ? offers.sort((a, b) => a.size - b.size) : undefined;
}

export type SettingKey = keyof typeof SETTINGS;
export type Settings = { [K in SettingKey]: (typeof SETTINGS)[K]['default'] };

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTINGS, key);
}
