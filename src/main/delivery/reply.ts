/** An SMTP reply split into its parts: `550 5.1.1 <a@b>: User unknown` → 550, 5.1.1, text. */
export interface SmtpAnswer {
  code: number | null;
  enhanced: string;
  text: string;
  /** The command the reply answered (MAIL, RCPT, DATA), when known: it tells what was refused. */
  command?: string;
}

/** nodemailer names commands "MAIL FROM", "RCPT TO", "DATA"; bounce analysis wants the verb. */
export function commandVerb(command: string | undefined): string | undefined {
  return command ? command.split(' ')[0]?.toUpperCase() : undefined;
}

export function parseReply(response: string | undefined | null): SmtpAnswer {
  if (!response) return { code: null, enhanced: '', text: '' };
  const lines = response.split(/\r?\n/).filter(Boolean);
  const first = /^(\d{3})[ -]?(?:(\d\.\d{1,3}\.\d{1,3})\s+)?(.*)$/.exec(lines[0] ?? '');
  if (!first?.[1]) return { code: null, enhanced: '', text: response.trim() };
  const text = lines
    .map((l) => l.replace(/^\d{3}[ -]?(?:\d\.\d{1,3}\.\d{1,3}\s+)?/, ''))
    .join(' ')
    .trim();
  return { code: Number(first[1]), enhanced: first[2] ?? '', text };
}

/** One line for the queue view and the log: "550 5.1.1 User unknown". */
export function answerLine(a: SmtpAnswer): string {
  return [a.code ?? '', a.enhanced, a.text].filter((p) => p !== '').join(' ');
}

interface NodemailerError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
}

/** Failures that never produced an SMTP reply, in words an operator understands. */
const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  ETIMEDOUT: 'the server did not answer in time',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'DNS lookup failed temporarily',
  EPIPE: 'connection broken while sending',
};

/**
 * What a delivery failure means: permanent (5xx: bounce now) or temporary (4xx, timeouts,
 * refused or dropped connections: try again later), with the reply as parts.
 */
export function classifyFailure(err: unknown): { permanent: boolean; answer: SmtpAnswer } {
  const e = err as NodemailerError;
  // Checked before the reply code: a server without STARTTLS answers the attempt with 5xx,
  // but the mail is not refused — Relaydesk's policy held it back.
  if (e.code === 'ETLS') {
    return {
      permanent: false,
      answer: {
        code: null,
        enhanced: '4.7.10',
        text: `TLS required by policy but not available (${e.message})`,
      },
    };
  }
  if (e.responseCode) {
    const answer = parseReply(e.response);
    const command = commandVerb(e.command);
    return { permanent: e.responseCode >= 500, answer: command ? { ...answer, command } : answer };
  }
  const original = (e as { originalCode?: string }).originalCode;
  const words = NETWORK_WORDS[original ?? ''] ?? NETWORK_WORDS[e.code ?? ''];
  return {
    permanent: false,
    answer: { code: null, enhanced: '4.4.1', text: words ?? e.message ?? String(err) },
  };
}
