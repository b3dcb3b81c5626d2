import { createHmac, randomBytes } from 'node:crypto';

/** A new signing secret: 32 random bytes, `whsec_` + base64url (shown once, stored sealed). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/**
 * The `Relaydesk-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`.
 * The time is signed with the body so a captured request cannot be replayed later: receivers
 * check the HMAC and that `t` is recent (README, "Webhooks").
 */
export function signatureHeader(secret: string, body: string, atMs: number): string {
  const t = Math.floor(atMs / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}
