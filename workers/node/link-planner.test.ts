import { describe, expect, it } from 'vitest';
import { createLinkPlanner } from './link-planner.ts';

function setup(minLinks: number, candidates: string[], neighbours: string[] = []) {
  let t = 0;
  const dialed: string[] = [];
  const state = { neighbours, candidates };
  const planner = createLinkPlanner({
    minLinks,
    neighbours: () => state.neighbours,
    candidates: () => state.candidates,
    dial: (id) => dialed.push(id),
    now: () => t,
    random: () => 0.5,
    pendingMs: 1000,
  });
  return { planner, dialed, state, advance: (ms: number) => (t += ms) };
}

describe('link planner', () => {
  it('dials just enough candidates to reach minLinks', () => {
    const s = setup(2, ['a', 'b', 'c', 'd'], ['x']);
    expect(s.planner.plan()).toHaveLength(1);
    expect(s.dialed).toHaveLength(1);
    expect(['a', 'b', 'c', 'd']).toContain(s.dialed[0]);
  });

  it('counts pending dials and does not dial the same peer twice', () => {
    const s = setup(2, ['a', 'b', 'c']);
    s.planner.plan();
    expect(s.planner.plan()).toEqual([]);
    expect(new Set(s.dialed).size).toBe(2);
  });

  it('retries after the pending window, never dials existing neighbours', () => {
    const s = setup(1, ['a']);
    s.planner.plan();
    s.advance(500);
    expect(s.planner.plan()).toEqual([]);
    s.advance(600);
    expect(s.planner.plan()).toEqual(['a']);
    s.state.neighbours = ['a'];
    s.advance(5000);
    expect(s.planner.plan()).toEqual([]);
  });

  it('does nothing at or above minLinks', () => {
    const s = setup(2, ['a', 'b'], ['x', 'y']);
    expect(s.planner.plan()).toEqual([]);
  });
});
