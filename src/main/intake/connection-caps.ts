import { type SmtpReply, smtpReply } from './smtp-reply';

export interface ConnectionCapsPolicy {
  /** Sessions open at once over all clients. */
  total: number;
  /** Sessions open at once from one IP address. */
  perAddress: number;
}

/**
 * How many SMTP sessions are open, in total and per client address. A session is admitted when
 * it is about to be greeted and counted until its connection closes; one beyond a cap is refused
 * with 421 4.7.0 before it is greeted. smtp-server's own `maxClients` is not used: it has no
 * per-address cap and its reply carries no enhanced status code and does not name the limit.
 */
export class ConnectionCaps {
  /** Admitted session id → client address. */
  private readonly sessions = new Map<string, string>();
  private readonly perAddress = new Map<string, number>();

  constructor(private readonly policy: () => ConnectionCapsPolicy) {}

  /** Admits the session, or returns the refusal that names the cap it would exceed. */
  admit(sessionId: string, address: string): SmtpReply | undefined {
    if (this.sessions.has(sessionId)) return undefined;
    const { total, perAddress } = this.policy();
    const fromAddress = this.perAddress.get(address) ?? 0;
    if (fromAddress >= perAddress) {
      return smtpReply(
        421,
        '4.7.0',
        `Too many connections from ${address} (at most ${perAddress} at once); close idle connections or try again later`,
      );
    }
    if (this.sessions.size >= total) {
      return smtpReply(
        421,
        '4.7.0',
        `Relaydesk is serving its limit of ${total} connections at once; try again later`,
      );
    }
    this.sessions.set(sessionId, address);
    this.perAddress.set(address, fromAddress + 1);
    return undefined;
  }

  /** The session's connection closed; does nothing for a session that was never admitted. */
  release(sessionId: string): void {
    const address = this.sessions.get(sessionId);
    if (address === undefined) return;
    this.sessions.delete(sessionId);
    const left = (this.perAddress.get(address) ?? 1) - 1;
    if (left > 0) this.perAddress.set(address, left);
    else this.perAddress.delete(address);
  }

  get open(): number {
    return this.sessions.size;
  }
}
