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

  const pump = drainLoop(
    () => waiters.length > 0,
    async () => {
      const now = clock.now();
      while (starts.length > 0 && (starts[0] ?? 0) <= now - windowMs) starts.shift();
      if (pausedUntil > now) {
        await clock.sleep(pausedUntil - now);
        return 'again';
      }
      if (inFlight >= maxConcurrent) return 'stop'; // a release will pump again
      if (starts.length >= limit) {
        await clock.sleep((starts[0] ?? now) + windowMs - now);
        return 'again';
      }
      starts.push(now);
      inFlight += 1;
      waiters.shift()?.();
      return 'again';
    },
  );

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

/**
 * The loop that hands out slots to waiters, run once at a time: a call while it runs returns at once (the
 * running loop sees the new waiter). `turn` serves or waits once and says whether to go round again.
 */
export function drainLoop(hasWaiters: () => boolean, turn: () => Promise<'again' | 'stop'>): () => Promise<void> {
  let running = false;
  return async () => {
    if (running) return;
    running = true;
    try {
      while (hasWaiters()) if ((await turn()) === 'stop') return;
    } finally {
      running = false;
    }
  };
}
