/**
 * Bootstrap dialing: until the mesh core's own topology control has neighbours to work with, a
 * node below its minimum degree dials random members of the signaling room. Dials are remembered
 * for a while so one slow negotiation is not started twice.
 */
export interface LinkPlannerOptions {
  minLinks: number;
  neighbours(): string[];
  candidates(): string[];
  dial(peerId: string): void;
  now?: () => number;
  random?: () => number;
  /** How long a dial counts as pending before it may be retried. */
  pendingMs?: number;
}

export function createLinkPlanner(opts: LinkPlannerOptions) {
  const pending = new Map<string, number>();
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const pendingMs = opts.pendingMs ?? 8_000;

  return {
    /** Dials as many candidates as needed to reach minLinks (counting pending dials). */
    plan(): string[] {
      const t = now();
      for (const [id, at] of pending) if (t - at > pendingMs) pending.delete(id);
      const linked = new Set(opts.neighbours());
      for (const id of linked) pending.delete(id);
      const missing = opts.minLinks - linked.size - pending.size;
      if (missing <= 0) return [];
      const pool = opts.candidates().filter((id) => !linked.has(id) && !pending.has(id));
      // Fisher–Yates on a copy: random choice keeps newcomers from all piling onto one peer.
      for (let i = pool.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [pool[i], pool[j]] = [pool[j]!, pool[i]!];
      }
      const chosen = pool.slice(0, missing);
      for (const id of chosen) {
        pending.set(id, t);
        opts.dial(id);
      }
      return chosen;
    },
    forget(peerId: string) {
      pending.delete(peerId);
    },
  };
}
