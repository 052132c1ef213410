/** Formatting for the storage bench's output: absolute figures first, ratios beside them. */

export interface SummaryRow {
  what: string;
  ours: string;
  base: string;
  ratio: string;
  target: string;
  ok: boolean;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export const ms = (x: number): string => `${x < 10 ? x.toFixed(2) : x.toFixed(1)} ms`.padStart(10);
export const ratio = (x: number): string => `${x < 10 ? x.toFixed(2) : x.toFixed(1)}×`;

/** One timed case: median ms, and throughput when it moves `count` messages. */
export function line(label: string, medianMs: number, count: number, extra = ''): void {
  const rate = Math.round(count / (medianMs / 1000)).toLocaleString('en');
  console.log(`    ${label.padEnd(26)} ${ms(medianMs)}  ${rate.padStart(9)} msg/s  ${extra}`);
}

export function summaryTable(rows: readonly SummaryRow[]): void {
  const head: SummaryRow = {
    what: 'case',
    ours: 'ours',
    base: 'baseline',
    ratio: 'ratio',
    target: 'target',
    ok: true,
  };
  const w = (k: keyof Omit<SummaryRow, 'ok'>) =>
    Math.max(...[head, ...rows].map((r) => r[k].trim().length));
  const fmt = (r: SummaryRow, mark: string) =>
    `  ${r.what.padEnd(w('what'))}  ${r.ours.trim().padStart(w('ours'))}  ${r.base.trim().padStart(w('base'))}  ` +
    `${r.ratio.padStart(w('ratio'))}  ${r.target.padEnd(w('target'))}  ${mark}`;
  console.log(fmt(head, 'met'));
  for (const r of rows) console.log(fmt(r, r.ok ? 'yes' : 'NO'));
}
