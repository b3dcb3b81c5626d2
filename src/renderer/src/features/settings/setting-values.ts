import { checkSettingValue } from '@shared/domain/setting-check';
import type { SettingEntry, SettingValue } from '@shared/domain/settings';

/**
 * What a settings field holds while being edited: the NumberInput's number or raw text, a
 * string, a boolean, or the text form of a route map. The console checks type, range and choices
 * as the user types (checkDraft); the relay checks again, with each key's own rules, and names
 * what is wrong per field.
 */
export type DraftValue = string | number | boolean;

/** A route map edited as lines of `domain = host:port`. */
export function routeMapToText(map: Record<string, string>): string {
  return Object.entries(map)
    .map(([domain, target]) => `${domain} = ${target}`)
    .join('\n');
}

export function textToRouteMap(text: string): Record<string, string> | string {
  const map: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const [domain, target, ...rest] = line.split('=').map((p) => p.trim());
    if (!domain || !target || rest.length) return `"${line.trim()}" is not "domain = host:port"`;
    map[domain] = target;
  }
  return map;
}

export function draftOf(entry: SettingEntry): DraftValue {
  if (entry.type === 'routeMap') return routeMapToText(entry.value as Record<string, string>);
  return entry.value as DraftValue;
}

/** The value to send for a draft, or an error to show at once when the text cannot be read. */
export function valueToSend(entry: SettingEntry, draft: DraftValue): { value: unknown } | { error: string } {
  if (entry.type === 'routeMap') {
    const map = textToRouteMap(String(draft));
    return typeof map === 'string' ? { error: map } : { value: map };
  }
  if (entry.type === 'integer' && typeof draft === 'string') {
    // NumberInput hands over text while the field is empty or not yet a number.
    return { value: draft.trim() === '' ? draft : Number(draft) };
  }
  return { value: draft };
}

export function sameValue(a: SettingValue | unknown, b: SettingValue | unknown): boolean {
  if (typeof a === 'object' && typeof b === 'object' && a && b)
    return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

/** The value to send, or what is wrong with it by the same rules the relay checks first. */
export function checkDraft(entry: SettingEntry, draft: DraftValue): { value: unknown } | { error: string } {
  const v = valueToSend(entry, draft);
  if ('error' in v) return v;
  const checked = checkSettingValue(entry, v.value);
  return 'error' in checked ? checked : v;
}
