import { hostname } from 'node:os';
import type { EngineContext } from '../engine/context';
import { messageId } from '../engine/ids';
import { commitAlone } from '../intake/accept-commit';
import { rfc5322Date } from '../intake/header-edits';
import { parseHeaderBlock } from '../intake/parse-headers';
import type { AcceptedMessage } from '../store/messages-repo';

/**
 * Mail Relaydesk writes itself (the low-quota alert): stored and queued like any accepted mail,
 * delivered by the same engine, but belonging to no connection — so it is never billed.
 */
export async function sendSystemMail(
  ctx: EngineContext,
  mail: { to: string; subject: string; text: string },
): Promise<string> {
  const now = ctx.clock.now();
  const id = messageId(now);
  const host = hostname() || 'localhost';
  const from = `relaydesk@${host.includes('.') ? host : `${host}.localdomain`}`;
  const head = Buffer.from(
    [
      `From: Relaydesk <${from}>`,
      `To: ${mail.to}`,
      `Subject: ${mail.subject}`,
      `Date: ${rfc5322Date(now)}`,
      `Message-ID: <${id}@${from.split('@')[1]}>`,
      'Auto-Submitted: auto-generated',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      '',
    ].join('\r\n'),
  );
  const body = ctx.spool.receiveBody(id);
  body.end(Buffer.from(`${mail.text.replace(/\r?\n/g, '\r\n')}\r\n`));
  await new Promise<void>((resolve) => body.once('finish', () => resolve()));
  const file = await ctx.spool.stage(id, head, body);
  const size = file.size;
  const headers = parseHeaderBlock(head);
  const message: AcceptedMessage = {
    id,
    connectionId: null,
    connectionName: 'Relaydesk',
    mode: 'live',
    acceptedAt: now,
    mailFrom: from,
    headerFrom: from,
    sendingDomain: from.split('@')[1] ?? '',
    subject: mail.subject,
    messageId: `<${id}@${from.split('@')[1]}>`,
    size,
    clientAddress: '',
    clientHelo: '',
    clientTls: '',
    headers,
    recipients: [mail.to],
    status: 'queued',
    dkimKeyIds: [],
  };
  try {
    commitAlone(ctx.store, ctx.spool, { message, file });
  } catch (err) {
    await file.remove();
    throw err;
  }
  const summary = ctx.store.messages.summary(id);
  if (summary) ctx.events.emit('message.accepted', summary);
  ctx.log.info('system-mail', { msg: id, rcpt: mail.to, subject: mail.subject });
  return id;
}
