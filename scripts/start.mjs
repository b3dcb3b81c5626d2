#!/usr/bin/env node
// `npm start`: build, then open the desktop app. Where Electron cannot start (its runtime
// cannot be fetched, there is no display, or it fails at launch) say so in one line and run
// the same relay and console headless instead, so the command always brings up a working relay.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const LAUNCH_GRACE_MS = 15_000;

function build() {
  const electronVite = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const result = spawnSync(process.execPath, [electronVite, 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** The reason no desktop window can open here, or undefined plus the Electron binary's path. */
function desktopUnavailable() {
  if (process.env.RELAYDESK_HEADLESS === '1') return { reason: 'RELAYDESK_HEADLESS=1' };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'no display' };
  }
  // require('electron') returns the binary's path, downloading it first if needed.
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (probe.status !== 0 || !probe.stdout) return { reason: 'the Electron runtime could not be fetched' };
  return { electron: probe.stdout };
}

function runHeadless() {
  const child = spawn(process.execPath, [join(root, 'out', 'main', 'headless.js'), ...args], {
    cwd: root,
    stdio: 'inherit',
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function fallBack(reason) {
  console.log(`Relaydesk: the desktop window cannot open here (${reason}); running headless instead.`);
  runHeadless();
}

build();
const desktop = desktopUnavailable();
if (!desktop.electron) {
  fallBack(desktop.reason);
} else {
  const started = Date.now();
  let lastError = '';
  const child = spawn(desktop.electron, ['.', ...args], { cwd: root, stdio: ['inherit', 'inherit', 'pipe'] });
  child.stderr.on('data', (chunk) => {
    process.stderr.write(chunk);
    const lines = chunk.toString().trim().split('\n');
    lastError = lines[lines.length - 1] ?? lastError;
  });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('error', (err) => fallBack(`Electron failed to launch: ${err.message}`));
  child.on('exit', (code, signal) => {
    if (code !== 0 && !signal && Date.now() - started < LAUNCH_GRACE_MS) {
      fallBack(`Electron exited at launch${lastError ? `: ${lastError.slice(0, 160)}` : ''}`);
      return;
    }
    process.exit(code ?? 0);
  });
}
