import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, signatureHeader } from '../../src/main/notify/webhook-signature';

/** The README's verification snippet, run as a receiver would paste it. */
function readmeVerifier(): (body: string, header: string, secret: string) => boolean {
  const readme = readFileSync(resolve(__dirname, '../../README.md'), 'utf8');
  const code = /```js\n([\s\S]*?function verifyRelaydesk[\s\S]*?)\n```/.exec(readme)?.[1];
  if (!code) throw new Error('README.md has no verifyRelaydesk snippet');
  const run = new Function('require', `${code}\nreturn verifyRelaydesk;`);
  return run(createRequire(__filename)) as (body: string, header: string, secret: string) => boolean;
}

describe("the README's signature check", () => {
  it("accepts Relaydesk's signature and refuses a changed body, another secret or a time 10 minutes old", () => {
    const verify = readmeVerifier();
    const secret = newWebhookSecret();
    const body = JSON.stringify({ id: 'evt_1', type: 'delivered', recipient: 'ä@example.org' });
    const now = Date.now();
    expect(verify(body, signatureHeader(secret, body, now), secret)).toBe(true);
    expect(verify(`${body} `, signatureHeader(secret, body, now), secret)).toBe(false);
    expect(verify(body, signatureHeader(secret, body, now), newWebhookSecret())).toBe(false);
    expect(verify(body, signatureHeader(secret, body, now - 600_000), secret)).toBe(false);
    expect(verify(body, 'v1=abc', secret)).toBe(false);
  });
});
