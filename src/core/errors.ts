/**
 * The closed set of errors every adapter translates failures into (DESIGN §2).
 *
 * Messages name the record, the field and what to do. They never carry a URL with its query string,
 * headers, bodies or secrets: error text ends up in logs, audit rows and alerts.
 */

export type ErrorKind = 'transient' | 'throttled' | 'auth' | 'validation' | 'not-found' | 'conflict';

export interface ConnectorErrorOptions extends ErrorOptions {
  /** Which system answered: shown to operators so they know where to look. */
  system?: 'cin7' | 'bc' | 'entra' | 'storage' | 'queue' | 'keyvault' | 'config';
  /** HTTP status, when there was one. */
  status?: number;
  /** The system's own error code (`Application_DialogException`, Cin7 `ErrorCode`). */
  code?: string;
  /** BC's correlation id or similar, for support tickets. */
  correlationId?: string;
}

export abstract class ConnectorError extends Error {
  abstract readonly kind: ErrorKind;
  readonly system: ConnectorErrorOptions['system'];
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly correlationId: string | undefined;

  constructor(message: string, options: ConnectorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.system = options.system;
    this.status = options.status;
    this.code = options.code;
    this.correlationId = options.correlationId;
  }

  /** Whether trying the same thing again later may succeed. */
  get retryable(): boolean {
    return this.kind === 'transient' || this.kind === 'throttled';
  }
}

/** A failure that may go away on its own: 5xx, network errors, timeouts. */
export class TransientError extends ConnectorError {
  override readonly name = 'TransientError';
  readonly kind = 'transient' as const;
}

/** The other side asked us to slow down (429, Cin7's 503, BC's 503/504). */
export class ThrottledError extends ConnectorError {
  override readonly name = 'ThrottledError';
  readonly kind = 'throttled' as const;
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: ConnectorErrorOptions,
  ) {
    super(message, options);
  }
}

/** Credentials are missing, wrong or lack permission. Retrying will not help; an operator must act. */
export class AuthError extends ConnectorError {
  override readonly name = 'AuthError';
  readonly kind = 'auth' as const;
}

/** The data is wrong: a payload failed its schema, or the other side rejected what we sent. */
export class ValidationError extends ConnectorError {
  override readonly name = 'ValidationError';
  readonly kind = 'validation' as const;
}

/** The record asked for does not exist. */
export class NotFoundError extends ConnectorError {
  override readonly name = 'NotFoundError';
  readonly kind = 'not-found' as const;
}

/** An optimistic-concurrency check failed (ETag 409/412): someone else changed the record first. */
export class ConflictError extends ConnectorError {
  override readonly name = 'ConflictError';
  readonly kind = 'conflict' as const;
}

export function isConnectorError(value: unknown): value is ConnectorError {
  return value instanceof ConnectorError;
}

/** Turns whatever was thrown into an `Error`, the way the Functions library's `ensureErrorType` does. */
export function ensureError(value: unknown): Error {
  if (value instanceof Error) return value;
  if (typeof value === 'string') return new Error(value);
  try {
    return new Error(`Non-error thrown: ${JSON.stringify(value)}`);
  } catch {
    return new Error('Non-error thrown (not serialisable)');
  }
}
