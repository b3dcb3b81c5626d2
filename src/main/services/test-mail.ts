import type { ResultOf } from '@shared/api/contract';
import { AppError } from '@shared/api/errors';
import type { ParsedParamsOf } from '@shared/api/schemas';
import { isSimulatorAddress, SIMULATOR_DOMAIN } from '@shared/domain/simulator';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { EngineContext } from '../engine/context';
import { ownAddressOf } from '../engine/public-host';
import type { ConnectionRecord } from '../store/connections-repo';

export const TEST_MAIL_SUBJECT = 'Relaydesk test mail';

/** From: domain of a test mail through a sandbox connection without sending domains (RFC 2606). */
const ANY_SENDER_TEST_DOMAIN = 'relaydesk.test';
const TIMEOUT_MS = 30_000;

/**
 * The From: address of a test mail: the one asked for, else `relaydesk-test@` the connection's
 * first sending domain that is ready to sign (an active key and a List-Help value), else its first
 * sending domain (the intake then says what is missing); a sandbox connection that accepts any
 * sender and has no domain sends from `relaydesk-test@relaydesk.test`. None at all is refused here.
 */
function senderFor(ctx: EngineContext, connection: ConnectionRecord, from: string | undefined): string {
  if (from) return from;
  const { domains } = ctx.store;
  const own = domains
    .domainIdsOf(connection.id)
    .map((id) => domains.get(id))
    .filter((d) => d !== undefined);
  const ready = own.find((d) => d.listHelp && domains.keysOf(d.id).some((k) => k.state === 'active'));
  const domain = ready ?? own[0];
  // A sandbox connection that accepts any sender needs no domain: the mail is only captured.
  if (!domain && connection.acceptsAnySender) return `relaydesk-test@${ANY_SENDER_TEST_DOMAIN}`;
  if (!domain) {
    throw new AppError(
      'conflict',
      `Connection "${connection.name}" may not send from any domain yet: give it a sending domain (Connections → Edit), then send the test mail again.`,
    );
  }
  return `relaydesk-test@${domain.domain}`;
}

function testMail(o: { from: string; to: string; connection: ConnectionRecord }): string {
  const simulator = isSimulatorAddress(o.to);
  return [
    `From: Relaydesk test <${o.from}>`,
    `To: <${o.to}>`,
    `Subject: ${TEST_MAIL_SUBJECT}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    `This is a test mail sent from the Relaydesk console through the connection "${o.connection.name}".`,
    '',
    'It went through the same checks, DKIM signing and delivery as mail from the sending system.',
    simulator
      ? `It was sent to a simulator address (${SIMULATOR_DOMAIN}): it never leaves this computer and uses no quota.`
      : 'If you can read it, mail from this connection reaches this mailbox.',
    '',
  ].join('\r\n');
}

/** The relay's refusal as an API error: the SMTP reply already names the next step. */
function refusal(err: unknown): AppError {
  const e = err as { responseCode?: number; response?: string; message?: string; code?: string };
  if (e.responseCode) {
    return new AppError('refused', `The relay refused the test mail: ${e.response ?? e.message}`);
  }
  return new AppError(
    'unavailable',
    `Could not hand the test mail to the relay's SMTP listener (${e.message ?? e.code}); check Relaydesk's status and try again.`,
  );
}

/**
 * Sends a test mail as the connection would: over SMTP to the relay's own intake, with STARTTLS
 * and a one-time login for this connection, so every intake check, the signing and durable
 * acceptance run exactly as for the sending system. Resolves to the accepted message's id.
 */
export async function sendTestMail(
  ctx: EngineContext,
  connection: ConnectionRecord,
  p: ParsedParamsOf<'connections.sendTest'>,
): Promise<ResultOf<'connections.sendTest'>> {
  const tickets = ctx.loginTickets;
  if (!tickets) throw new AppError('unavailable', 'The relay is still starting; try again in a moment.');
  const from = senderFor(ctx, connection, p.from);
  const login = tickets.issue(connection.id);
  const client = new SMTPConnection({
    host: ownAddressOf(ctx.smtp.host),
    port: ctx.smtp.port,
    name: 'relaydesk-console',
    requireTLS: true,
    connectionTimeout: TIMEOUT_MS,
    greetingTimeout: TIMEOUT_MS,
    socketTimeout: TIMEOUT_MS,
    logger: false,
    // The relay's own certificate (self-signed by default), reached on its own address.
    tls: { rejectUnauthorized: false },
  });
  const step = <T>(run: (done: (err: Error | null, value?: T) => void) => void) =>
    new Promise<T>((resolve, reject) => run((err, value) => (err ? reject(err) : resolve(value as T))));
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('error', reject);
      client.connect(() => {
        client.off('error', reject);
        resolve();
      });
    });
    client.on('error', () => undefined);
    await step<void>((done) => client.login({ user: login.username, pass: login.password }, (e) => done(e)));
    const info = await step<{ response: string }>((done) =>
      client.send({ from, to: [p.to] }, testMail({ from, to: p.to, connection }), (e, i) => done(e, i)),
    );
    const messageId = /queued as (\w+)/.exec(info.response)?.[1];
    if (!messageId) throw new Error(`unexpected reply: ${info.response}`);
    ctx.log.info('test-mail', { conn: connection.id, msg: messageId, rcpt: p.to });
    return { messageId, from, to: p.to };
  } catch (err) {
    throw refusal(err);
  } finally {
    tickets.revoke(login.username);
    client.quit();
    setTimeout(() => client.close(), 1000).unref();
  }
}
