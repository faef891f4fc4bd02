import { createRateLimiter, type RateLimiter } from '../http/rate-limiter.js';
import { systemClock, type Clock } from '../core/clock.js';

export interface CreateCin7LimiterOptions {
  /** Calls per window. Default 60: Cin7's documented limit (reference/cin7-core-api.md §1.4). */
  callsPerMinute?: number;
  /** Window length. Default 60 000 ms; tests shrink it to keep runs short. */
  windowMs?: number;
  clock?: Clock;
}

/**
 * The limiter every Cin7 client of the process must share. The limit may be per account rather than per
 * application (reference §1.4, [3P-RL]), so the whole process budgets as one caller.
 *
 * The window is widened by 5 % (at least 50 ms): we count when a request leaves, Cin7 counts when it
 * arrives, and uneven network delay could otherwise put one call too many into Cin7's window.
 */
export function createCin7Limiter(options: CreateCin7LimiterOptions = {}): RateLimiter {
  const windowMs = options.windowMs ?? 60_000;
  return createRateLimiter({
    limit: options.callsPerMinute ?? 60,
    windowMs: windowMs + Math.max(50, Math.ceil(windowMs * 0.05)),
    clock: options.clock ?? systemClock,
  });
}

let processLimiter: RateLimiter | undefined;

/** The process-wide default used when a client is created without a limiter. */
export function sharedCin7Limiter(): RateLimiter {
  processLimiter ??= createCin7Limiter();
  return processLimiter;
}
