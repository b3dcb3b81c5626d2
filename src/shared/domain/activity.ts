/**
 * The activity log: every SMTP command or session the relay refused, with why. Categories are
 * the product's words for the reason; each has a label and a line for the console and the docs.
 */
export const ACTIVITY_CATEGORIES = [
  'auth-failed',
  'lockout',
  'tls',
  'auth-required',
  'sender-refused',
  'recipient-refused',
  'recipient-suppressed',
  'limit',
  'size',
  'content',
  'timeout',
  'protocol',
  'internal',
] as const;
export type ActivityCategory = (typeof ACTIVITY_CATEGORIES)[number];

export const ACTIVITY_CATEGORY_INFO: Record<ActivityCategory, { label: string; description: string }> = {
  'auth-failed': {
    label: 'Login failed',
    description: 'Wrong username or password, or the connection is disabled or deleted.',
  },
  lockout: { label: 'Locked out', description: 'Too many failed logins from the client address.' },
  tls: {
    label: 'TLS',
    description: 'A login or mail before STARTTLS, or a TLS handshake that failed.',
  },
  'auth-required': { label: 'Not logged in', description: 'Mail sent without logging in first.' },
  'sender-refused': {
    label: 'Sender refused',
    description:
      'The connection is disabled, or the From: domain is not a sending domain of the connection (or has no DKIM key or List-Help).',
  },
  'recipient-refused': { label: 'Recipient refused', description: 'A recipient address that is not valid.' },
  'recipient-suppressed': {
    label: 'Suppressed recipient',
    description: 'A recipient on the suppression list (hard bounce, complaint or added by hand).',
  },
  limit: {
    label: 'Limit',
    description:
      "The connection's hourly limit, the demo's hourly limit, too many recipients, connections or commands before login.",
  },
  size: { label: 'Size', description: 'The mail or its header section is larger than allowed.' },
  content: {
    label: 'Content',
    description: 'The mail has a form Relaydesk refuses (an SMTP smuggling pattern).',
  },
  timeout: { label: 'Too slow', description: 'A command or the mail did not arrive in time.' },
  protocol: {
    label: 'Protocol',
    description: 'A command out of order, with bad syntax or unknown to Relaydesk.',
  },
  internal: {
    label: 'Internal',
    description:
      'Relaydesk could not handle the command (a store or disk problem); the client was asked to retry.',
  },
};

/** One refused command or session. */
export interface ActivityEntry {
  id: number;
  /** When the refusal went out (ms since the epoch). */
  at: number;
  /** The client's IP address. */
  clientAddress: string;
  /** The logged-in connection, or the one whose username a failed login tried; null if none. */
  connectionId: string | null;
  /** Its name when the entry was recorded. */
  connectionName: string | null;
  /** The username a failed login tried (null for other refusals). */
  username: string | null;
  /** The refused command line (AUTH without its credentials); empty for a refusal at connect. */
  command: string;
  /** The full reply: code, enhanced status code and text; or what failed, for a TLS handshake. */
  reply: string;
  category: ActivityCategory;
  /** A mail refused after login: counted as "Rejected" on the Dashboard. */
  rejectedMail: boolean;
}
