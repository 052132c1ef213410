import { describe, it } from 'vitest';
import { createMemoryBus, createMemoryHub } from './room-bus.ts';
import { sharedRoomScenario } from './multi-instance.ts';
import { startServer } from './test-support.ts';

describe('two instances on one in-memory hub', () => {
  it('share rooms, presence and relays', async () => {
    const hub = createMemoryHub();
    const one = await startServer({ bus: createMemoryBus(hub) });
    const two = await startServer({ bus: createMemoryBus(hub) });
    try {
      await sharedRoomScenario(one, two, 'hub');
    } finally {
      await Promise.all([one.server.close(), two.server.close()]);
    }
  });
});
