/**
 * npm run sim -- --nodes 1000 --loss 0.05 --churn 0.05 --seed 1 [--min-links 3 --max-links 6]
 *   [--pairs 300 --broadcasts 10 --settle-ms 20000 --churn-window-ms 60000] [--json]
 */
import { runSimulation, type SimOptions, type SimReport } from './run.ts';

function parseArgs(argv: string[]): SimOptions & { json: boolean } {
  const o: SimOptions & { json: boolean } = { nodes: 100, json: false };
  const num = (v: string | undefined, flag: string) => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n)) throw new Error(`${flag} needs a number`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const next = () => num(argv[++i], flag);
    switch (flag) {
      case '--nodes':
        o.nodes = next();
        break;
      case '--loss':
        o.loss = next();
        break;
      case '--churn':
        o.churn = next();
        break;
      case '--seed':
        o.seed = next();
        break;
      case '--min-links':
        o.minLinks = next();
        break;
      case '--max-links':
        o.maxLinks = next();
        break;
      case '--pairs':
        o.pairs = next();
        break;
      case '--broadcasts':
        o.broadcasts = next();
        break;
      case '--settle-ms':
        o.settleMs = next();
        break;
      case '--churn-window-ms':
        o.churnWindowMs = next();
        break;
      case '--json':
        o.json = true;
        break;
      default:
        throw new Error(`unknown flag ${flag}`);
    }
  }
  return o;
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

export function formatReport(r: SimReport): string {
  const s = r.static;
  const lines = [
    `nodes ${r.nodes}  loss ${r.loss}  churn ${r.churn}  seed ${r.seed}`,
    `convergence (virtual)        ${r.convergenceMs === undefined ? 'NOT converged' : `${(r.convergenceMs / 1000).toFixed(1)} s`}`,
    `unicast delivery             ${pct(s.unicastRatio)} (${s.unicastDelivered}/${s.unicastSent})`,
    `broadcast coverage           ${pct(s.broadcastCoverage)} over ${s.broadcasts} broadcasts`,
    `link sends per broadcast     ${s.sendsPerBroadcast.toFixed(1)} (n−1 = ${s.nMinus1}; ratio ${(s.sendsPerBroadcast / Math.max(1, s.nMinus1)).toFixed(3)})`,
    `control msgs / node / s      ${r.controlPerNodePerSec.toFixed(2)}`,
    `route stretch                latency ×${r.stretch.latency.toFixed(3)}, hops ×${r.stretch.hops.toFixed(3)} (${r.stretch.pairs} pairs, ${r.stretch.unrouted} unrouted)`,
    `degree                       avg ${r.graph.avgDegree.toFixed(2)} (min ${r.graph.minDegree}, max ${r.graph.maxDegree})`,
    `diameter                     ${r.graph.diameter} hops; components ${r.graph.components}; cut vertices ${r.graph.cutVertices}`,
  ];
  if (r.churned) {
    const c = r.churned;
    lines.push(
      `churn: ${c.left} left, ${c.joined} joined`,
      `  unicast during churn       ${pct(c.ratioFirstAttempt)} first attempt, ${pct(c.ratioWithRetry)} with outbox retry (${c.unicastSent} msgs)`,
      `  broadcast during churn     ${pct(c.broadcastCoverage)} coverage over ${c.broadcasts}`,
    );
  }
  if (r.after) {
    const a = r.after;
    lines.push(
      `after churn: re-converged ${a.reconvergedMs === undefined ? 'NO' : `in ${(a.reconvergedMs / 1000).toFixed(1)} s`}; unicast ${pct(a.unicastRatio)}; broadcast ${pct(a.broadcastCoverage)}; sends/broadcast ${a.sendsPerBroadcast.toFixed(1)} (n−1 = ${a.nMinus1}); degree ${a.graph.avgDegree.toFixed(2)}; diameter ${a.graph.diameter}; components ${a.graph.components}`,
    );
  }
  lines.push(
    `wall ${(r.wallMs / 1000).toFixed(1)} s, ${r.events} events, ${r.realVerifies} real verifies, ${r.memoHits} memo hits`,
  );
  return lines.join('\n');
}

const opts = parseArgs(process.argv.slice(2));
const report = await runSimulation({ ...opts, log: (l) => console.error(`[sim] ${l}`) });
console.log(opts.json ? JSON.stringify(report, null, 2) : formatReport(report));
