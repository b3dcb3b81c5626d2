const LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/;

/** A DNS host name as a Host header carries it (A-labels, any case, an optional final dot). */
export function normaliseHostName(name: string): string | undefined {
  const lower = name.trim().toLowerCase().replace(/\.$/, '');
  if (lower.length === 0 || lower.length > 253) return undefined;
  return lower.split('.').every((label) => LABEL.test(label)) ? lower : undefined;
}

/**
 * "relay.lan, Relay.Example.COM" → ["relay.lan", "relay.example.com"]; undefined when an entry is
 * not a plain host name (no port, scheme or path). Empty text is an empty list.
 */
export function parseHostNames(text: string): string[] | undefined {
  const names: string[] = [];
  for (const entry of text.split(',')) {
    if (entry.trim() === '') continue;
    const name = normaliseHostName(entry);
    if (!name) return undefined;
    names.push(name);
  }
  return names;
}
