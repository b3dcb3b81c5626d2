import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MethodName, ResultOf } from '@shared/api/contract';
import type { ParamsOf } from '@shared/api/schemas';
import type { OsSecretStorage } from '../../src/main/config/secret-box';
import type { Settings } from '../../src/main/config/settings-schema';
import { type Engine, startEngine } from '../../src/main/engine/app';
import type { Clock } from '../../src/main/engine/clock';
import { type Logger, lineLogger, silentLogger } from '../../src/main/engine/logger';
import type { Resolver } from '../../src/main/engine/resolver';
import { FakeDns } from './fake-dns';
import { createSender, type Sender } from './sender';

export function tempDir(prefix = 'relaydesk-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface TestRelay {
  engine: Engine;
  dataDir: string;
  smtpPort: number;
  call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  stop(): Promise<void>;
  /** Stops and deletes the data folder. */
  dispose(): Promise<void>;
}

/** A real engine on 127.0.0.1 with a free SMTP port and its own temporary data folder. */
export async function startRelay(
  options: {
    dataDir?: string;
    clock?: Clock;
    overrides?: Partial<Settings>;
    resolver?: Resolver;
    mxPort?: number;
    /** false: delivery paused, for tests of intake alone (mail stays queued, nothing bounces). */
    deliver?: boolean;
    /** Where the engine's log lines go (default: nowhere). */
    log?: Logger;
    /** The desktop's keychain (a fake safeStorage in tests). */
    osSecretStorage?: OsSecretStorage;
  } = {},
): Promise<TestRelay> {
  const dataDir = options.dataDir ?? tempDir();
  const engine = await startEngine({
    dataDir,
    log: options.log ?? silentLogger,
    ...(options.clock ? { clock: options.clock } : {}),
    // No test may reach the internet's DNS: an empty fake unless the test brings its own.
    resolver: options.resolver ?? new FakeDns(),
    ...(options.mxPort ? { mxPort: options.mxPort } : {}),
    ...(options.osSecretStorage ? { osSecretStorage: options.osSecretStorage } : {}),
    overrides: {
      'smtp.host': '127.0.0.1',
      'smtp.port': 0,
      'bounces.listen': '127.0.0.1:0',
      ...options.overrides,
    },
  });
  if (options.deliver === false) await engine.dispatch('queue.pause', {});
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await engine.stop();
  };
  return {
    engine,
    dataDir,
    smtpPort: engine.context.smtp.port,
    async call(method, params) {
      const result = await engine.dispatch(method, params);
      if (!result.ok)
        throw Object.assign(new Error(result.error.message), {
          code: result.error.code,
          error: result.error,
        });
      return result.value as never;
    },
    stop,
    async dispose() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A logger that keeps its lines, for tests that check what the relay says. */
export function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(
    lineLogger((line) => lines.push(line)),
    { lines },
  );
}

/** A connection that may send from example.com (see createSender). */
export function createConnection(
  relay: TestRelay,
  params: ParamsOf<'connections.create'> = { name: 'Webshop' },
  domain = 'example.com',
): Promise<Sender> {
  return createSender((method, p) => relay.call(method as MethodName, p as never), params, domain);
}

/** Polls a message until every recipient is in one of `statuses` (bounded), and returns its detail. */
export async function waitForRecipients(
  relay: TestRelay,
  id: string,
  statuses: string[],
  timeoutMs = 15_000,
): Promise<ResultOf<'messages.get'>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const message = await relay.call('messages.get', { id });
    if (message.recipientStates.every((r) => statuses.includes(r.status))) return message;
    if (Date.now() > deadline) {
      throw new Error(
        `message ${id} recipients still ${JSON.stringify(message.recipientStates.map((r) => r.status))}`,
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
