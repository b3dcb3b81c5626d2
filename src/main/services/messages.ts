import type { ResultOf } from '@shared/api/contract';
import { AppError } from '@shared/api/errors';
import type { ParsedParamsOf } from '@shared/api/schemas';
import type { EngineContext } from '../engine/context';
import { attachmentInfos, countRemoteResources, parseContent, verifyStoredDkim } from '../inspect/content';
import { keyView } from './domain-view';

/** Cursor = position of the last item of a page in the newest-first order; opaque to clients. */
export function encodeCursor(acceptedAt: number, id: string): string {
  return Buffer.from(`${acceptedAt}:${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { acceptedAt: number; id: string } {
  const [time, id] = Buffer.from(cursor, 'base64url').toString().split(':');
  const acceptedAt = Number(time);
  if (!id || !Number.isFinite(acceptedAt)) {
    throw new AppError(
      'invalid_params',
      'The cursor is not one Relaydesk gave out; start again without it.',
      {
        cursor: 'use nextCursor from the previous page',
      },
    );
  }
  return { acceptedAt, id };
}

export function messagesService(ctx: EngineContext) {
  const { store, spool } = ctx;

  const find = (id: string) => {
    const m = store.messages.get(id);
    if (!m)
      throw new AppError(
        'not_found',
        `There is no message ${id}; check the id, or it may have been removed.`,
      );
    return m;
  };

  /** The message, when its stored source is still there; else a not_found that says why. */
  const withBody = (id: string) => {
    const m = find(id);
    if (!m.bodyAvailable) {
      throw new AppError(
        'not_found',
        `The body of message ${id} was removed by retention (retention.bodyDays); its metadata is still shown.`,
      );
    }
    return m;
  };

  /** DKIM records of every key Relaydesk holds: the stored mail is checked against what signed it. */
  const ownDkimRecords = () => {
    const records = new Map<string, string>();
    for (const d of store.domains.list()) {
      for (const k of store.domains.keysOf(d.id)) {
        const view = keyView(d.domain, k);
        records.set(view.dnsRecord.name.toLowerCase(), view.dnsRecord.value);
      }
    }
    return records;
  };

  const missingFile = (id: string, err: unknown): never => {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AppError(
        'not_found',
        `The stored mail file of message ${id} is missing from the spool folder.`,
      );
    }
    throw err;
  };

  return {
    search(p: ParsedParamsOf<'messages.search'>): ResultOf<'messages.search'> {
      const rows = store.messages.search({
        ...(p.text ? { text: p.text } : {}),
        ...(p.subject ? { subject: p.subject } : {}),
        ...(p.recipient ? { recipient: p.recipient } : {}),
        ...(p.sender ? { sender: p.sender } : {}),
        ...(p.messageId ? { messageId: p.messageId } : {}),
        ...(p.status ? { status: p.status } : {}),
        ...(p.connectionId ? { connectionId: p.connectionId } : {}),
        ...(p.domain ? { domain: p.domain } : {}),
        ...(p.from !== undefined ? { from: p.from } : {}),
        ...(p.to !== undefined ? { to: p.to } : {}),
        ...(p.cursor ? { after: decodeCursor(p.cursor) } : {}),
        limit: p.limit + 1,
      });
      const items = rows.slice(0, p.limit);
      const last = items[items.length - 1];
      return {
        items,
        nextCursor: rows.length > p.limit && last ? encodeCursor(last.acceptedAt, last.id) : null,
      };
    },

    get({ id }: ParsedParamsOf<'messages.get'>): ResultOf<'messages.get'> {
      const m = find(id);
      return {
        ...m,
        recipientStates: store.messages.recipientStates(id),
        events: store.messages.events(id),
        attempts: store.messages.attempts(id),
        bounces: store.bounces.ofMessage(id),
      };
    },

    async raw({ id, maxBytes, encoding }: ParsedParamsOf<'messages.raw'>): Promise<ResultOf<'messages.raw'>> {
      withBody(id);
      try {
        const { data, size } = await spool.readHead(id, maxBytes);
        return { id, raw: data.toString(encoding), size, truncated: data.length < size };
      } catch (err) {
        return missingFile(id, err);
      }
    },

    async content({ id }: ParsedParamsOf<'messages.content'>): Promise<ResultOf<'messages.content'>> {
      const m = find(id);
      const empty = {
        id,
        html: null,
        text: null,
        attachments: [],
        remoteResources: 0,
        dkim: [],
        notice: null,
      };
      if (!m.bodyAvailable) return { ...empty, available: false };
      const [parsed, dkim] = await Promise.allSettled([
        parseContent(spool.read(id)),
        verifyStoredDkim(spool.read(id), ownDkimRecords(), ctx.resolver),
      ]);
      if (dkim.status === 'rejected') return missingFile(id, dkim.reason);
      if (parsed.status === 'rejected') {
        if ((parsed.reason as NodeJS.ErrnoException).code === 'ENOENT') return missingFile(id, parsed.reason);
        // The mail was accepted, so it is shown as well as it can be: DKIM and the raw source.
        return {
          ...empty,
          available: true,
          dkim: dkim.value,
          notice: `The inspector could not take this mail apart (${(parsed.reason as Error).message}); the raw source shows it as it was received.`,
        };
      }
      const { html, text, attachments, notice } = parsed.value;
      return {
        id,
        available: true,
        html,
        text,
        attachments: attachmentInfos(attachments),
        remoteResources: html ? countRemoteResources(html) : 0,
        dkim: dkim.value,
        notice,
      };
    },

    async attachment({
      id,
      index,
    }: ParsedParamsOf<'messages.attachment'>): Promise<ResultOf<'messages.attachment'>> {
      withBody(id);
      const parsed = await parseContent(spool.read(id)).catch((err: unknown) => missingFile(id, err));
      const a = parsed.attachments[index];
      if (!a) {
        throw new AppError(
          'not_found',
          `Message ${id} has ${parsed.attachments.length} attachment(s); there is none with number ${index}.`,
        );
      }
      const [info] = attachmentInfos([a], index);
      return {
        filename: info?.filename ?? '',
        contentType: a.contentType,
        size: a.size,
        base64: a.content.toString('base64'),
      };
    },
  };
}
