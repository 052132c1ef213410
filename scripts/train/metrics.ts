/** Binary classification metrics and threshold choice (spam = positive class). */

export interface Metrics {
  readonly n: number;
  readonly spam: number;
  readonly threshold: number;
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
}

export function metricsAt(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  threshold: number,
): Metrics {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < scores.length; i++) {
    const flagged = (scores[i] as number) >= threshold;
    const spam = labels[i] === 1;
    if (flagged && spam) tp++;
    else if (flagged) fp++;
    else if (spam) fn++;
    else tn++;
  }
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const n = scores.length;
  return {
    n,
    spam: tp + fn,
    threshold,
    accuracy: (tp + tn) / n,
    precision,
    recall,
    f1,
    tp,
    fp,
    fn,
    tn,
  };
}

/** Candidate thresholds: a fine grid, so the chosen values read well in the model card. */
const GRID = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);

/**
 * Strictness levels from held-out scores of the development data (never the test split):
 * - medium (default): the most recall while precision stays ≥ 0.98 (one point above the 0.97
 *   product target, as margin); among equal recalls, the highest threshold;
 * - low (fewest false alarms): at least the lowest threshold with precision ≥ 0.995, and at
 *   least halfway from medium to 1 (capped at 0.9), so it is really stricter about flagging;
 * - high (catches more): at most the highest threshold with recall ≥ 0.97, and at most half of
 *   medium (floored at 0.05).
 */
export function chooseThresholds(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
): { low: number; medium: number; high: number } {
  const at = GRID.map((t) => metricsAt(scores, labels, t));
  const precise = at.filter((m) => m.precision >= 0.98);
  const pool = precise.length > 0 ? precise : at;
  const bestRecall = Math.max(...pool.map((m) => m.recall));
  const medium = (pool.filter((m) => m.recall === bestRecall).pop() as Metrics).threshold;
  const clean = at.find((m) => m.precision >= 0.995)?.threshold ?? 0.9;
  const low = +Math.max(clean, Math.min(0.9, (medium + 1) / 2)).toFixed(2);
  const recalled = at.filter((m) => m.recall >= 0.97);
  const reach = recalled.length > 0 ? (recalled[recalled.length - 1] as Metrics).threshold : 0.05;
  const high = +Math.max(0.05, Math.min(reach, medium / 2)).toFixed(2);
  return { low, medium, high };
}

export function fmt(m: Metrics): string {
  const p = (x: number): string => x.toFixed(4);
  return `n=${m.n} spam=${m.spam} t=${m.threshold} acc=${p(m.accuracy)} P=${p(m.precision)} R=${p(m.recall)} F1=${p(m.f1)} (fp=${m.fp} fn=${m.fn})`;
}
