import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installGreetingPatch } from '../../src/main/intake/greeting-patch';
import { startRelay, type TestRelay } from '../helpers/engine';
import { SmtpSession } from '../helpers/smtp-session';

let relay: TestRelay;
beforeAll(async () => {
  relay = await startRelay({ deliver: false });
});
afterAll(async () => {
  await relay.dispose();
});

describe('the greeting', () => {
  it('comes without smtp-server’s 100 ms early-talker pause, connection after connection', async () => {
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      const { session, greeting } = await SmtpSession.open(relay.smtpPort);
      waits.push(performance.now() - started);
      session.close();
      expect(greeting).toMatch(/^220 /);
    }
    waits.sort((a, b) => a - b);
    console.log(`connect → greeting: median ${waits[5]?.toFixed(1)} ms, slowest ${waits[9]?.toFixed(1)} ms`);
    // With the pause every greeting takes at least 100 ms.
    expect(waits[5]).toBeLessThan(60);
  });

  it('is patched only over the smtp-server init it was written for, and refuses loudly otherwise', () => {
    const changed = { init: () => setTimeout(() => undefined, 50) };
    expect(() => installGreetingPatch(changed)).toThrow(/smtp-server changed: .*greeting-patch\.ts/);
    const expected = {
      init(this: { connectionReady(): void }) {
        setTimeout(() => this.connectionReady(), 100);
      },
    };
    const original = expected.init;
    installGreetingPatch(expected);
    expect(expected.init).not.toBe(original);
  });
});
