import { describe, expect, inject, it } from 'vitest';
import { runInstances } from './multi-process.js';

describe('one Cin7 budget across processes', () => {
  it('when four runtimes in separate processes call Cin7 as fast as they can, then the simulator never sees more than the limit in any window and storage costs at most one round trip per call', async () => {
    const result = await runInstances({
      azuriteConnectionString: inject('azuriteConnectionString'),
      instances: 4,
      limit: 60,
      windowMs: 6_000,
      durationMs: 14_000,
    });

    expect(result.throttled).toBe(0);
    expect(result.peak).toBeLessThanOrEqual(60);
    // The budget is shared, not starved: the busiest window uses most of it.
    expect(result.peak).toBeGreaterThanOrEqual(45);
    expect(result.workers.every((w) => w.calls > 0 && w.failures === 0)).toBe(true);
    expect(result.storageCalls).toBeLessThanOrEqual(result.requests);
  }, 90_000);
});
