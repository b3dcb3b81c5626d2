import type { SettingEntry } from '@shared/domain/settings';

const ALL_ADDRESSES = new Set(['', '0.0.0.0', '::']);

/**
 * Where the browser console will be after a restart that applies `pending`, or null where it stays;
 * '' when its port is picked at start (0), so only the address Relaydesk prints can say.
 * A console listening on all addresses is still reached under the name in the address bar.
 */
export function consoleOriginAfterRestart(
  pending: SettingEntry[],
  here: { protocol: string; hostname: string; port: string },
): string | null {
  const host = pending.find((e) => e.key === 'console.host');
  const port = pending.find((e) => e.key === 'console.port');
  if (!host && !port) return null;
  if (port?.value === 0) return '';
  const name = host && !ALL_ADDRESSES.has(String(host.value)) ? String(host.value) : here.hostname;
  const bracketed = name.includes(':') && !name.startsWith('[') ? `[${name}]` : name;
  return `${here.protocol}//${bracketed}:${port ? String(port.value) : here.port}`;
}
