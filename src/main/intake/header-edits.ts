import { isIPv6 } from 'node:net';
import { Headers } from '@zone-eu/mailsplit';

export interface HeaderAdditions {
  messageId: string;
  date: string;
  /** null: none added (a capture of a connection that accepts any sender has no sending domain). */
  listHelp: string | null;
  /** Value of the Received: field for Relaydesk's own hop (see `receivedValue`). */
  received: string;
}

/**
 * Relaydesk's edits before signing: put the Received: field of its own hop on top, add
 * Message-ID and Date when missing, add List-Help unless the mail has one, remove Bcc (it must
 * never reach a recipient). Returns the header section, ending with its empty line.
 */
export function editHeader(header: Buffer, add: HeaderAdditions): Buffer {
  const headers = new Headers(header);
  headers.remove('bcc');
  const append = (name: string, value: string) => headers.add(name, value, headers.getList().length);
  headers.add('Received', add.received, 0);
  if (!headers.hasHeader('message-id')) append('Message-ID', add.messageId);
  if (!headers.hasHeader('date')) append('Date', add.date);
  if (add.listHelp !== null && !headers.hasHeader('list-help')) append('List-Help', `<${add.listHelp}>`);
  const built = headers.build();
  return built.subarray(-4).toString() === '\r\n\r\n' ? built : Buffer.concat([built, Buffer.from('\r\n')]);
}

export interface Trace {
  /** What the client said in EHLO. */
  helo: string;
  /** The client's IP address. */
  address: string;
  /** Its reverse name when one was looked up; otherwise only the address literal is given. */
  reverseName?: string | undefined;
  /** The name Relaydesk is known by (smtp.publicHost or the machine name). */
  relayName: string;
  /** TLS version and cipher, e.g. `TLSv1.3 TLS_AES_256_GCM_SHA384`. */
  tls: string;
  /** Relaydesk's id of the mail. */
  id: string;
  date: string;
}

/** Client-supplied words reduced to what a domain, an address literal or a cipher name uses, so none can break the field. */
const safe = (s: string, fallback: string) =>
  s.replace(/[^A-Za-z0-9.:_\-[\]]/g, '').slice(0, 255) || fallback;

/**
 * RFC 5321 §4.4 trace field: `from <helo> (<reverse name> [ip]) by <relay> (Relaydesk) with
 * ESMTPSA (<tls>) id <id>; <date>`. ESMTPSA: every accepted mail came over STARTTLS with AUTH
 * (RFC 3848). It names no user and no credentials. Not DKIM-signed: later hops add their own.
 */
export function receivedValue(t: Trace): string {
  const literal = isIPv6(t.address) ? `[IPv6:${t.address}]` : `[${t.address}]`;
  const reverse = t.reverseName && !t.reverseName.startsWith('[') ? `${safe(t.reverseName, '')} ` : '';
  return (
    `from ${safe(t.helo, 'unknown')} (${reverse}${literal}) by ${safe(t.relayName, 'localhost')} (Relaydesk)` +
    ` with ESMTPSA (${
      t.tls
        .split(' ')
        .map((w) => safe(w, ''))
        .filter(Boolean)
        .join(' ') || 'TLS'
    }) id ${t.id}; ${t.date}`
  );
}

/** RFC 5322 date-time in UTC, e.g. `Sat, 28 Nov 2026 15:24:29 +0000`. */
export function rfc5322Date(ms: number): string {
  return new Date(ms).toUTCString().replace(/GMT$/, '+0000');
}
