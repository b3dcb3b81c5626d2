import type { z } from 'zod';
import type { MethodName } from './methods';
import { paramSchemas } from './schemas';

const KiB = 1024;
const MiB = 1024 * KiB;

/** Largest request body of a method without an entry below: far above any small params object. */
export const DEFAULT_BODY_LIMIT = 1 * MiB;

/**
 * JSON bytes one character of a string can take: a client may escape every UTF-16 code unit as
 * `\uXXXX` (Python's json.dumps does that for all non-ASCII text by default, and every encoder
 * does it for control characters). UTF-8 needs at most 3 bytes per code unit, so 6 is the worst
 * case of any encoder.
 */
const JSON_BYTES_PER_CHAR = 6;

/** Room for the rest of the params object around the big string: braces, key, whitespace. */
const ENVELOPE_BYTES = 64 * KiB;

/**
 * Body limit for a method whose params are one big string field: every string the schema accepts
 * fits however the client encodes it, so the schema (with its plain-words message) is what
 * refuses an oversized value, and the byte limit only stops bodies no valid call can have.
 */
function limitForString(field: z.ZodString): number {
  const chars = field.maxLength;
  if (chars === null) throw new Error('a body limit needs a string field with a maximum length');
  return chars * JSON_BYTES_PER_CHAR + ENVELOPE_BYTES;
}

/**
 * Per-method request body limits of the HTTP transport, derived from the params schemas. Only
 * methods that take more than DEFAULT_BODY_LIMIT are listed; test/unit/body-limits.test.ts checks
 * that every schema's bounded strings fit the limit of their method.
 */
export const BODY_LIMITS: Partial<Record<MethodName, number>> = {
  /** `raw`: a whole bounce mail, up to 12 Mi characters. */
  'bounces.analyze': limitForString(paramSchemas['bounces.analyze'].shape.raw),
  /** `csv`: a suppression list, up to 20 Mi characters. */
  'suppressions.import': limitForString(paramSchemas['suppressions.import'].shape.csv),
};

/** The most a request body to `method` may take, in bytes (unknown names get the default). */
export function bodyLimitOf(method: string): number {
  return BODY_LIMITS[method as MethodName] ?? DEFAULT_BODY_LIMIT;
}

/** The largest limit of any method: what the transport may have to hold for one request. */
export const LARGEST_BODY_LIMIT = Math.max(DEFAULT_BODY_LIMIT, ...Object.values(BODY_LIMITS));
