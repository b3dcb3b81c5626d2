/** The result table (Markdown, so the README can take it as printed). */
import { TARGET_LABELS, TARGETS, type TargetKey } from './target';

export interface Row {
  case: string;
  figure: string;
  /** Which way is better; ratios are always Relaydesk ÷ peer. */
  better?: 'higher' | 'lower';
  digits: number;
  /** No ratio column (a growth near zero makes one meaningless). */
  noRatio?: boolean;
  values: Partial<Record<TargetKey, number>>;
  /** Text after a value, e.g. a process count or a warning mark. */
  suffix?: Partial<Record<TargetKey, string>>;
}

const number = (n: number, digits: number) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : '–';

export function renderTable(rows: Row[], ran: TargetKey[]): string {
  const targets = TARGETS.filter((t) => ran.includes(t));
  const peers = targets.filter((t) => t !== 'relaydesk' && ran.includes('relaydesk'));
  const head = [
    'case',
    'figure',
    ...targets.map((t) => TARGET_LABELS[t]),
    ...peers.map((p) => `Relaydesk ÷ ${TARGET_LABELS[p]}`),
  ];
  const lines = [head, head.map(() => '---')];
  for (const row of rows) {
    const arrow = row.better === 'higher' ? ' ↑' : row.better === 'lower' ? ' ↓' : '';
    const cells = targets.map((t) => {
      const v = row.values[t];
      return v === undefined ? '' : `${number(v, row.digits)}${row.suffix?.[t] ?? ''}`;
    });
    const ratios = peers.map((p) => {
      const a = row.values.relaydesk;
      const b = row.values[p];
      return row.noRatio || a === undefined || b === undefined || !(b > 0) ? '' : `${(a / b).toFixed(2)}×`;
    });
    lines.push([row.case, `${row.figure}${arrow}`, ...cells, ...ratios]);
  }
  return lines.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
