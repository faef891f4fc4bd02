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

  /** Whether sending the very same request again may succeed (see {@link isRetryable}). */
  get retryable(): boolean {
    return isRetryable(this, 'same-request');
  }
}

/** The base of one member of the closed set: its `name` and `kind` are literal types, so a switch narrows. */
function connectorErrorOfKind<N extends string, K extends ErrorKind>(name: N, kind: K) {
  return class extends ConnectorError {
    override readonly name: N = name;
    readonly kind: K = kind;
  };
}

/** A failure that may go away on its own: 5xx, network errors, timeouts. */
export class TransientError extends connectorErrorOfKind('TransientError', 'transient') {}

/** The other side asked us to slow down (429, Cin7's 503, BC's 503/504). */
export class ThrottledError extends connectorErrorOfKind('ThrottledError', 'throttled') {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: ConnectorErrorOptions,
  ) {
    super(message, options);
  }
}

/** Credentials are missing, wrong or lack permission. Retrying will not help; an operator must act. */
export class AuthError extends connectorErrorOfKind('AuthError', 'auth') {}

/** The data is wrong: a payload failed its schema, or the other side rejected what we sent. */
export class ValidationError extends connectorErrorOfKind('ValidationError', 'validation') {}

/** The record asked for does not exist. */
export class NotFoundError extends connectorErrorOfKind('NotFoundError', 'not-found') {}

/** An optimistic-concurrency check failed (ETag 409/412): someone else changed the record first. */
export class ConflictError extends connectorErrorOfKind('ConflictError', 'conflict') {}

export function isConnectorError(value: unknown): value is ConnectorError {
  return value instanceof ConnectorError;
}

/**
 * The one answer to "may trying again later succeed?". Outages and throttling pass on their own. A conflict
 * (another writer moved first) passes only for a fresh attempt that re-reads: the same request with the same
 * ETag fails the same way, so `same-request` (a client resending one call) excludes it. Data, auth and
 * not-found failures, and anything that is not a connector error, need a person or a code change.
 */
export function isRetryable(error: unknown, scope: 'fresh-attempt' | 'same-request' = 'fresh-attempt'): boolean {
  if (!isConnectorError(error)) return false;
  switch (error.kind) {
    case 'transient':
    case 'throttled':
      return true;
    case 'conflict':
      return scope === 'fresh-attempt';
    case 'auth':
    case 'validation':
    case 'not-found':
      return false;
  }
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
