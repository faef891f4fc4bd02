import type { Clock } from '../core/clock.js';

export interface RateLimiterOptions {
  /** Calls allowed per window. */
  limit: number;
  /** Window length in milliseconds (sliding). */
  windowMs: number;
  /** Calls in flight at once; unlimited when absent. */
  maxConcurrent?: number;
  clock: Clock;
}

export interface RateLimiter {
  /** Waits for a slot and returns the function that frees it. Always call the release, even on failure. */
  acquire(): Promise<() => void>;
  /**
   * The other side throttled us: hold every caller until `untilMs` (epoch ms). Shared by all calls of the
   * process so one 429 slows everyone, not just the caller that saw it.
   */
  pauseUntil(untilMs: number): void;
}

/**
 * A sliding-window limiter with an optional concurrency cap. Starts are recorded when a slot is granted,
 * so the window counts what the server counts: requests sent.
 */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { limit, windowMs, clock } = options;
  const maxConcurrent = options.maxConcurrent ?? Number.POSITIVE_INFINITY;
  const starts: number[] = [];
  let inFlight = 0;
  let pausedUntil = 0;
  const waiters: Array<() => void> = [];
  let pumping = false;

  async function pump(): Promise<void> {
    if (pumping) return;
    pumping = true;
    try {
      while (waiters.length > 0) {
        const now = clock.now();
        while (starts.length > 0 && (starts[0] ?? 0) <= now - windowMs) starts.shift();
        if (pausedUntil > now) {
          await clock.sleep(pausedUntil - now);
          continue;
        }
        if (inFlight >= maxConcurrent) return; // a release will pump again
        if (starts.length >= limit) {
          await clock.sleep((starts[0] ?? now) + windowMs - now);
          continue;
        }
        starts.push(now);
        inFlight += 1;
        waiters.shift()?.();
      }
    } finally {
      pumping = false;
    }
  }

  return {
    acquire() {
      return new Promise((resolve) => {
        let released = false;
        waiters.push(() =>
          resolve(() => {
            if (released) return;
            released = true;
            inFlight -= 1;
            void pump();
          }),
        );
        void pump();
      });
    },
    pauseUntil(untilMs) {
      pausedUntil = Math.max(pausedUntil, untilMs);
    },
  };
}
