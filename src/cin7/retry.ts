/**
 * The retry *decision*, kept apart from the retry loop in `transport.ts` (STYLE anchor 1) so it can be
 * tested without a network.
 */
import { ThrottledError, TransientError } from '../core/errors.js';

/**
 * Whether a failed Cin7 call may be sent again.
 *
 * - Reads (GET) are safe to repeat: retried on throttling and on transient failures.
 * - Writes (POST/PUT) are retried only when the answer proves Cin7 did not process them: an HTTP 429 or
 *   503 throttle answer. After a network error, a timeout or another 5xx the write may have been applied
 *   (a supplier or product created twice), so it is never repeated here; the caller looks up first.
 */
export function isRetryableCin7Failure(error: unknown, idempotent: boolean): boolean {
  if (error instanceof ThrottledError) return idempotent || error.status === 429 || error.status === 503;
  if (error instanceof TransientError) return idempotent;
  return false;
}
