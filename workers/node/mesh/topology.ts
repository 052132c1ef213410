/** Topology control (filled in by M3). */
import type { MeshCore } from './core.ts';

export class TopologyControl {
  constructor(private readonly core: MeshCore) {}
  linkUp(_peer: string): void {}
  linkDown(_peer: string): void {}
  stop(): void {}
}
