import { createRateLimiter, type RateLimiter } from '../http/rate-limiter.js';
import {
  createSharedRateLimiter,
  type BudgetStore,
  type SharedRateLimiterOptions,
} from '../http/shared-rate-limiter.js';
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
  return createRateLimiter({
    limit: options.callsPerMinute ?? 60,
    windowMs: widened(options.windowMs ?? 60_000),
    clock: options.clock ?? systemClock,
  });
}

function widened(windowMs: number): number {
  return windowMs + Math.max(50, Math.ceil(windowMs * 0.05));
}

export interface CreateSharedCin7LimiterOptions
  extends
    CreateCin7LimiterOptions,
    Pick<
      SharedRateLimiterOptions,
      | 'slotToleranceMs'
      | 'clockSkewMs'
      | 'maxBatch'
      | 'storageTimeoutMs'
      | 'maxWaitMs'
      | 'onReservation'
      | 'onStorageFailure'
    > {
  /** The storage row every process of the installation shares (`createTableBudgetStore`). */
  store: BudgetStore;
}

/**
 * The Cin7 budget shared by every Function instance and the CLI (src/http/shared-rate-limiter.ts), with the
 * same widened window as the per-process limiter. Without it each instance would spend its own 60 calls a
 * minute, and a scaled-out app would earn 429/503 storms and, after six failed deliveries, disabled webhooks.
 */
export function createSharedCin7Limiter(options: CreateSharedCin7LimiterOptions): RateLimiter {
  const { callsPerMinute, clock, store, ...rest } = options;
  const windowMs = options.windowMs ?? 60_000;
  // Slot tolerance and clock skew keep their defaults (1 s and 0.5 s) in a shrunk test window too: they
  // stand for event-loop delay and host clock drift, which do not shrink with the window.
  return createSharedRateLimiter({
    ...rest,
    store,
    name: 'Cin7',
    limit: callsPerMinute ?? 60,
    windowMs: widened(windowMs),
    clock: clock ?? systemClock,
  });
}

let processLimiter: RateLimiter | undefined;

/** The process-wide default used when a client is created without a limiter. */
export function sharedCin7Limiter(): RateLimiter {
  processLimiter ??= createCin7Limiter();
  return processLimiter;
}
