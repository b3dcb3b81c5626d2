import type { ResultOf } from '@shared/api/contract';
import { AppError } from '@shared/api/errors';
import type { ParsedParamsOf } from '@shared/api/schemas';
import {
  acceptsAnySenderByDefault,
  type Connection,
  type ConnectionMode,
  connectionNameProblem,
  type SmtpAccess,
} from '@shared/domain/connection';
import {
  CERTIFICATE_FILENAME,
  PASSWORD_PLACEHOLDER,
  renderShopSetup,
  type SetupValues,
} from '@shared/setup/shop-setup';
import { generatePassword, hashPassword } from '../credentials/password';
import { usernameFor } from '../credentials/username';
import type { EngineContext } from '../engine/context';
import { connectionId } from '../engine/ids';
import { publicHostOf } from '../engine/public-host';
import type { ConnectionRecord } from '../store/connections-repo';
import { connectionView } from './connection-view';
import { domainView } from './domain-view';
import { sendTestMail } from './test-mail';

/**
 * Whether the connection will accept any From address: asked for (or its mode's default), and
 * never for a live connection — its mail is delivered, so it must come from a sending domain.
 */
function acceptsAnySenderFor(mode: ConnectionMode, asked: boolean | undefined): boolean {
  const wanted = asked ?? acceptsAnySenderByDefault(mode);
  if (wanted && mode === 'live') {
    throw new AppError(
      'invalid_params',
      'A live connection delivers its mail, so it only accepts From addresses of its sending domains. Switch the connection to sandbox to accept any sender.',
      { acceptsAnySender: 'only a sandbox connection can accept any sender' },
    );
  }
  return wanted;
}

export function connectionsService(ctx: EngineContext) {
  const { store, clock, events, settings, log } = ctx;

  const toConnection = (c: ConnectionRecord): Connection => connectionView(ctx, c);

  const find = (id: string): ConnectionRecord => {
    const c = store.connections.get(id);
    if (!c)
      throw new AppError(
        'not_found',
        `There is no connection ${id}; it may have been deleted. Reload the list.`,
      );
    return c;
  };

  const requireDomains = (domainIds: string[]) => {
    const unknown = domainIds.filter((d) => !store.domains.get(d));
    if (unknown.length > 0) {
      throw new AppError(
        'invalid_params',
        `There is no sending domain ${unknown.join(', ')}; reload the list of domains.`,
        {
          domainIds: 'pick sending domains from the list',
        },
      );
    }
  };

  /** Names are unique without case: a second "Webshop" (or "webshop") is refused with what to do. */
  const requireFreeName = (name: string, exceptId?: string) => {
    const reason = connectionNameProblem(store.connections.list(), name, exceptId);
    if (!reason) return;
    throw new AppError('conflict', `The name "${name}" ${reason}`, { name: reason });
  };

  /** A domain's view lists its connections, so it changes when a connection's domains do. */
  const publishDomain = (domainId: string) => {
    const view = domainView(ctx, domainId);
    if (view) events.emit('domain.changed', view);
  };

  const accessFor = (c: ConnectionRecord, password: string): SmtpAccess => {
    const host = publicHostOf(settings.get('smtp.publicHost'), ctx.smtp.host);
    return { host, port: ctx.smtp.port, security: 'STARTTLS', username: c.username, password };
  };

  const publish = (c: ConnectionRecord) => {
    const connection = toConnection(c);
    events.emit('connection.changed', connection);
    return connection;
  };

  return {
    toConnection,

    list: (): ResultOf<'connections.list'> => store.connections.list().map(toConnection),

    get: ({ id }: ParsedParamsOf<'connections.get'>) => toConnection(find(id)),

    async create(p: ParsedParamsOf<'connections.create'>): Promise<ResultOf<'connections.create'>> {
      const password = generatePassword();
      const now = clock.now();
      let username = usernameFor(p.name);
      while (store.connections.usernameTaken(username)) username = usernameFor(p.name);
      const record: ConnectionRecord = {
        id: connectionId(),
        name: p.name,
        username,
        passwordHash: await hashPassword(password),
        enabled: p.enabled,
        mode: p.mode,
        acceptsAnySender: acceptsAnySenderFor(p.mode, p.acceptsAnySender),
        hourlyLimit: p.hourlyLimit,
        createdAt: now,
        passwordChangedAt: now,
        lastActivityAt: null,
      };
      requireDomains(p.domainIds);
      store.db.transaction(() => {
        requireFreeName(record.name);
        store.connections.insert(record);
        store.domains.setDomainsOfConnection(record.id, p.domainIds);
      })();
      for (const domainId of p.domainIds) publishDomain(domainId);
      log.info('connection-created', { conn: record.id, name: record.name, mode: record.mode });
      return { connection: publish(record), access: accessFor(record, password) };
    },

    update(p: ParsedParamsOf<'connections.update'>): ResultOf<'connections.update'> {
      const { id, domainIds, acceptsAnySender, ...rest } = p;
      const current = find(id);
      const mode = rest.mode ?? current.mode;
      // Switching to live turns it off; turning it on for a live connection is refused.
      const anySender =
        acceptsAnySender !== undefined || mode === 'live'
          ? acceptsAnySenderFor(mode, acceptsAnySender ?? false)
          : undefined;
      const changes = { ...rest, ...(anySender !== undefined ? { acceptsAnySender: anySender } : {}) };
      if (domainIds) requireDomains(domainIds);
      const before = new Set(store.domains.domainIdsOf(id));
      store.db.transaction(() => {
        if (changes.name !== undefined) requireFreeName(changes.name, id);
        store.connections.update(id, changes);
        if (domainIds) store.domains.setDomainsOfConnection(id, domainIds);
      })();
      if (domainIds) for (const d of new Set([...before, ...domainIds])) publishDomain(d);
      log.info('connection-updated', { conn: id, changed: Object.keys(changes).join(',') });
      return publish(find(id));
    },

    delete({ id }: ParsedParamsOf<'connections.delete'>): ResultOf<'connections.delete'> {
      find(id);
      const domainIds = store.domains.domainIdsOf(id);
      store.connections.delete(id);
      for (const d of domainIds) publishDomain(d);
      log.info('connection-deleted', { conn: id });
      events.emit('connection.deleted', { id });
      return { id };
    },

    sendTest: (p: ParsedParamsOf<'connections.sendTest'>): Promise<ResultOf<'connections.sendTest'>> =>
      sendTestMail(ctx, find(p.connectionId), p),

    async rotatePassword({
      id,
    }: ParsedParamsOf<'connections.rotatePassword'>): Promise<ResultOf<'connections.rotatePassword'>> {
      find(id);
      const password = generatePassword();
      store.connections.setPasswordHash(id, await hashPassword(password), clock.now());
      log.info('password-rotated', { conn: id });
      const updated = find(id);
      return { connection: publish(updated), access: accessFor(updated, password) };
    },

    setup({ id }: ParsedParamsOf<'connections.setup'>): ResultOf<'connections.setup'> {
      const c = find(id);
      const { host, port, username } = accessFor(c, PASSWORD_PLACEHOLDER);
      const domain = store.domains.domainIdsOf(id).map((d) => store.domains.get(d)?.domain)[0];
      const tls = ctx.tls().info;
      const values: SetupValues = {
        host,
        port,
        username,
        passwordPlaceholder: PASSWORD_PLACEHOLDER,
        from: `shop@${domain ?? 'your-sending-domain.example'}`,
        to: settings.get('alerts.adminEmail') || 'you@example.org',
        certificate: {
          source: tls.source,
          fingerprint256: tls.fingerprint256,
          names: tls.names,
          pemFilename: CERTIFICATE_FILENAME,
        },
      };
      return { connectionId: id, values, setup: renderShopSetup(values) };
    },
  };
}
