/** Processes and memory from /proc (Linux), free ports, and the machine line. */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, cpus, release } from 'node:os';
import { sleepSync } from './cleanup';

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** State letter and parent of a process, or undefined if it is gone. */
function stat(pid: number): { state: string; ppid: number } | undefined {
  const text = read(`/proc/${pid}/stat`);
  if (!text) return undefined;
  // "pid (comm) S ppid …"; comm may hold spaces and parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0] ?? '', ppid: Number(fields[1]) };
}

/** Running (a zombie waiting to be reaped counts as gone). */
export function alive(pid: number): boolean {
  const s = stat(pid);
  return s !== undefined && s.state !== 'Z' && s.state !== 'X';
}

/** Waits (blocking) until the process is gone; true if it went within `ms`. */
export function waitGoneSync(pid: number, ms: number): boolean {
  const deadline = Date.now() + ms;
  while (alive(pid)) {
    if (Date.now() > deadline) return false;
    sleepSync(20);
  }
  return true;
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** The given processes and all their descendants that are alive. */
export function processTree(roots: number[]): number[] {
  const children = new Map<number, number[]>();
  for (const pid of allPids()) {
    const s = stat(pid);
    if (!s || s.state === 'Z') continue;
    const list = children.get(s.ppid) ?? [];
    list.push(pid);
    children.set(s.ppid, list);
  }
  const out: number[] = [];
  const todo = roots.filter(alive);
  for (let pid = todo.pop(); pid !== undefined; pid = todo.pop()) {
    if (out.includes(pid)) continue;
    out.push(pid);
    todo.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Processes whose environment holds `name=value` (how Postfix marks its instance: MAIL_CONFIG). */
export function processesWithEnv(name: string, value: string): number[] {
  const needle = `\0${name}=${value}\0`;
  return allPids().filter((pid) => {
    const env = read(`/proc/${pid}/environ`);
    return env !== undefined && `\0${env}\0`.includes(needle);
  });
}

function kbField(text: string | undefined, field: string): number {
  const kb = text && new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)?.[1];
  return kb ? Number(kb) * 1024 : 0;
}

export interface Memory {
  /** Sum of the processes' resident sets (shared pages counted in each process). */
  rss: number;
  /** Sum of the proportional set sizes (shared pages split between the processes sharing them). */
  pss: number;
  processes: number;
}

/** `withPss`: also read smaps_rollup (the kernel walks the page tables: costlier). */
export function memoryOf(pids: number[], withPss = true): Memory {
  let rss = 0;
  let pss = 0;
  let processes = 0;
  for (const pid of pids) {
    const r = kbField(read(`/proc/${pid}/status`), 'VmRSS');
    if (r === 0) continue;
    processes++;
    rss += r;
    if (withPss) pss += kbField(read(`/proc/${pid}/smaps_rollup`), 'Pss');
  }
  return { rss, pss, processes };
}

/** Samples the summed memory of a set of processes (asked anew each time) and keeps the peaks. */
export function sampleMemory(pids: () => number[], everyMs = 100, withPss = true): { stop(): Memory } {
  const peak: Memory = { rss: 0, pss: 0, processes: 0 };
  const take = () => {
    const m = memoryOf(pids(), withPss);
    if (m.rss > peak.rss) {
      peak.rss = m.rss;
      peak.processes = m.processes;
    }
    peak.pss = Math.max(peak.pss, m.pss);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { ...peak };
    },
  };
}

/** A loopback port that was free a moment ago (bind port 0, release it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function machineLine(): string {
  const model = (read('/proc/cpuinfo') ?? '').match(/^model name\s*:\s*(.+)$/m)?.[1] ?? cpus()[0]?.model;
  const memory = kbField(read('/proc/meminfo'), 'MemTotal');
  return `${availableParallelism()} × ${model ?? 'unknown CPU'}, ${(memory / 2 ** 30).toFixed(0)} GiB RAM, Linux ${release()}, Node ${process.version}`;
}
