#!/usr/bin/env node
// Runs a bench script through Vite's module runner, so engine code that Vite builds
// (import.meta.glob migrations, the @shared alias) runs exactly as in the app and the tests.
// usage: node bench/run.mjs bench/signing.ts [args…]
import { resolve } from 'node:path';
import { createServer, createServerModuleRunner } from 'vite';

const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/run.mjs <bench file> [args…]');
  process.exit(2);
}
process.argv = [process.argv[0], resolve(file), ...args];
const server = await createServer({
  configFile: false,
  root: resolve(import.meta.dirname, '..'),
  resolve: { alias: { '@shared': resolve(import.meta.dirname, '../src/shared') } },
  // No WebSocket server: nothing reloads, and a bench may start another runner (bench:console does).
  server: { middlewareMode: true, hmr: false, ws: false, watch: null },
  appType: 'custom',
  logLevel: 'warn',
  optimizeDeps: { noDiscovery: true, include: [] },
});
const runner = createServerModuleRunner(server.environments.ssr, { hmr: false });
try {
  const bench = await runner.import(resolve(file));
  // A bench module exports `done`, the promise of its run.
  await bench.done;
} finally {
  await runner.close();
  await server.close();
}
