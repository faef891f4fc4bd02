import { createRateLimiter, type RateLimiter } from '../http/rate-limiter.js';
import { systemClock, type Clock } from '../core/clock.js';

/**
 * BC's OData/API limits per user, service principals included (reference/bc-api.md §7.1, from Microsoft's
 * `operational-limits-online.md`): 6,000 requests per 5-minute sliding window (beyond it: 429) and 5 requests
 * processed at once (more wait in BC's queue and get 503 after 8 minutes there).
 */
export const BC_REQUESTS_PER_WINDOW = 6000;
export const BC_WINDOW_MS = 5 * 60_000;
export const BC_MAX_CONCURRENT = 5;

export interface CreateBcLimiterOptions {
  clock?: Clock;
  /** Requests per window (default BC's 6,000). */
  limit?: number;
  /** Window length (default 5 minutes); the sandbox scales it with its simulated time. */
  windowMs?: number;
  /** Requests in flight at once (default BC's 5). */
  maxConcurrent?: number;
}

/**
 * A limiter with BC's per-user limits. Every BC client of a process calls as the same app user, so they must
 * share one: the composition root (`src/compose/`) creates it and hands it to each client.
 */
export function createBcLimiter(options: CreateBcLimiterOptions = {}): RateLimiter {
  return createRateLimiter({
    limit: options.limit ?? BC_REQUESTS_PER_WINDOW,
    windowMs: options.windowMs ?? BC_WINDOW_MS,
    maxConcurrent: options.maxConcurrent ?? BC_MAX_CONCURRENT,
    clock: options.clock ?? systemClock,
  });
}
