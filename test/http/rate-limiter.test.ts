import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/http/rate-limiter.js';
import type { Clock } from '../../src/core/clock.js';

/** A clock whose sleeps advance virtual time immediately, so limiter tests run in no real time. */
function virtualClock(): Clock & { elapsed: () => number } {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms) => {
      // Let every granted caller run at the current time before time moves on.
      await new Promise((resolve) => setImmediate(resolve));
      now += Math.max(0, ms);
    },
    random: () => 0.5,
    elapsed: () => now,
  };
}

describe('createRateLimiter', () => {
  it('when 150 calls are made against a 60-per-minute limit, then no 60-second window holds more than 60 starts', async () => {
    const clock = virtualClock();
    const limiter = createRateLimiter({ limit: 60, windowMs: 60_000, clock });
    const startTimes: number[] = [];
    await Promise.all(
      Array.from({ length: 150 }, async () => {
        const release = await limiter.acquire();
        startTimes.push(clock.now());
        release();
      }),
    );
    expect(startTimes).toHaveLength(150);
    for (const t of startTimes) {
      expect(startTimes.filter((s) => s >= t && s < t + 60_000).length).toBeLessThanOrEqual(60);
    }
    expect(clock.elapsed()).toBeGreaterThanOrEqual(120_000);
  });

  it('when the concurrency cap is 2, then a third caller waits for a release', async () => {
    const clock = virtualClock();
    const limiter = createRateLimiter({ limit: 100, windowMs: 1000, maxConcurrent: 2, clock });
    const first = await limiter.acquire();
    await limiter.acquire();
    let thirdStarted = false;
    const third = limiter.acquire().then((release) => {
      thirdStarted = true;
      return release;
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(thirdStarted).toBe(false);
    first();
    (await third)();
    expect(thirdStarted).toBe(true);
  });

  it('when paused after a throttle, then the next caller starts only after the pause', async () => {
    const clock = virtualClock();
    const limiter = createRateLimiter({ limit: 100, windowMs: 1000, clock });
    limiter.pauseUntil(5000);
    (await limiter.acquire())();
    expect(clock.now()).toBe(5000);
  });
});
