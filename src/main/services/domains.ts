import { randomBytes } from 'node:crypto';
import { domainToASCII } from 'node:url';
import type { ResultOf } from '@shared/api/contract';
import { AppError } from '@shared/api/errors';
import type { ParsedParamsOf } from '@shared/api/schemas';
import { isValidDomain } from '@shared/domain/address';
import type { DkimAlgorithm, SendingDomain } from '@shared/domain/sending-domain';
import { checkDomainDns } from '../dkim/dns-check';
import { generateDkimKey, importDkimKey, type KeyMaterial } from '../dkim/keys';
import type { EngineContext } from '../engine/context';
import type { DomainRecord, KeyRecord } from '../store/domains-repo';
import { connectionView } from './connection-view';
import { domainView, keyView } from './domain-view';

const newId = (prefix: string) => prefix + randomBytes(6).toString('hex');
const mails = (n: number) => `${n.toLocaleString('en')} ${n === 1 ? 'mail' : 'mails'}`;

export function domainsService(ctx: EngineContext) {
  const { store, clock, events, log, dkimKeys } = ctx;
  const repo = store.domains;

  const find = (id: string): DomainRecord => {
    const d = repo.get(id);
    if (!d)
      throw new AppError(
        'not_found',
        `There is no sending domain ${id}; it may have been deleted. Reload the list.`,
      );
    return d;
  };

  const findKey = (id: string): KeyRecord => {
    const k = repo.getKey(id);
    if (!k)
      throw new AppError(
        'not_found',
        `There is no DKIM key ${id}; it may have been deleted. Reload the list.`,
      );
    return k;
  };

  const view = (id: string): SendingDomain => {
    const v = domainView(ctx, id);
    if (!v) throw new AppError('not_found', `There is no sending domain ${id}.`);
    return v;
  };

  const publish = (id: string): SendingDomain => {
    const v = view(id);
    events.emit('domain.changed', v);
    return v;
  };

  const publishConnections = (ids: Iterable<string>) => {
    for (const id of new Set(ids)) {
      const c = store.connections.get(id);
      if (c) events.emit('connection.changed', connectionView(ctx, c));
    }
  };

  const requireConnections = (ids: string[]) => {
    const unknown = ids.filter((c) => !store.connections.get(c));
    if (unknown.length > 0) {
      throw new AppError(
        'invalid_params',
        `There is no connection ${unknown.join(', ')}; reload the list of connections.`,
        {
          connectionIds: 'pick connections from the list',
        },
      );
    }
  };

  /** `rd202611` (RSA) or `rd202611e` (Ed25519), with -2, -3… when taken. */
  const defaultSelector = (domainId: string, algorithm: DkimAlgorithm): string => {
    const d = new Date(clock.now());
    const base = `rd${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${algorithm === 'ed25519-sha256' ? 'e' : ''}`;
    const taken = new Set(repo.keysOf(domainId).map((k) => k.selector));
    let selector = base;
    for (let n = 2; taken.has(selector); n++) selector = `${base}-${n}`;
    return selector;
  };

  /** Stores a key: the private part as a 0600 file, the rest in the store. Active unless one of its algorithm already is. */
  const addKey = async (
    domainId: string,
    material: KeyMaterial,
    selector: string | undefined,
    source: KeyRecord['source'],
  ): Promise<KeyRecord> => {
    const chosen = selector || defaultSelector(domainId, material.algorithm);
    if (repo.keysOf(domainId).some((k) => k.selector === chosen)) {
      throw new AppError(
        'conflict',
        `Selector "${chosen}" is already used by a key of this domain; choose another.`,
        {
          selector: 'is already used by another key of this domain',
        },
      );
    }
    const hasActive = repo
      .keysOf(domainId)
      .some((k) => k.state === 'active' && k.algorithm === material.algorithm);
    const key: KeyRecord = {
      id: newId('k'),
      domainId,
      selector: chosen,
      algorithm: material.algorithm,
      bits: material.bits,
      publicKey: material.publicKeyBase64,
      state: hasActive ? 'standby' : 'active',
      source,
      createdAt: clock.now(),
    };
    await dkimKeys.save(key.id, material.privateKeyPem);
    try {
      repo.insertKey(key);
    } catch (err) {
      await dkimKeys.remove(key.id);
      throw err;
    }
    log.info('dkim-key-added', {
      domain: domainId,
      key: key.id,
      selector: key.selector,
      algo: key.algorithm,
      state: key.state,
    });
    return key;
  };

  return {
    list: (): ResultOf<'domains.list'> => repo.list().map((d) => view(d.id)),

    get: ({ id }: ParsedParamsOf<'domains.get'>) => view(find(id).id),

    async create(p: ParsedParamsOf<'domains.create'>): Promise<ResultOf<'domains.create'>> {
      const typed = p.domain.toLowerCase().replace(/\.$/, '');
      const domain = domainToASCII(typed);
      if (!domain || !isValidDomain(domain)) {
        throw new AppError('invalid_params', `"${p.domain}" is not a domain name.`, {
          domain: 'enter a domain like shop.example (no @, no https://)',
        });
      }
      if (repo.findByName(domain)) {
        throw new AppError(
          'conflict',
          `${typed} is already a sending domain; pick it from the list instead.`,
          {
            domain: 'is already a sending domain',
          },
        );
      }
      requireConnections(p.connectionIds);
      const record: DomainRecord = {
        id: newId('d'),
        domain,
        listHelp: p.listHelp,
        createdAt: clock.now(),
        lastDnsCheck: null,
      };
      repo.insert(record, p.connectionIds);
      log.info('domain-created', { domain: record.domain, id: record.id });
      if (p.key) {
        try {
          await addKey(record.id, await generateDkimKey(p.key.algorithm), p.key.selector, 'generated');
        } catch (err) {
          repo.delete(record.id);
          throw err;
        }
      }
      publishConnections(p.connectionIds);
      return publish(record.id);
    },

    update(p: ParsedParamsOf<'domains.update'>): ResultOf<'domains.update'> {
      find(p.id);
      const before = repo.connectionIdsOf(p.id);
      if (p.connectionIds) requireConnections(p.connectionIds);
      store.db.transaction(() => {
        if (p.listHelp !== undefined) repo.setListHelp(p.id, p.listHelp);
        if (p.connectionIds) repo.setConnections(p.id, p.connectionIds);
      })();
      if (p.connectionIds) publishConnections([...before, ...p.connectionIds]);
      return publish(p.id);
    },

    async delete({ id }: ParsedParamsOf<'domains.delete'>): Promise<ResultOf<'domains.delete'>> {
      const d = find(id);
      const keys = repo.keysOf(id);
      const connections = repo.connectionIdsOf(id);
      const waiting = store.db.transaction(() => {
        const n = repo.waitingMailSignedWith(d.domain, keys);
        if (n === 0) repo.delete(id);
        return n;
      })();
      if (waiting > 0) {
        throw new AppError(
          'conflict',
          `${mails(waiting)} waiting for delivery ${waiting === 1 ? 'is' : 'are'} signed with a DKIM key of ${d.domain}; deleting the domain now would make ${waiting === 1 ? 'its signature' : 'their signatures'} fail once the key's DNS record is gone. Wait until ${waiting === 1 ? 'it is' : 'they are'} delivered, or cancel ${waiting === 1 ? 'it' : 'them'} under Queue, then delete the domain.`,
        );
      }
      await Promise.all(keys.map((k) => dkimKeys.remove(k.id)));
      log.info('domain-deleted', { id });
      events.emit('domain.deleted', { id });
      publishConnections(connections);
      return { id };
    },

    async generateKey(p: ParsedParamsOf<'domains.generateKey'>): Promise<ResultOf<'domains.generateKey'>> {
      const d = find(p.domainId);
      const key = await addKey(d.id, await generateDkimKey(p.algorithm), p.selector, 'generated');
      return { domain: publish(d.id), key: keyView(d.domain, key) };
    },

    async importKey(p: ParsedParamsOf<'domains.importKey'>): Promise<ResultOf<'domains.importKey'>> {
      const d = find(p.domainId);
      const imported = importDkimKey(p.privateKeyPem);
      const key = await addKey(d.id, imported, p.selector, 'imported');
      return { domain: publish(d.id), key: keyView(d.domain, key), warnings: imported.warnings };
    },

    activateKey({ keyId }: ParsedParamsOf<'domains.activateKey'>): ResultOf<'domains.activateKey'> {
      const key = findKey(keyId);
      repo.activateKey(key);
      log.info('dkim-key-activated', { domain: key.domainId, key: key.id, selector: key.selector });
      return publish(key.domainId);
    },

    /**
     * Refused while waiting mail carries the key's signature: the spool file is sent byte for
     * byte, so that mail would go out with a signature whose key (and soon DNS record) is gone.
     * The count and the delete are one transaction, and storing a mail checks its keys in its own
     * (MessagesRepo.recordAccepted), so a mail signed in the meantime is either counted or refused.
     */
    async deleteKey({ keyId }: ParsedParamsOf<'domains.deleteKey'>): Promise<ResultOf<'domains.deleteKey'>> {
      const key = findKey(keyId);
      const d = find(key.domainId);
      const waiting = store.db.transaction(() => {
        const n = repo.waitingMailSignedWith(d.domain, [key]);
        if (n === 0) repo.deleteKey(key.id);
        return n;
      })();
      if (waiting > 0) {
        log.info('dkim-key-kept', { domain: key.domainId, key: key.id, selector: key.selector, waiting });
        throw new AppError(
          'conflict',
          `${mails(waiting)} waiting for delivery ${waiting === 1 ? 'is' : 'are'} signed with the key "${key.selector}"; deleting it now would make ${waiting === 1 ? 'its signature' : 'their signatures'} fail once the key's DNS record is gone. Wait until ${waiting === 1 ? 'it is' : 'they are'} delivered, or cancel ${waiting === 1 ? 'it' : 'them'} under Queue, then delete the key.${key.state === 'active' ? ' To keep new mail off this key meanwhile, make another key active first.' : ''}`,
        );
      }
      await dkimKeys.remove(key.id);
      log.info('dkim-key-deleted', { domain: key.domainId, key: key.id, selector: key.selector });
      return publish(key.domainId);
    },

    async checkDns({ id }: ParsedParamsOf<'domains.checkDns'>): Promise<ResultOf<'domains.checkDns'>> {
      const d = find(id);
      const result = await checkDomainDns(
        ctx.resolver,
        d.domain,
        view(id).keys,
        ctx.settings.get('bounces.domain'),
        clock.now(),
      );
      repo.saveDnsCheck(id, result);
      return { domain: publish(id), result };
    },
  };
}
