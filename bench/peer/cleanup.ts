/**
 * Everything bench:peer starts or creates registers an undo step here. The steps are synchronous,
 * so they run on every way out: the normal end, an error, SIGINT/SIGTERM/SIGHUP and process.exit.
 * They run newest first, each once.
 */
const steps: { name: string; run: () => void }[] = [];

/** Registers an undo step; the returned function runs it now (and unregisters it). */
export function onCleanup(name: string, run: () => void): () => void {
  const step = { name, run };
  steps.push(step);
  return () => {
    const i = steps.indexOf(step);
    if (i >= 0) {
      steps.splice(i, 1);
      runStep(step);
    }
  };
}

function runStep(step: { name: string; run: () => void }): void {
  try {
    step.run();
  } catch (err) {
    console.error(`cleanup (${step.name}) failed: ${err instanceof Error ? err.message : err}`);
  }
}

export function cleanupAll(): void {
  for (let step = steps.pop(); step; step = steps.pop()) runStep(step);
}

let installed = false;
/** Runs the steps on exit and on the usual termination signals (then exits 128 + signal number). */
export function installCleanupHandlers(): void {
  if (installed) return;
  installed = true;
  process.on('exit', cleanupAll);
  const signals = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const;
  for (const [signal, number] of Object.entries(signals)) {
    process.on(signal, () => {
      console.error(`\nbench:peer: ${signal}, cleaning up`);
      cleanupAll();
      process.exit(128 + number);
    });
  }
}

/** Blocks the thread for `ms` (cleanup has to be synchronous). */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
