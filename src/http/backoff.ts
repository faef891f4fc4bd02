import type { Clock } from '../core/clock.js';

export interface BackoffOptions {
  /** Delay before the first retry, before jitter. */
  baseMs: number;
  /** Upper bound of one delay. */
  maxMs: number;
}

/**
 * Exponential backoff with "full jitter": a uniform draw in [0, min(max, base * 2^attempt)].
 * Jitter spreads retries of many workers so they do not hit a throttled API in lock-step.
 */
export function computeBackoffMs(attempt: number, options: BackoffOptions, random: Clock['random']): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}

/**
 * Reads `Retry-After` as delta-seconds or an HTTP date. Returns milliseconds to wait, or undefined when the
 * header is absent or unreadable (Cin7 does not guarantee it; BC sends it on 502/503 only).
 */
export function parseRetryAfterMs(header: string | null | undefined, nowMs: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const trimmed = header.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

/** The wait before retry `attempt`: the server's `Retry-After` wins, with jitter added so callers spread out. */
export function retryDelayMs(
  attempt: number,
  retryAfterMs: number | undefined,
  options: BackoffOptions,
  random: Clock['random'],
): number {
  if (retryAfterMs !== undefined) return retryAfterMs + Math.floor(random() * Math.min(1000, options.baseMs));
  return computeBackoffMs(attempt, options, random);
}
