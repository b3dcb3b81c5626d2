import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../engine/clock';

/** How long a ticket may wait for its login: the test mail logs in at once. */
const TICKET_MS = 60_000;
/** Tickets waiting at once; the oldest goes first beyond this. */
const MAX_TICKETS = 100;
/** Real usernames are letters, digits and hyphens (usernameFor): a dot never names a connection. */
const PREFIX = 'relaydesk.test-mail.';

interface Ticket {
  connectionId: string;
  password: Buffer;
  expiresAt: number;
}

/**
 * One-time SMTP logins for a connection, so the console's test mail goes through the relay's own
 * intake — STARTTLS, AUTH, every guard, signing, durable acceptance — without knowing the
 * connection's password (only its scrypt hash is stored). A ticket is random (256 bits), kept in
 * memory only, valid for one login within a minute, and names one connection.
 */
export class LoginTickets {
  private readonly tickets = new Map<string, Ticket>();

  constructor(private readonly clock: Clock) {}

  issue(connectionId: string): { username: string; password: string } {
    const username = `${PREFIX}${randomBytes(8).toString('hex')}`;
    const password = randomBytes(32).toString('base64url');
    this.tickets.set(username, {
      connectionId,
      password: Buffer.from(password),
      expiresAt: this.clock.now() + TICKET_MS,
    });
    if (this.tickets.size > MAX_TICKETS) {
      const oldest = this.tickets.keys().next().value;
      if (oldest !== undefined) this.tickets.delete(oldest);
    }
    return { username, password };
  }

  /** The connection a ticket login names; the ticket is used up whether the password matches or not. */
  redeem(username: string, password: string): string | undefined {
    if (!username.startsWith(PREFIX)) return undefined;
    const ticket = this.tickets.get(username);
    if (!ticket) return undefined;
    this.tickets.delete(username);
    const given = Buffer.from(password);
    const matches = given.length === ticket.password.length && timingSafeEqual(given, ticket.password);
    return matches && this.clock.now() <= ticket.expiresAt ? ticket.connectionId : undefined;
  }

  /** Gives a ticket back unused (the test mail could not even connect). */
  revoke(username: string): void {
    this.tickets.delete(username);
  }
}
