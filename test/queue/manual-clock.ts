import type { Clock } from '../../src/core/clock.js';

export interface ManualClock extends Clock {
  /** Moves time forward, resolving every sleep that falls due on the way, in order. */
  advance(ms: number): Promise<void>;
}

/** A clock that only moves when told to, so scheduled-message tests take no real time. */
export function manualClock(startMs = Date.parse('2026-11-28T10:00:00Z')): ManualClock {
  let now = startMs;
  const sleepers: Array<{ at: number; resolve: () => void }> = [];
  return {
    now: () => now,
    random: () => 0.5,
    sleep: (ms) => new Promise<void>((resolve) => sleepers.push({ at: now + Math.max(0, ms), resolve })),
    async advance(ms) {
      const target = now + ms;
      for (;;) {
        sleepers.sort((a, b) => a.at - b.at);
        const next = sleepers[0];
        if (next === undefined || next.at > target) break;
        sleepers.shift();
        now = next.at;
        next.resolve();
        // Lets whatever the sleeper resumes run before time moves on.
        await new Promise((resolve) => setImmediate(resolve));
      }
      now = target;
    },
  };
}
