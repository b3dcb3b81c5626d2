import { z } from 'zod';
import { CONNECTION_MODES } from '../domain/connection';
import { RECIPIENT_STATUSES } from '../domain/message';
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
    })
    .strict(),
  'connections.update': z
    .object({
      id,
      name: connectionName.optional(),
      mode: z.enum(CONNECTION_MODES).optional(),
      enabled: z.boolean().optional(),
      hourlyLimit: hourlyLimit.optional(),
    })
    .strict(),
  'connections.delete': z.object({ id }).strict(),
  'connections.rotatePassword': z.object({ id }).strict(),

  'messages.search': z
    .object({
      text: z.string().trim().max(200).optional(),
      status: z.enum(RECIPIENT_STATUSES).optional(),
      connectionId: z.string().optional(),
      /** Opaque cursor from a previous page's nextCursor. */
      cursor: z.string().optional(),
      limit: z.number().int().min(1).max(500).default(100),
    })
    .strict(),
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
    })
    .strict(),

  'settings.get': noParams,
  'settings.update': z
    .object({
      values: z
        .record(z.string(), z.unknown())
        .refine((v) => Object.keys(v).length > 0, 'name at least one setting'),
    })
    .strict(),
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
