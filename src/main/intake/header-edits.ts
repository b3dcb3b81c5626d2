import { Headers } from '@zone-eu/mailsplit';

export interface HeaderAdditions {
  messageId: string;
  date: string;
  listHelp: string;
}

/**
 * Relaydesk's edits before signing: add Message-ID and Date when missing, add List-Help
 * unless the mail has one, remove Bcc (it must never reach a recipient). Returns the header
 * section, ending with its empty line.
 */
export function editHeader(header: Buffer, add: HeaderAdditions): Buffer {
  const headers = new Headers(header);
  headers.remove('bcc');
  const append = (name: string, value: string) => headers.add(name, value, headers.getList().length);
  if (!headers.hasHeader('message-id')) append('Message-ID', add.messageId);
  if (!headers.hasHeader('date')) append('Date', add.date);
  if (!headers.hasHeader('list-help')) append('List-Help', `<${add.listHelp}>`);
  const built = headers.build();
  return built.subarray(-4).toString() === '\r\n\r\n' ? built : Buffer.concat([built, Buffer.from('\r\n')]);
}

/** RFC 5322 date-time in UTC, e.g. `Sat, 28 Nov 2026 15:24:29 +0000`. */
export function rfc5322Date(ms: number): string {
  return new Date(ms).toUTCString().replace(/GMT$/, '+0000');
}
