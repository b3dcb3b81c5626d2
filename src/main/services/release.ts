import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReleaseSigning, ResultOf } from '@shared/api/contract';
import { AppError } from '@shared/api/errors';
import type { ParsedParamsOf } from '@shared/api/schemas';
import { Headers } from '@zone-eu/mailsplit';
import { RelaxedBodyHash } from '../dkim/relaxed-body-hash';
import { dkimSignatures } from '../dkim/signer';
import type { EngineContext } from '../engine/context';
import { parseHeaderBlock } from '../intake/parse-headers';
import { readySetupOf, type SigningSetup } from '../intake/signing-guards';
import type { StoredMessage } from '../store/messages-repo';
import { operatorTransition } from './queue';

type Target = ParsedParamsOf<'messages.release'>['target'];

/**
 * Releasing a sandbox capture: to its captured recipients, or only to an address the operator
 * typed (a new recipient of the mail; the original ones stay captured and hear nothing).
 *
 * A capture of a connection that accepts any sender was kept unsigned, with a From: Relaydesk
 * may have no key for. At its first release it is signed, as intake would have, when its From:
 * domain is a sending domain ready to sign (an active DKIM key, List-Help; any connection's, since
 * the operator releases it). Otherwise it may go out unsigned only to a typed address — the
 * developer's own mailbox, to see it in a real client; to the original recipients (real
 * customers, perhaps) it is refused, naming what the domain lacks.
 */
export function releaseService(ctx: EngineContext) {
  const { store, spool, clock, log } = ctx;

  const find = (id: string): StoredMessage => {
    const m = store.messages.get(id);
    if (!m) {
      throw new AppError(
        'not_found',
        `There is no message ${id}; check the id, or it may have been removed.`,
      );
    }
    return m;
  };

  /** A refusal to sign, as the sentence the operator reads, or the setup to sign with. */
  const setupFor = async (m: StoredMessage): Promise<{ setup: SigningSetup } | { missing: string }> => {
    const domain = store.domains.findByName(m.sendingDomain);
    if (!domain) return { missing: `"${m.sendingDomain}" is not a sending domain of Relaydesk` };
    const ready = await readySetupOf(store.domains, ctx.dkimKeys, domain);
    return 'setup' in ready ? ready : { missing: ready.refuse.text.replace(/ before it can send$/, '') };
  };

  /** Signs a capture kept unsigned, in place: nothing is sending it (checked by the caller). */
  const signKept = async (m: StoredMessage, setup: SigningSetup): Promise<void> => {
    const parts = spool.keptParts(m.id);
    if (!parts) throw new Error(`message ${m.id} is kept unsigned but not in the store`);
    const headers = new Headers(parts.header);
    if (!headers.hasHeader('list-help')) {
      headers.add('List-Help', `<${setup.domain.listHelp}>`, headers.getList().length);
    }
    const header = headers.build();
    const hasher = new RelaxedBodyHash();
    const chunks: Buffer[] = [];
    await pipeline(
      parts.body(),
      hasher,
      new Writable({
        write(chunk: Buffer, _enc, done) {
          if (!parts.bodyFile) chunks.push(chunk);
          done();
        },
      }),
    );
    if (!hasher.bodyHash) throw new Error(`the body of message ${m.id} could not be hashed`);
    const signatures = await dkimSignatures(header, hasher.bodyHash, setup.keys, clock.now());
    const head = Buffer.concat([Buffer.from(signatures, 'latin1'), header]);
    const body = Buffer.concat(chunks);
    const bodyBytes = parts.bodyFile ? m.size - parts.header.length : body.length;
    store.db.transaction(() => {
      store.bodies.replace(m.id, parts.bodyFile ? head : Buffer.concat([head, body]));
      store.messages.recordSigned(
        m.id,
        setup.keys.map((k) => k.id),
        head.length + bodyBytes,
        parseHeaderBlock(head),
      );
    })();
    log.info('signed-at-release', {
      msg: m.id,
      dkim: setup.keys.map((k) => `${k.algorithm}:${k.selector}`).join(','),
    });
  };

  /** Signs the capture now if it was kept unsigned and can be; says how it goes out. */
  const signing = async (m: StoredMessage, target: Target): Promise<ReleaseSigning> => {
    if (store.messages.signingKeyIds(m.id)?.length !== 0) return 'signed';
    const ready = await setupFor(m);
    if ('missing' in ready) {
      if (target.to === 'address') return 'unsigned';
      throw new AppError(
        'conflict',
        `Message ${m.id} was captured unsigned from "${m.from || m.mailFrom}" (its connection accepts any sender), and ${ready.missing}, so it cannot be signed. Set the domain up under Domains & DKIM to release it to its recipients, or release it to your own address.`,
      );
    }
    if (store.queue.recipientsOf(m.id, ['queued', 'deferred', 'sending']).length > 0) {
      throw new AppError(
        'conflict',
        `Message ${m.id} is still being delivered unsigned from an earlier release; release it again once that delivery has ended (it is signed then).`,
      );
    }
    await signKept(m, ready.setup);
    return 'signed-at-release';
  };

  const toAddress = (m: StoredMessage, address: string): { id: string; recipients: number } => {
    if (store.suppressions.find(address)) {
      throw new AppError(
        'conflict',
        `${address} is on the suppression list, so Relaydesk would not send to it; remove it under Bounces & Suppressions, or type another address.`,
        { 'target.address': 'is on the suppression list' },
      );
    }
    store.queue.addRecipient(
      m.id,
      address,
      clock.now(),
      `released to ${address} by the operator; the original recipients were not contacted`,
    );
    log.info('released', { msg: m.id, rcpt: address, to: 'address' });
    const summary = store.messages.summary(m.id);
    if (summary) ctx.events.emit('message.changed', summary);
    ctx.delivery?.kick();
    return { id: m.id, recipients: 1 };
  };

  return {
    async release({ id, target }: ParsedParamsOf<'messages.release'>): Promise<ResultOf<'messages.release'>> {
      const m = find(id);
      if (!m.bodyAvailable) {
        throw new AppError(
          'conflict',
          `Message ${id} can no longer be released: retention removed its body. Have the shop send it again.`,
        );
      }
      if (store.queue.recipientsOf(id, ['captured']).length === 0) {
        throw new AppError(
          'conflict',
          `Message ${id} has no captured recipient, so there is nothing to release: only sandbox captures are released.`,
        );
      }
      // A capture waits outside the queue: its key may have been deleted meanwhile (domains.deleteKey
      // counts only waiting mail). Delivered now, its signature would fail.
      if (store.messages.deletedSigningKeys(id).length > 0) {
        throw new AppError(
          'conflict',
          `Message ${id} was signed with a DKIM key that has been deleted since; released now it would arrive with a failing signature. Have the shop send it again.`,
        );
      }
      const how = await signing(m, target);
      const done =
        target.to === 'address'
          ? toAddress(m, target.address)
          : operatorTransition(ctx, id, 'release', 'release');
      return { ...done, to: target.to, signing: how };
    },
  };
}
