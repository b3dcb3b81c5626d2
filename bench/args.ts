/** `--name value` flags of a bench script, with defaults. Sizes accept k/m suffixes (5k = 5 KiB). */
export function benchArgs<T extends Record<string, string>>(defaults: T, argv = process.argv.slice(2)): T {
  const out: Record<string, string> = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) continue;
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (!(name in defaults))
      throw new Error(`unknown option --${name}; known: ${Object.keys(defaults).join(', ')}`);
    out[name] = inline ?? argv[++i] ?? '';
  }
  return out as T;
}

export function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([km]?)i?b?$/i.exec(text.trim());
  if (!m) throw new Error(`size "${text}" is not like 5k, 1m or 2048`);
  const unit = { '': 1, k: 1024, m: 1024 * 1024 }[(m[2] ?? '').toLowerCase() as '' | 'k' | 'm'];
  return Math.round(Number(m[1]) * unit);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}
