/**
 * CPU time per thread of the browser WE launched (descendants of this Node process only), read
 * from /proc before and after a case: which thread does the work (renderer main thread, node
 * workers, the WebRTC network thread that runs DTLS/SCTP, WebCrypto's pool). Linux only; 10 ms
 * tick resolution, so only runs of a second or more are meaningful.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

type Snapshot = Map<string, number>;

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // a thread or process that just ended: nothing to count
  }
}

/** stat's fields after the ")" that closes comm (comm may contain spaces). */
function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const s = read(`/proc/${d}/stat`);
    if (s) parent.set(Number(d), Number(statFields(s)[1]));
  }
  const out: number[] = [];
  for (const pid of parent.keys()) {
    let p: number | undefined = pid;
    for (let i = 0; i < 64 && p !== undefined && p > 1; i++) {
      if (p === root) {
        if (pid !== root) out.push(pid);
        break;
      }
      p = parent.get(p);
    }
  }
  return out;
}

function processKind(pid: number): string {
  const cmd = read(`/proc/${pid}/cmdline`) ?? '';
  const m = /--type=([a-z-]+)/.exec(cmd);
  if (!m) return cmd.includes('chrom') ? 'browser' : 'other';
  const sub = /--utility-sub-type=([\w.]+)/.exec(cmd);
  return sub ? `utility:${sub[1]!.split('.').at(-1) ?? sub[1]}` : m[1]!;
}

/** CPU ms so far, keyed "process kind / thread name". */
export function cpuSnapshot(): Snapshot {
  const snap: Snapshot = new Map();
  for (const pid of descendants(process.pid)) {
    const kind = processKind(pid);
    if (kind === 'other') continue;
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // exited between listing and reading
    }
    for (const tid of tasks) {
      const stat = read(`/proc/${pid}/task/${tid}/stat`);
      const comm = read(`/proc/${pid}/task/${tid}/comm`)?.trim();
      if (!stat || !comm) continue;
      const f = statFields(stat);
      const ms = (Number(f[11]) + Number(f[12])) * TICK_MS;
      // Numbered pool threads (ThreadPoolForeg, DedicatedWorker thread) are summed by name.
      const key = `${kind} / ${comm.replace(/\d+$/, '#')}`;
      snap.set(key, (snap.get(key) ?? 0) + ms);
    }
  }
  return snap;
}

/** Threads that used CPU between two snapshots, busiest first. */
export function cpuDiff(before: Snapshot, after: Snapshot): { thread: string; ms: number }[] {
  const out: { thread: string; ms: number }[] = [];
  for (const [k, v] of after) {
    const d = v - (before.get(k) ?? 0);
    if (d > 0) out.push({ thread: k, ms: d });
  }
  return out.sort((a, b) => b.ms - a.ms);
}
