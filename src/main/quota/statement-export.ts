import { formatEuro, type Statement } from '@shared/domain/quota';
import { csvLine } from '@shared/util/csv';

const euros = (micros: number) => (micros / 1_000_000).toFixed(5);

/**
 * One CSV: a line per item (blocks, usage, expiry, overage, per-connection use) and the total;
 * amounts in euros. Dates are the statement's own days (its time zone), as on screen.
 */
export function statementCsv(s: Statement): string {
  const lines: string[][] = [['period_start', 'period_end', 'item', 'detail', 'mails', 'amount_eur']];
  const row = (item: string, detail: string, mails: number, micros: number | null) =>
    lines.push([s.firstDay, s.lastDay, item, detail, String(mails), micros === null ? '' : euros(micros)]);
  for (const b of s.blocks)
    row(b.renewal ? 'block renewal' : 'block', `booked ${b.bookedDay}`, b.size, b.priceMicros);
  row('used', 'mails sent from quota', s.used, null);
  row('expired', 'unused quota that expired', s.expired, null);
  row('overage', `mails sent beyond the quota`, s.overage, s.overageMicros);
  for (const c of s.byConnection) row('connection', c.connectionName, c.used + c.overage, null);
  row('total', s.open ? 'period still open' : 'period closed', s.used + s.overage, s.totalMicros);
  return `${lines.map(csvLine).join('\r\n')}\r\n`;
}

const escapeHtml = (t: string) =>
  t.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

/** A self-contained page to print or save as PDF (no scripts, no remote anything). */
export function statementHtml(s: Statement): string {
  const rows = [
    ...s.blocks.map((b) => [
      b.renewal ? 'Block renewal' : 'Block',
      `booked ${b.bookedDay}`,
      b.size.toLocaleString('en'),
      formatEuro(b.priceMicros),
    ]),
    ['Used from quota', '', s.used.toLocaleString('en'), ''],
    ['Expired unused', '', s.expired.toLocaleString('en'), ''],
    ['Overage', 'mails beyond the quota', s.overage.toLocaleString('en'), formatEuro(s.overageMicros)],
  ];
  const byConnection = s.byConnection.map((c) => [
    c.connectionName,
    c.used.toLocaleString('en'),
    c.overage.toLocaleString('en'),
  ]);
  const table = (head: string[], body: string[][]) =>
    `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${body
      .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
      .join('')}</tbody></table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Relaydesk statement ${s.firstDay} to ${s.lastDay}</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;width:100%;margin:1rem 0}
th,td{border-bottom:1px solid #ddd;padding:.4rem .6rem;text-align:left}td:nth-child(n+3),th:nth-child(n+3){text-align:right}
.total{font-size:1.2rem;font-weight:600}</style></head>
<body><h1>Statement</h1><p>Transactional mail, ${s.firstDay} to ${s.lastDay} (${escapeHtml(s.timeZone)})${s.open ? ', period still open' : ''}.</p>
${table(['Item', 'Detail', 'Mails', 'Amount'], rows)}
<p class="total">Total: ${formatEuro(s.totalMicros)}</p>
<h2>Per connection</h2>
${table(['Connection', 'From quota', 'Overage'], byConnection)}
</body></html>
`;
}
