import { SMTPConnection } from 'smtp-server/lib/smtp-connection';

const LEADING_ENHANCED_STATUS = /^[245]\.\d{1,3}\.\d{1,3} /;
const PATCHED = Symbol.for('relaydesk.enhancedStatusPatch');

type Send = (code: number, data?: unknown, context?: unknown) => void;

/**
 * smtp-server picks the enhanced status code from the reply code alone (550 → 5.1.1), so a
 * policy refusal could not say 550 5.7.1. When a reply text already starts with an enhanced
 * code, send it as written; every other reply keeps smtp-server's own code.
 */
export function installEnhancedStatusPatch(): void {
  const proto = SMTPConnection.prototype as unknown as { send: Send; [PATCHED]?: true };
  if (proto[PATCHED]) return;
  const original = proto.send;
  proto.send = function send(this: unknown, code: number, data?: unknown, context?: unknown) {
    if (typeof data === 'string' && LEADING_ENHANCED_STATUS.test(data))
      return original.call(this, code, data, false);
    return original.call(this, code, data, context);
  };
  proto[PATCHED] = true;
}
