import { ApiCallError } from './client';

/** What to tell the user about a failed call: the relay's own words, or why it could not be asked. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiCallError) return err.message;
  if (err instanceof TypeError)
    return 'Relaydesk is not reachable. Check that it is still running; the console reconnects by itself.';
  return err instanceof Error ? err.message : String(err);
}

/**
 * Splits a failed call into messages for the given form fields and a message for the rest, so a
 * form shows what it can next to its inputs and reports everything else in a notification.
 */
export function splitFieldErrors(
  err: unknown,
  formFields: readonly string[],
): { fields: Record<string, string>; other: string | null } {
  if (!(err instanceof ApiCallError) || !err.fields) return { fields: {}, other: errorMessage(err) };
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  for (const [path, message] of Object.entries(err.fields)) {
    if (formFields.includes(path)) fields[path] = message;
    else rest.push(`${path}: ${message}`);
  }
  if (Object.keys(fields).length === 0) return { fields, other: [err.message, ...rest].join(' ') };
  return { fields, other: rest.length ? rest.join('; ') : null };
}
