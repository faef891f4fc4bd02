/**
 * The retry *decision* for BC requests, kept apart from the retry loop in `transport.ts` (STYLE anchor 1):
 * small pure functions of the attempt, the failure and what the request allows, testable without a network.
 */
import { retryDelayMs, type BackoffOptions } from '../http/backoff.js';
import { ThrottledError, isConnectorError, type ConnectorError } from '../core/errors.js';
import { wasNotSent } from './classify.js';

/**
 * What a request allows after a failure (DESIGN §3.1).
 * - `idempotent`: GET, and PATCH/DELETE guarded by `If-Match` (a repeat of an applied PATCH fails with 409
 *   instead of applying twice). Repeated on throttling, 5xx and network errors.
 * - `unprocessed-only`: a POST that creates something or posts a document. Repeated only when the failure
 *   proves BC did not run it; after a 5xx, a timeout or a reset it may have, so the caller looks BC up first.
 */
export type RetryPolicy = 'idempotent' | 'unprocessed-only';

export interface RetryLimits {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Total wait between the attempts of one request before giving up. */
  maxTotalWaitMs: number;
  backoff: BackoffOptions;
}

/**
 * Whether the failure proves BC never ran the request: a 429 (BC's throttling rejects a request before any AL
 * code runs, reference/bc-api.md §7.1) or a connection that was never made (nothing was sent).
 */
export function provesUnprocessed(error: ConnectorError): boolean {
  return error.status === 429 || wasNotSent(error);
}

/** Whether sending the same request again may succeed and is allowed by its policy. */
export function mayRepeat(error: ConnectorError, policy: RetryPolicy): boolean {
  // Only BC's answers and connections: a token failure is the credential's business (token-provider.ts).
  if (error.system !== 'bc' || !error.retryable) return false;
  // A stale If-Match stays stale: the same ETag cannot succeed, the caller has to read the record again.
  if (error.status === 409 || error.status === 412) return false;
  return policy === 'idempotent' || provesUnprocessed(error);
}

/**
 * The wait before retry `attempt` (0 for the first): BC's `Retry-After` when it sent one (429/503/504, seconds
 * or an HTTP date, parsed per answer), else capped exponential backoff with full jitter so that the callers
 * of a throttled process do not come back in step.
 */
export function retryWaitMs(
  attempt: number,
  error: ConnectorError,
  backoff: BackoffOptions,
  random: () => number,
): number {
  const retryAfterMs = error instanceof ThrottledError ? error.retryAfterMs : undefined;
  return retryDelayMs(attempt, retryAfterMs, backoff, random);
}

export type RetryDecision = { retry: false } | { retry: true; waitMs: number };

export interface RetryQuestion {
  /** 0 after the first attempt failed. */
  attempt: number;
  error: unknown;
  policy: RetryPolicy;
  /** Already waited between the earlier attempts of this request. */
  waitedMs: number;
  limits: RetryLimits;
  /** The injected clock's `random`, for the jitter. */
  random: () => number;
}

/** Retry or give up, and how long to wait first. */
export function decideRetry(question: RetryQuestion): RetryDecision {
  const { attempt, error, policy, waitedMs, limits, random } = question;
  if (!isConnectorError(error) || attempt >= limits.maxRetries || !mayRepeat(error, policy)) return { retry: false };
  const waitMs = retryWaitMs(attempt, error, limits.backoff, random);
  if (waitedMs + waitMs > limits.maxTotalWaitMs) return { retry: false };
  return { retry: true, waitMs };
}
