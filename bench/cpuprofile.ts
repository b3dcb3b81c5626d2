/**
 * npx tsx bench/cpuprofile.ts <file.cpuprofile> [--top 40] [--match src/main]
 *
 * Where a V8 CPU profile's time went: per function, the share of samples it was on the stack
 * (inclusive, each sample counted once per function however deep the recursion) and at the top
 * (self). `--match` keeps functions whose script URL contains the text (e.g. `src/main` for the
 * relay's own code); idle and GC are always listed. Used for docs/performance.md.
 */
import { readFileSync } from 'node:fs';
import { benchArgs } from './args';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

const file = process.argv[2];
if (!file || file.startsWith('--')) {
  console.error('usage: npx tsx bench/cpuprofile.ts <file.cpuprofile> [--top 40] [--match src/main]');
  process.exit(2);
}
const opts = benchArgs({ top: '40', match: '' }, process.argv.slice(3));
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const parent = new Map<number, number>();
const byId = new Map<number, Node>();
for (const n of profile.nodes) {
  byId.set(n.id, n);
  for (const c of n.children ?? []) parent.set(c, n.id);
}
const label = (n: Node) => {
  const { functionName, url, lineNumber } = n.callFrame;
  const where = url.replace(/^.*\/(src|node_modules)\//, '$1/').replace(/^file:\/\//, '');
  return `${functionName || '(anonymous)'} ${where ? `${where}:${lineNumber + 1}` : ''}`.trim();
};

const inclusive = new Map<string, number>();
const self = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  total += dt;
  const top = byId.get(id);
  if (!top) return;
  self.set(label(top), (self.get(label(top)) ?? 0) + dt);
  const seen = new Set<string>();
  for (let n: Node | undefined = top; n; n = byId.get(parent.get(n.id) ?? -1)) {
    const l = label(n);
    if (seen.has(l)) continue;
    seen.add(l);
    inclusive.set(l, (inclusive.get(l) ?? 0) + dt);
  }
});

const pct = (t: number) => `${((100 * t) / total).toFixed(1).padStart(5)} %`;
const keep = (l: string) =>
  !opts.match || l.includes(opts.match) || /^\((idle|garbage collector|program)\)/.test(l);
const rows = (m: Map<string, number>) =>
  [...m.entries()]
    .filter(([l]) => keep(l))
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(opts.top));
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
console.log('\ninclusive (on the stack)');
for (const [l, t] of rows(inclusive)) console.log(`${pct(t)}  ${l}`);
console.log('\nself (at the top)');
for (const [l, t] of rows(self)) console.log(`${pct(t)}  ${l}`);
