import type { SettingType, SettingValue } from '@shared/domain/settings';

export interface SettingDef<T extends SettingValue> {
  type: SettingType;
  description: string;
  default: T;
  restartRequired?: boolean;
  min?: number;
  max?: number;
}

const text = (d: Omit<SettingDef<string>, 'type'>): SettingDef<string> => ({ type: 'string', ...d });
const int = (d: Omit<SettingDef<number>, 'type'>): SettingDef<number> => ({ type: 'integer', ...d });

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
      "Host name shops use to reach the relay, shown in the SMTP access data. Empty: the listening address, or this machine's name when listening on all addresses.",
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
  'bounces.domain': text({
    description:
      'Domain of the return path (bounce address) of relayed mail; its MX must point at this machine so bounce reports reach Relaydesk. Empty: not set yet.',
    default: '',
  }),
  'connections.activeDays': int({
    description: 'A connection counts as active when it is enabled and handed in mail within this many days.',
    default: 30,
    min: 1,
    max: 3650,
  }),
} as const satisfies Record<string, SettingDef<SettingValue>>;

export type SettingKey = keyof typeof SETTINGS;
export type Settings = { [K in SettingKey]: (typeof SETTINGS)[K]['default'] };

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTINGS, key);
}
