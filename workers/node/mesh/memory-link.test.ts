import { runLinkContract } from './link-contract.ts';
import { createMemoryLinkPair } from './memory-link.ts';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);

runLinkContract('in-memory, no latency', async () => ({
  ...createMemoryLinkPair(A, B),
  aId: A,
  bId: B,
}));
runLinkContract('in-memory, 3 ms jittery latency', async () => {
  let i = 0;
  return { ...createMemoryLinkPair(A, B, { latencyMs: () => (i++ % 3) + 1 }), aId: A, bId: B };
});
