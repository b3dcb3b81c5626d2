export const CONNECTION_MODES = ['live', 'sandbox'] as const;
export type ConnectionMode = (typeof CONNECTION_MODES)[number];

/** A connected system (web shop, booking system, CRM) that hands mail to Relaydesk over SMTP. */
export interface Connection {
  id: string;
  name: string;
  enabled: boolean;
  mode: ConnectionMode;
  /** Mails per hour this connection may hand in; null = no limit of its own. */
  hourlyLimit: number | null;
  username: string;
  createdAt: number;
  passwordChangedAt: number;
  lastActivityAt: number | null;
  /** Sending domains this connection may send from. */
  domainIds: string[];
  /**
   * Sandbox only: mail from any From address is captured, unsigned, without a sending domain,
   * DKIM key or List-Help (as local mail catchers do). Always false for a live connection.
   */
  acceptsAnySender: boolean;
  /** Derived: enabled and handed in mail within the active window (setting `connections.activeDays`). */
  activity: ConnectionActivity;
}

export type ConnectionActivity = 'active' | 'inactive';

/** SMTP access data, returned once by connections.create and connections.rotatePassword. */
export interface SmtpAccess {
  host: string;
  port: number;
  security: 'STARTTLS';
  username: string;
  password: string;
}

const DAY_MS = 86_400_000;

export function activityOf(
  c: { enabled: boolean; lastActivityAt: number | null },
  now: number,
  activeDays: number,
): ConnectionActivity {
  if (!c.enabled || c.lastActivityAt === null) return 'inactive';
  return now - c.lastActivityAt <= activeDays * DAY_MS ? 'active' : 'inactive';
}

/**
 * Which From: addresses a connection's mail may carry (policy as data; see intake/sender-policy.ts):
 * `sending-domain` — a sending domain of the connection, signed; `any-sender` — any, unsigned,
 * captured. Only a sandbox connection can ever be `any-sender`: its mail is never delivered
 * unless the operator releases it.
 */
export type SenderPolicy = 'sending-domain' | 'any-sender';

export function senderPolicyOf(c: { mode: ConnectionMode; acceptsAnySender: boolean }): SenderPolicy {
  return c.mode === 'sandbox' && c.acceptsAnySender ? 'any-sender' : 'sending-domain';
}

/** A new sandbox connection accepts any sender unless told otherwise; a live one never does. */
export const acceptsAnySenderByDefault = (mode: ConnectionMode): boolean => mode === 'sandbox';

/** The form of a connection name that must be unique: trimmed, without case ("Webshop" = "webshop "). */
export const connectionNameKey = (name: string): string => name.trim().toLocaleLowerCase('en-US');

/** The connection other than `exceptId` that already has this name (compared without case), if any. */
export function connectionNamedLike<C extends { id: string; name: string }>(
  connections: readonly C[],
  name: string,
  exceptId?: string,
): C | undefined {
  const key = connectionNameKey(name);
  return connections.find((c) => c.id !== exceptId && connectionNameKey(c.name) === key);
}

/** Why this name cannot be used (another connection has it, compared without case), for the name field; else undefined. */
export function connectionNameProblem(
  connections: readonly { id: string; name: string }[],
  name: string,
  exceptId?: string,
): string | undefined {
  const taken = connectionNamedLike(connections, name, exceptId);
  if (!taken) return undefined;
  return `is already the name of another connection ("${taken.name}"); names are compared without case. Choose another name, e.g. "${taken.name} 2".`;
}
