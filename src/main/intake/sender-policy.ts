import type { SenderPolicy } from '@shared/domain/connection';
import type { DkimKeyStore } from '../dkim/key-store';
import type { ConnectionRecord } from '../store/connections-repo';
import type { DomainsRepo } from '../store/domains-repo';
import { type SigningSetup, signingSetupFor } from './signing-guards';
import type { SmtpReply } from './smtp-reply';

/** What intake does with a mail's From: domain: sign it with this setup, keep it unsigned (null), or refuse. */
export type FromDecision = { setup: SigningSetup | null } | { refuse: SmtpReply };

export interface SenderRules {
  /** Said in the log line of an accepted mail. */
  describe: string;
  decideFrom(
    deps: { domains: DomainsRepo; keyStore: DkimKeyStore },
    connection: ConnectionRecord,
    fromDomain: string,
  ): Promise<FromDecision>;
}

/**
 * What each sender policy asks of a mail's From: (see `senderPolicyOf`: only a sandbox
 * connection can be `any-sender`). `sending-domain` runs the checklist of signing-guards.ts (a
 * sending domain of the connection, an active DKIM key, List-Help) and signs; `any-sender` asks
 * for nothing and signs nothing — the mail is captured as the shop sent it, plus Relaydesk's
 * trace, Message-ID and Date. A release later signs it when it can (services/release.ts).
 */
export const SENDER_RULES: Record<SenderPolicy, SenderRules> = {
  'sending-domain': {
    describe: 'signed',
    decideFrom: ({ domains, keyStore }, connection, fromDomain) =>
      signingSetupFor(domains, keyStore, connection, fromDomain),
  },
  'any-sender': {
    describe: 'unsigned (accepts any sender)',
    decideFrom: async () => ({ setup: null }),
  },
};
