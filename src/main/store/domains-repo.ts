import { WAITING_STATES } from '@shared/domain/recipient-lifecycle';
import type { DkimAlgorithm, DkimKeyState, DnsCheckResult } from '@shared/domain/sending-domain';
import type { Db } from './db';

export interface DomainRecord {
  id: string;
  domain: string;
  listHelp: string;
  createdAt: number;
  lastDnsCheck: DnsCheckResult | null;
}

export interface KeyRecord {
  id: string;
  domainId: string;
  selector: string;
  algorithm: DkimAlgorithm;
  bits: number;
  publicKey: string;
  state: DkimKeyState;
  source: 'generated' | 'imported';
  createdAt: number;
}

/** Recipients in these statuses will still be sent: the signature in their spool file must keep working. */
const WAITING = `(${WAITING_STATES.map((s) => `'${s}'`).join(', ')})`;

interface DomainRow {
  id: string;
  domain: string;
  list_help: string;
  created_at: number;
  dns_check_json: string | null;
}

interface KeyRow {
  id: string;
  domain_id: string;
  selector: string;
  algorithm: DkimAlgorithm;
  bits: number;
  public_key: string;
  state: DkimKeyState;
  source: 'generated' | 'imported';
  created_at: number;
}

const domainFrom = (r: DomainRow): DomainRecord => ({
  id: r.id,
  domain: r.domain,
  listHelp: r.list_help,
  createdAt: r.created_at,
  lastDnsCheck: r.dns_check_json ? (JSON.parse(r.dns_check_json) as DnsCheckResult) : null,
});

const keyFrom = (r: KeyRow): KeyRecord => ({
  id: r.id,
  domainId: r.domain_id,
  selector: r.selector,
  algorithm: r.algorithm,
  bits: r.bits,
  publicKey: r.public_key,
  state: r.state,
  source: r.source,
  createdAt: r.created_at,
});

/** Sending domains with their DKIM keys and the connections allowed to use them. */
export class DomainsRepo {
  constructor(private readonly db: Db) {}

  list(): DomainRecord[] {
    return this.db
      .prepare<[], DomainRow>('SELECT * FROM sending_domains ORDER BY domain')
      .all()
      .map(domainFrom);
  }

  get(id: string): DomainRecord | undefined {
    const row = this.db.prepare<[string], DomainRow>('SELECT * FROM sending_domains WHERE id = ?').get(id);
    return row && domainFrom(row);
  }

  findByName(domain: string): DomainRecord | undefined {
    const row = this.db
      .prepare<[string], DomainRow>('SELECT * FROM sending_domains WHERE domain = ?')
      .get(domain);
    return row && domainFrom(row);
  }

  insert(d: DomainRecord, connectionIds: string[]): void {
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO sending_domains (id, domain, list_help, created_at) VALUES (?, ?, ?, ?)')
        .run(d.id, d.domain, d.listHelp, d.createdAt);
      this.setConnections(d.id, connectionIds);
    })();
  }

  setListHelp(id: string, listHelp: string): void {
    this.db.prepare('UPDATE sending_domains SET list_help = ? WHERE id = ?').run(listHelp, id);
  }

  saveDnsCheck(id: string, result: DnsCheckResult): void {
    this.db
      .prepare('UPDATE sending_domains SET dns_check_json = ? WHERE id = ?')
      .run(JSON.stringify(result), id);
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM sending_domains WHERE id = ?').run(id).changes > 0;
  }

  connectionIdsOf(domainId: string): string[] {
    return this.db
      .prepare<[string], string>(
        'SELECT connection_id FROM connection_domains WHERE domain_id = ? ORDER BY connection_id',
      )
      .pluck()
      .all(domainId);
  }

  domainIdsOf(connectionId: string): string[] {
    return this.db
      .prepare<[string], string>(
        'SELECT domain_id FROM connection_domains WHERE connection_id = ? ORDER BY domain_id',
      )
      .pluck()
      .all(connectionId);
  }

  /** Replaces the connections allowed to send from a domain. */
  setConnections(domainId: string, connectionIds: string[]): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM connection_domains WHERE domain_id = ?').run(domainId);
      const insert = this.db.prepare(
        'INSERT INTO connection_domains (connection_id, domain_id) VALUES (?, ?)',
      );
      for (const c of new Set(connectionIds)) insert.run(c, domainId);
    })();
  }

  /** Replaces the domains a connection may send from. */
  setDomainsOfConnection(connectionId: string, domainIds: string[]): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM connection_domains WHERE connection_id = ?').run(connectionId);
      const insert = this.db.prepare(
        'INSERT INTO connection_domains (connection_id, domain_id) VALUES (?, ?)',
      );
      for (const d of new Set(domainIds)) insert.run(connectionId, d);
    })();
  }

  isAllowed(connectionId: string, domainId: string): boolean {
    return (
      this.db
        .prepare('SELECT 1 FROM connection_domains WHERE connection_id = ? AND domain_id = ?')
        .get(connectionId, domainId) !== undefined
    );
  }

  keysOf(domainId: string): KeyRecord[] {
    return this.db
      .prepare<[string], KeyRow>('SELECT * FROM dkim_keys WHERE domain_id = ? ORDER BY created_at, id')
      .all(domainId)
      .map(keyFrom);
  }

  getKey(id: string): KeyRecord | undefined {
    const row = this.db.prepare<[string], KeyRow>('SELECT * FROM dkim_keys WHERE id = ?').get(id);
    return row && keyFrom(row);
  }

  insertKey(k: KeyRecord): void {
    this.db
      .prepare(
        `INSERT INTO dkim_keys (id, domain_id, selector, algorithm, bits, public_key, state, source, created_at)
         VALUES (@id, @domainId, @selector, @algorithm, @bits, @publicKey, @state, @source, @createdAt)`,
      )
      .run(k);
  }

  /** Makes a key the active one of its algorithm; the previously active one goes to standby. */
  activateKey(key: KeyRecord): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          "UPDATE dkim_keys SET state = 'standby' WHERE domain_id = ? AND algorithm = ? AND state = 'active'",
        )
        .run(key.domainId, key.algorithm);
      this.db.prepare("UPDATE dkim_keys SET state = 'active' WHERE id = ?").run(key.id);
    })();
  }

  deleteKey(id: string): boolean {
    return this.db.prepare('DELETE FROM dkim_keys WHERE id = ?').run(id).changes > 0;
  }

  /**
   * How many mails still waiting for delivery carry a signature of one of these keys of `domain`
   * (A-label). Mail stored since migration 0008 names its keys; for older mail the DKIM-Signature
   * fields of its stored header are read (d= the domain and s= a key's selector). Walks only the
   * waiting recipients (an index), never the whole message table.
   */
  waitingMailSignedWith(domain: string, keys: Pick<KeyRecord, 'id' | 'selector'>[]): number {
    if (keys.length === 0) return 0;
    const strip = "lower(replace(replace(json_extract(h.value, '$.value'), ' ', ''), char(9), ''))";
    return this.db
      .prepare(
        `SELECT COUNT(*) FROM messages m
         WHERE m.id IN (SELECT r.message_id FROM recipients r WHERE r.status IN ${WAITING})
           AND CASE WHEN m.dkim_key_ids IS NOT NULL
             THEN EXISTS (SELECT 1 FROM json_each(m.dkim_key_ids) k WHERE k.value IN (SELECT value FROM json_each(@ids)))
             ELSE EXISTS (SELECT 1 FROM json_each(m.headers_json) h, json_each(@selectors) s
                          WHERE lower(json_extract(h.value, '$.name')) = 'dkim-signature'
                            AND instr(';' || ${strip} || ';', ';d=' || @domain || ';') > 0
                            AND instr(';' || ${strip} || ';', ';s=' || lower(s.value) || ';') > 0)
           END`,
      )
      .pluck()
      .get({
        ids: JSON.stringify(keys.map((k) => k.id)),
        selectors: JSON.stringify(keys.map((k) => k.selector)),
        domain: domain.toLowerCase(),
      }) as number;
  }
}
