/**
 * The one place that turns a BC answer (status, headers, error body) or a network failure into the
 * connector's closed error set (reference/bc-api.md §8.1). Messages keep BC's own text, without URLs,
 * and carry the CorrelationId separately for support tickets.
 */
import {
  AuthError,
  NotFoundError,
  ThrottledError,
  TransientError,
  ValidationError,
  type ConnectorError,
} from '../core/errors.js';

export interface BcErrorBody {
  code: string | undefined;
  /** BC's message without the trailing CorrelationId and without URLs. */
  message: string | undefined;
  correlationId: string | undefined;
}

const CORRELATION = /\s*CorrelationId:\s*([0-9a-f-]{36})\.?\s*$/i;
const URL_TEXT = /'?https?:\/\/[^\s']+'?/gi;

/** Reads `{"error":{"code","message"}}`; tolerant of anything else (HTML from a proxy, empty bodies). */
export function parseBcErrorBody(text: string): BcErrorBody {
  let code: string | undefined;
  let raw: string | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && 'error' in parsed) {
      const error: unknown = parsed.error;
      if (typeof error === 'object' && error !== null) {
        if ('code' in error && typeof error.code === 'string') code = error.code;
        if ('message' in error && typeof error.message === 'string') raw = error.message;
      }
    }
  } catch {
    // Not JSON: classified by status alone.
  }
  if (raw === undefined) return { code, message: undefined, correlationId: undefined };
  const match = CORRELATION.exec(raw);
  const withoutCorrelation = match ? raw.slice(0, match.index) : raw;
  const message = withoutCorrelation.replace(URL_TEXT, '<url>').replace(/\s+/g, ' ').trim();
  return { code, message, correlationId: match?.[1]?.toLowerCase() };
}

export interface BcFailure {
  /** What we were doing, e.g. `getVendor 1f0e…` or `createPurchaseInvoice VEND1/INV-7`. */
  operation: string;
  status: number;
  body: string;
  /** Milliseconds from `Retry-After`, already parsed. */
  retryAfterMs: number | undefined;
  /** The request carried `If-Match` (a PATCH or DELETE of a record read before). */
  conditional?: boolean;
}

/** Internal_* codes that describe the data, not the server: retrying cannot help. */
const PERMANENT_INTERNAL = new Set([
  'Internal_EntityWithSameKeyExists',
  'Internal_InvalidTableRelation',
  'Internal_DataNotFoundFilter',
]);

/** Turns a non-2xx BC response into one of our errors. */
export function classifyBcResponse(failure: BcFailure): ConnectorError {
  const { operation, status, retryAfterMs } = failure;
  const parsed = parseBcErrorBody(failure.body);
  const code = parsed.code;
  const detail = parsed.message ?? `HTTP ${status}`;
  const message = `BC ${operation}: ${detail}`;
  const options = {
    system: 'bc' as const,
    status,
    ...(code !== undefined ? { code } : {}),
    ...(parsed.correlationId !== undefined ? { correlationId: parsed.correlationId } : {}),
  };

  if (status === 401 || code?.startsWith('Authentication_') === true) return new AuthError(message, options);
  if (status === 403 || code?.startsWith('Authorization_') === true) return new AuthError(message, options);
  if (status === 429) return new ThrottledError(message, retryAfterMs, options);
  // reference §7.2: 503 is BC's queue-timeout / busy answer and 504 a too-long request; both mean "slow down".
  if (status === 503 || status === 504) return new ThrottledError(message, retryAfterMs, options);
  // reference/bc-api.md §1.3 (BC's error docs): 409 Request_EntityChanged is BC's own optimistic concurrency,
  // "another user has already changed the record". It is never a `ConflictError`: that one means our store's
  // ETag lost a race and makes a use case re-run at once.
  if (status === 409 || status === 412 || code === 'Request_EntityChanged') {
    if (failure.conditional === true) {
      // The record changed in BC since we read it; BC wrote nothing. A later attempt reads it again.
      return new TransientError(
        `${message} (HTTP ${status}: the record changed in BC since it was read; the next attempt reads it again)`,
        options,
      );
    }
    // Refused, not a lost race of ours: re-running at once would only send the same create or post again.
    const answer = code === undefined ? `HTTP ${status}` : `HTTP ${status} ${code}`;
    return new ValidationError(
      `${message} (${answer}: BC refused it; check the record in BC, then replay it)`,
      options,
    );
  }
  // The configured company is missing or not visible to the app: configuration, not a passing fault.
  if (code === 'Internal_CompanyNotFound') {
    return new AuthError(`${message} (check BC_COMPANY_ID and the app's permissions)`, options);
  }
  if (code === 'Internal_RecordNotFound' || status === 404) return new NotFoundError(message, options);
  if (code !== undefined && PERMANENT_INTERNAL.has(code)) return new ValidationError(message, options);
  if (code?.startsWith('Application_') === true || code?.startsWith('BadRequest') === true) {
    return new ValidationError(message, options);
  }
  if (code?.startsWith('Internal_') === true || status >= 500 || status === 408) {
    return new TransientError(message, options);
  }
  return new ValidationError(message, options);
}

/**
 * Failures of the connection itself: refused, no DNS answer, connect timeout. Not one byte of the request
 * left, so BC cannot have run it. (EHOSTUNREACH and the like are left out: they can also end an open socket.)
 */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/** Whether the error is a connection that was never made, so the request was not sent. */
export function wasNotSent(error: ConnectorError): boolean {
  return error.status === undefined && error.code !== undefined && NOT_SENT_CODES.has(error.code);
}

/**
 * A request that got no HTTP answer. A connect failure means it was not sent; anything later (a reset, a
 * timeout, a closed socket) may have reached BC after the bytes left, and the message says which.
 */
export function classifyBcNetworkError(operation: string, error: unknown): TransientError {
  const code =
    typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
      ? error.code
      : undefined;
  const name = error instanceof Error ? error.name : 'Error';
  const options = { system: 'bc' as const, ...(code !== undefined ? { code } : {}) };
  if (code !== undefined && NOT_SENT_CODES.has(code)) {
    return new TransientError(`BC ${operation}: could not connect (${code}); the request was not sent`, options);
  }
  const advice = 'the request may have reached BC, so look it up before repeating a write';
  return new TransientError(`BC ${operation}: no response (${code ?? name}); ${advice}`, options);
}
