/**
 * The one place where Table Storage failures become the connector's closed error set (DESIGN §2).
 */
import { parseRetryAfterMs } from '../http/backoff.js';
import {
  AuthError,
  ConflictError,
  ensureError,
  isConnectorError,
  NotFoundError,
  ThrottledError,
  TransientError,
  ValidationError,
} from '../core/errors.js';
import { isCredentialFailure, isNetworkFailure, stringProperty } from '../http/failure-kinds.js';

/** What was being done, for the message. Never a URL, a connection string or an entity body. */
export interface StorageErrorContext {
  table: string;
  operation: string;
  /** A human label for the record, e.g. `purchase-invoice/123`. */
  record?: string;
  /**
   * For conditional writes: a missing row means the ETag the caller holds is stale, which the ports
   * report as a conflict rather than "not found".
   */
  missingIsConflict?: boolean;
}

/** The parts of `@azure/core-rest-pipeline`'s `RestError` we read. */
export interface RestErrorLike {
  name: string;
  message: string;
  statusCode?: number;
  code?: string;
  response?: { headers: { get(name: string): string | undefined } };
}

/**
 * Whether `error` is a `RestError`. `@azure/data-tables` does not re-export `isRestError`, and
 * `@azure/core-rest-pipeline` is not a direct dependency, so this checks the name the way `isRestError`
 * itself falls back to (several copies of the pipeline package can coexist).
 */
export function isRestErrorLike(error: unknown): error is RestErrorLike {
  return error instanceof Error && error.name === 'RestError';
}

/** The status of a `RestError`, if `error` is one. */
export function restStatus(error: unknown): number | undefined {
  return isRestErrorLike(error) ? error.statusCode : undefined;
}

/**
 * Turns anything a Table Storage call threw into `ConflictError`, `NotFoundError`, `AuthError`,
 * `ThrottledError`, `TransientError` or `ValidationError`. Errors that are none of these (programming
 * errors) are returned unchanged so they are not mistaken for something worth retrying.
 */
export function translateStorageError(error: unknown, context: StorageErrorContext): Error {
  if (isConnectorError(error)) return error;
  const forRecord = context.record === undefined ? '' : ` for ${context.record}`;
  const where = `${context.operation} on table ${context.table}${forRecord}`;
  const base = { system: 'storage' as const, cause: error };

  if (isCredentialFailure(error)) {
    return new AuthError(`Storage credential could not get a token (${where}); check the managed identity`, base);
  }
  if (!isRestErrorLike(error)) {
    const code = stringProperty(error, 'code');
    if (code !== undefined && isNetworkFailure(error)) {
      return new TransientError(`Storage unreachable (${code}) during ${where}`, { ...base, code });
    }
    return ensureError(error);
  }

  const status = error.statusCode;
  const code = error.code;
  const options = { ...base, ...(status === undefined ? {} : { status }), ...(code === undefined ? {} : { code }) };
  const suffix = `${status ?? 'no status'}${code === undefined ? '' : ` ${code}`}`;

  if (status === undefined) {
    return new TransientError(`Storage request failed without a response during ${where} (${suffix})`, options);
  }
  if (status === 404 && context.missingIsConflict === true) {
    return new ConflictError(`Row is gone, so its ETag is stale: ${where}`, options);
  }
  if (status === 409 && code === 'TableBeingDeleted') {
    return new TransientError(`Table is being deleted: ${where}`, options);
  }
  if (status === 409 || status === 412) {
    return new ConflictError(`Concurrent change detected: ${where} (${suffix})`, options);
  }
  if (status === 404) return new NotFoundError(`Not found: ${where} (${suffix})`, options);
  if (status === 401 || status === 403) {
    return new AuthError(`Storage refused access: ${where} (${suffix}); check the role assignment`, options);
  }
  if (status === 429 || status === 503) {
    const retryAfterMs = parseRetryAfterMs(error.response?.headers.get('retry-after'), Date.now());
    return new ThrottledError(`Storage is throttling: ${where} (${suffix})`, retryAfterMs, options);
  }
  if (status === 408 || status >= 500) return new TransientError(`Storage failed: ${where} (${suffix})`, options);
  return new ValidationError(`Storage rejected the request: ${where} (${suffix})`, options);
}
