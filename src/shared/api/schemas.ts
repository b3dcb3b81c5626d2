import { z } from 'zod';
import { ACTIVITY_CATEGORIES } from '../domain/activity';
import { isValidAddress } from '../domain/address';
import { BOUNCE_REASONS } from '../domain/bounce';
import { CONNECTION_MODES } from '../domain/connection';
import { RECIPIENT_STATUSES } from '../domain/message';
import { DKIM_ALGORITHMS, listHelpProblem, selectorProblem } from '../domain/sending-domain';
import { SUPPRESSION_REASONS } from '../domain/suppression';
import { DEFAULT_TIME_ZONE, isTimeZone } from '../domain/time-zone';
import { WEBHOOK_EVENT_TYPES, webhookUrlProblem } from '../domain/webhook';
import type { MethodName } from './methods';

const id = z.string().trim().min(1, 'is required');
const noParams = z.object({}).strict();
const connectionName = z
  .string()
  .trim()
  .min(1, 'give the connection a name, e.g. "Webshop"')
  .max(80, 'must be at most 80 characters');
const hourlyLimit = z
  .number()
  .int('must be a whole number')
  .min(1, 'must be at least 1, or null for no limit')
  .max(1_000_000, 'must be at most 1,000,000')
  .nullable();

const domainIds = z.array(z.string().trim().min(1)).max(500);
const connectionIds = z.array(z.string().trim().min(1)).max(500);
const domainName = z
  .string()
  .trim()
  .min(1, 'enter the domain your shop sends from, e.g. shop.example')
  .max(253, 'must be at most 253 characters');
/** A trimmed string that a domain rule checks; the rule's words are the error message. */
const checkedBy = (problemOf: (v: string) => string | undefined, base = z.string().trim()) =>
  base.superRefine((v, ctx) => {
    const problem = problemOf(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
const listHelp = checkedBy(listHelpProblem);
const selector = checkedBy(selectorProblem, z.string().trim().max(63, 'must be at most 63 characters'));
const algorithm = z.enum(DKIM_ALGORITHMS);

/**
 * The IANA time zone days are counted in ("today", day points, statements and their CSV); the
 * console sends its own. Default UTC.
 */
const timeZone = z
  .string()
  .trim()
  .max(64, 'must be at most 64 characters')
  .refine(isTimeZone, 'is not a time zone Relaydesk knows; send an IANA name like Europe/Berlin or UTC')
  .default(DEFAULT_TIME_ZONE);

const statsFilter = z
  .object({
    connectionId: z.string().trim().min(1).optional(),
    /** Sending domain (A-label form). */
    domain: z.string().trim().toLowerCase().min(1).optional(),
    timeZone,
  })
  .strict();

const webhookUrl = checkedBy(webhookUrlProblem);
const webhookEventTypes = z
  .array(z.enum(WEBHOOK_EVENT_TYPES, 'use delivered, deferred, bounced, expired or complained'))
  .min(1, 'pick at least one event type')
  .transform((types) => [...new Set(types)]);
/** An e-mail address (RFC 5321 mailbox syntax), with what to do when it is not one. */
const emailAddress = (missing: string) =>
  z
    .string()
    .trim()
    .min(1, missing)
    .max(254, 'must be at most 254 characters')
    .refine(isValidAddress, 'is not a valid e-mail address, e.g. someone@example.org');
/** A `from`/`to` range (either may be left open) whose start lies before its end. */
const startsBeforeEnd: [
  (p: { from?: number | undefined; to?: number | undefined }) => boolean,
  { message: string; path: string[] },
] = [
  (p) => p.from === undefined || p.to === undefined || p.from < p.to,
  { message: 'the start of the date range must lie before its end', path: ['from'] },
];

/** Runtime validation of every method's params, applied by both transports before a service runs. */
export const paramSchemas = {
  'status.get': noParams,

  'connections.list': noParams,
  'connections.get': z.object({ id }).strict(),
  'connections.create': z
    .object({
      name: connectionName,
      mode: z.enum(CONNECTION_MODES).default('live'),
      enabled: z.boolean().default(true),
      hourlyLimit: hourlyLimit.default(null),
      /** Sending domains this connection may use. */
      domainIds: domainIds.default([]),
      /** Sandbox only: capture mail from any From address, unsigned. Default: on for sandbox, off for live. */
      acceptsAnySender: z.boolean().optional(),
    })
    .strict(),
  'connections.update': z
    .object({
      id,
      name: connectionName.optional(),
      mode: z.enum(CONNECTION_MODES).optional(),
      enabled: z.boolean().optional(),
      hourlyLimit: hourlyLimit.optional(),
      domainIds: domainIds.optional(),
      /** Sandbox only; switching to live turns it off. */
      acceptsAnySender: z.boolean().optional(),
    })
    .strict(),
  'connections.delete': z.object({ id }).strict(),
  'connections.rotatePassword': z.object({ id }).strict(),

  'domains.list': noParams,
  'domains.get': z.object({ id }).strict(),
  'domains.create': z
    .object({
      /** Unicode or A-label; stored in A-label (xn--) form. */
      domain: domainName,
      /** Required before the domain can send; may be set later. */
      listHelp: listHelp.default(''),
      connectionIds: connectionIds.default([]),
      /** A first DKIM key to generate with the domain; null for none (import one later). */
      key: z
        .object({ algorithm: algorithm.default('rsa-sha256'), selector: selector.optional() })
        .strict()
        .nullable()
        .default({ algorithm: 'rsa-sha256' }),
    })
    .strict(),
  'domains.update': z
    .object({ id, listHelp: listHelp.optional(), connectionIds: connectionIds.optional() })
    .strict(),
  'domains.delete': z.object({ id }).strict(),
  'domains.generateKey': z.object({ domainId: id, algorithm, selector: selector.optional() }).strict(),
  'domains.importKey': z
    .object({
      domainId: id,
      privateKeyPem: z
        .string()
        .min(1, 'paste the PEM private key')
        .max(20_000, 'is too long for a private key'),
      selector: selector.optional(),
    })
    .strict(),
  'domains.activateKey': z.object({ keyId: id }).strict(),
  'domains.deleteKey': z.object({ keyId: id }).strict(),
  'domains.checkDns': z.object({ id }).strict(),

  'messages.search': z
    .object({
      /** Words matched as prefixes in subject, senders and recipients (full-text). */
      text: z.string().trim().max(200).optional(),
      /** Words matched as prefixes in the subject (full-text). */
      subject: z.string().trim().max(200).optional(),
      recipient: z.string().trim().max(320).optional(),
      /** Envelope sender or From: address, exactly. */
      sender: z.string().trim().max(320).optional(),
      /** The Message-ID header, with or without <>. */
      messageId: z.string().trim().max(998).optional(),
      status: z.enum(RECIPIENT_STATUSES).optional(),
      connectionId: z.string().optional(),
      /** Sending domain (the From: domain). */
      domain: z.string().trim().toLowerCase().max(253).optional(),
      /** Accepted at or after (ms since the epoch). */
      from: z.number().int().min(0).optional(),
      /** Accepted before (ms since the epoch). */
      to: z.number().int().min(0).optional(),
      /** Opaque cursor from a previous page's nextCursor. */
      cursor: z.string().optional(),
      limit: z.number().int().min(1).max(500).default(100),
    })
    .strict()
    .refine(...startsBeforeEnd),
  'messages.get': z.object({ id }).strict(),
  'messages.raw': z
    .object({
      id,
      /** Return at most this many bytes of the source (the console shows the start of huge mails). */
      maxBytes: z
        .number()
        .int()
        .min(1)
        .max(64 * 1024 * 1024)
        .default(2 * 1024 * 1024),
      /** base64 keeps 8-bit bytes exact (for saving the source as a file). */
      encoding: z.enum(['utf8', 'base64']).default('utf8'),
    })
    .strict(),

  'messages.content': z.object({ id }).strict(),
  'messages.attachment': z
    .object({ id, index: z.number().int().min(0, 'is the attachment number from messages.content') })
    .strict(),
  'messages.retry': z.object({ id }).strict(),
  'messages.cancel': z.object({ id }).strict(),
  'messages.release': z
    .object({
      id,
      /** Where to: the captured recipients (default), or only an address the operator types. */
      target: z
        .discriminatedUnion('to', [
          z.object({ to: z.literal('original') }).strict(),
          z
            .object({
              to: z.literal('address'),
              address: z
                .string()
                .trim()
                .min(1, 'type the address to release the mail to, e.g. you@example.com')
                .max(254, 'must be at most 254 characters')
                .refine(isValidAddress, 'is not a valid e-mail address; type one like you@example.com'),
            })
            .strict(),
        ])
        .default({ to: 'original' }),
    })
    .strict(),

  'bounces.search': z
    .object({
      reason: z.enum(BOUNCE_REASONS).optional(),
      hard: z.boolean().optional(),
      kind: z.enum(['bounce', 'complaint', 'auto-reply', 'delivered']).optional(),
      connectionId: z.string().optional(),
      /** Epoch milliseconds, inclusive / exclusive. */
      from: z.number().int().optional(),
      to: z.number().int().optional(),
      text: z.string().trim().max(200).optional(),
      cursor: z.string().optional(),
      limit: z.number().int().min(1).max(500).default(100),
    })
    .strict(),
  'bounces.get': z.object({ id: z.number().int().positive() }).strict(),
  'bounces.analyze': z
    .object({
      /** A whole bounce, DSN, ARF complaint or auto-reply mail, as text. */
      raw: z
        .string()
        .min(1, 'paste the whole bounce mail, headers included')
        .max(12 * 1024 * 1024, 'is larger than 12 MiB'),
    })
    .strict(),

  'suppressions.search': z
    .object({
      text: z.string().trim().max(200).optional(),
      reason: z.enum(SUPPRESSION_REASONS).optional(),
      cursor: z.string().optional(),
      limit: z.number().int().min(1).max(500).default(100),
    })
    .strict(),
  'suppressions.add': z
    .object({
      address: z.string().trim().toLowerCase().min(3, 'enter the e-mail address to suppress').max(254),
      note: z.string().trim().max(500).default(''),
    })
    .strict(),
  'suppressions.remove': z.object({ address: z.string().trim().toLowerCase().min(1) }).strict(),
  'suppressions.import': z
    .object({
      /** CSV with a header line; columns address (required), reason, detail, created_at. */
      csv: z
        .string()
        .min(1, 'paste or choose a CSV file')
        .max(20 * 1024 * 1024, 'is larger than 20 MiB'),
    })
    .strict(),
  'suppressions.export': noParams,

  'quota.get': z.object({ timeZone }).strict(),
  'quota.bookBlock': z
    .object({
      size: z.number().int().min(25_000, 'the smallest block is 25,000 mails'),
      /** Renew for another block period when this one ends (default). */
      autoRenew: z.boolean().default(true),
      /** For the daily usage of the summary returned. */
      timeZone,
    })
    .strict(),
  'quota.setAutoRenew': z.object({ blockId: id, autoRenew: z.boolean(), timeZone }).strict(),
  'quota.statements': z.object({ timeZone }).strict(),
  'quota.exportStatement': z
    .object({ periodStart: z.number().int(), format: z.enum(['csv', 'html']), timeZone })
    .strict(),

  'queue.list': z
    .object({
      status: z.enum(['queued', 'deferred', 'sending']).optional(),
      domain: z.string().trim().toLowerCase().optional(),
      cursor: z.string().optional(),
      limit: z.number().int().min(1).max(500).default(100),
    })
    .strict(),
  'queue.state': noParams,
  /** Without a domain: all delivery. */
  'queue.pause': z.object({ domain: z.string().trim().toLowerCase().min(1).optional() }).strict(),
  'queue.resume': z.object({ domain: z.string().trim().toLowerCase().min(1).optional() }).strict(),

  'stats.summary': statsFilter,
  'stats.series': statsFilter
    .extend({
      /** minute and hour: UTC buckets; day: the days of `timeZone` that overlap the range. */
      bucket: z.enum(['minute', 'hour', 'day']),
      /** Range start (ms since the epoch); default: 60 buckets before `to`. */
      from: z.number().int().min(0).optional(),
      /** Range end (ms since the epoch, exclusive); default: the end of the current UTC bucket. */
      to: z.number().int().min(0).optional(),
    })
    .strict(),

  'maintenance.cleanup': noParams,

  'settings.get': noParams,
  'settings.update': z
    .object({
      values: z
        .record(z.string(), z.unknown())
        .refine((v) => Object.keys(v).length > 0, 'name at least one setting'),
    })
    .strict(),

  'connections.setup': z.object({ id }).strict(),
  'tls.certificate': noParams,
  'webhooks.list': z.object({ connectionId: id }).strict(),
  'webhooks.create': z
    .object({
      connectionId: id,
      url: webhookUrl,
      /** Default: every event type. */
      eventTypes: webhookEventTypes.default([...WEBHOOK_EVENT_TYPES]),
      enabled: z.boolean().default(true),
    })
    .strict(),
  'webhooks.update': z
    .object({
      id,
      url: webhookUrl.optional(),
      eventTypes: webhookEventTypes.optional(),
      enabled: z.boolean().optional(),
    })
    .strict(),
  'webhooks.delete': z.object({ id }).strict(),
  'webhooks.rotateSecret': z.object({ id }).strict(),
  'webhooks.history': z.object({ id, limit: z.number().int().min(1).max(200).default(50) }).strict(),
  'webhooks.sendTest': z.object({ id }).strict(),
  'messages.countCaptured': z.object({ connectionId: id }).strict(),
  'messages.deleteCaptured': z.object({ connectionId: id }).strict(),
  'connections.sendTest': z
    .object({
      connectionId: id,
      /** Any address, or a simulator address (see SIMULATOR_ADDRESSES). */
      to: emailAddress('enter the address to send the test mail to, or pick a simulator address'),
      /** The From: address; default relaydesk-test@ the connection's first ready sending domain. */
      from: emailAddress("enter a sender address at one of the connection's sending domains").optional(),
    })
    .strict(),
  'activity.search': z
    .object({
      category: z.enum(ACTIVITY_CATEGORIES).optional(),
      connectionId: z.string().trim().min(1).optional(),
      /** The client's IP address, exactly. */
      clientAddress: z.string().trim().min(1).max(64).optional(),
      /** Words in the command, the reply or the username tried. */
      text: z.string().trim().max(200).optional(),
      /** Only mails refused after login (the Dashboard's "Rejected"). */
      rejectedMail: z.boolean().optional(),
      /** Epoch milliseconds, inclusive / exclusive. */
      from: z.number().int().min(0).optional(),
      to: z.number().int().min(0).optional(),
      cursor: z.string().optional(),
      limit: z.number().int().min(1).max(500).default(100),
    })
    .strict()
    .refine(...startsBeforeEnd),
  'relay.restart': noParams,
} as const satisfies { [M in MethodName]: z.ZodType };

export type { MethodName };
export type ParamsOf<M extends MethodName> = z.input<(typeof paramSchemas)[M]>;
export type ParsedParamsOf<M extends MethodName> = z.output<(typeof paramSchemas)[M]>;

/** Field path → message, for the invalid_params error. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join('.') : '(params)';
    fields[key] ??= issue.message;
  }
  return fields;
}
