/** Statistics and formatting for the channel bench's output: absolutes first, ratios beside them. */

export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

/** Nearest-rank on the sorted samples (p99 of 300 pings is the 297th). */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  if (q === 0.5 && s.length % 2 === 0) return (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

export const mbps = (bytes: number, ms: number): number => bytes / 1e6 / (ms / 1000);
export const fx = (x: number, d = 2): string => (Number.isFinite(x) ? x.toFixed(d) : '—');

export interface Row {
  what: string;
  ours: string;
  base: string;
  ratio: string;
  target: string;
  ok: boolean | undefined;
}

export function table(rows: readonly Row[]): void {
  const head: Row = {
    what: 'case',
    ours: 'ours',
    base: 'baseline',
    ratio: 'ratio',
    target: 'target',
    ok: undefined,
  };
  const all = [head, ...rows];
  const w = (k: keyof Omit<Row, 'ok'>) => Math.max(...all.map((r) => r[k].length));
  for (const r of all) {
    const mark = r === head ? 'met' : r.ok === undefined ? '' : r.ok ? 'yes' : 'NO';
    console.log(
      `  ${r.what.padEnd(w('what'))}  ${r.ours.padStart(w('ours'))}  ${r.base.padStart(w('base'))}  ` +
        `${r.ratio.padStart(w('ratio'))}  ${r.target.padEnd(w('target'))}  ${mark}`,
    );
  }
}
