/**
 * node bench/run.mjs bench/console/fill.ts --messages N --data-dir D
 *
 * The generation step of bench:console, run as its own process: a bulk load leaves the process
 * slower at full-text queries afterwards (FTS5's prefix merging, allocation-heavy, ran 2-3 times
 * slower in the loading process than in a fresh one), and the app never serves its console from a
 * process that has just written a million mails. Opens (and migrates) the store in D and fills it
 * unless it already holds N mails.
 */
import { join } from 'node:path';
import { openStore } from '../../src/main/store/store';
import { benchArgs } from '../args';
import { BENCH_NOW, generateMail } from './generate';

const opts = benchArgs({ messages: '1000000', 'data-dir': '' });
const total = Number(opts.messages);

function fill(dataDir: string): void {
  const opened = performance.now();
  const store = openStore(join(dataDir, 'relaydesk.db'));
  const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);
  console.log(`store opened in ${seconds(opened)} s (pending migrations included)`);
  try {
    const held = store.messages.countMessages();
    if (held >= total) {
      console.log(`store holds ${held.toLocaleString('en')} mails; no generation`);
      return;
    }
    if (held > 0) {
      throw new Error(
        `${dataDir} holds ${held} mails, fewer than ${total}; remove it or give another --data-dir`,
      );
    }
    const started = performance.now();
    generateMail(store, {
      messages: total,
      now: BENCH_NOW,
      onProgress: (done, all) => {
        if (done % 100_000 !== 0 && done !== all) return;
        const rate = Math.round(done / ((performance.now() - started) / 1000));
        console.log(
          `  generated ${done.toLocaleString('en')} / ${all.toLocaleString('en')} mails  ${seconds(started)} s  (${rate}/s)`,
        );
      },
    });
    console.log(`generation: ${total.toLocaleString('en')} mails in ${seconds(started)} s`);
  } finally {
    store.close();
  }
}

export const done = Promise.resolve()
  .then(() => fill(opts['data-dir']))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
