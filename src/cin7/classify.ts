/**
 * The one place that turns a Cin7 answer (status, headers, body) or a network failure into our closed error
 * set (STYLE: classify once, at the client edge). It knows Cin7's quirks (reference/cin7-core-api.md §1.2,
 * §1.3, §8): 503 as a rate limit, error bodies with HTTP 200 (bare or in an array), HTML "Page not found"
 * with HTTP 200, and the real error code sometimes only in the body.
 *
 * Messages name the operation and the record, and quote Cin7's `Exception` text; they never carry the URL,
 * the request headers or our credentials.
 */
import { parseRetryAfterMs } from '../http/backoff.js';
import {
  AuthError,
  NotFoundError,
  ThrottledError,
  TransientError,
  ValidationError,
  type ConnectorError,
  type ConnectorErrorOptions,
} from '../core/errors.js';
import { Cin7ErrorItem } from './schemas.js';

export interface Cin7HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface Cin7CallContext {
  /** `GET advanced-purchase`, `POST product`... */
  operation: string;
  /** What the call is about, for people: `purchase 78f64a2d-…`, `SKU AB-1`. */
  record?: string;
  nowMs: number;
}

interface Cin7ErrorBody {
  code: number;
  exception: string;
}

/** Cin7's `Exception` texts are short; cap them so an unexpected body cannot flood a log line. */
const maxExceptionLength = 300;

function header(response: Cin7HttpResponse, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** An `ErrorCode` body: a bare object, or an array whose first item has one (reference §1.3, [HYP]). */
export function readCin7ErrorBody(json: unknown): Cin7ErrorBody | undefined {
  const items = Array.isArray(json) ? json : [json];
  const first = Cin7ErrorItem.safeParse(items[0]);
  if (!first.success) return undefined;
  const texts = items
    .map((item) => Cin7ErrorItem.safeParse(item))
    .flatMap((parsed) => (parsed.success && parsed.data.Exception ? [parsed.data.Exception] : []));
  const exception = texts.join('; ').slice(0, maxExceptionLength);
  return { code: first.data.ErrorCode, exception };
}

function subject(context: Cin7CallContext): string {
  return context.record === undefined ? `Cin7 ${context.operation}` : `Cin7 ${context.operation} (${context.record})`;
}

function errorFromCode(
  code: number,
  text: string,
  context: Cin7CallContext,
  options: ConnectorErrorOptions,
  retryAfterMs: number | undefined,
): ConnectorError {
  const what = subject(context);
  if (code === 401 || code === 403) {
    return new AuthError(
      `${what} was refused: ${text || 'incorrect credentials'}. Check CIN7_ACCOUNT_ID and CIN7_APPLICATION_KEY.`,
      options,
    );
  }
  // Reference §1.2/§1.4: the 60-calls-per-minute limit is answered with 429 or 503.
  if (code === 429 || code === 503)
    return new ThrottledError(`${what} was throttled by Cin7: ${text || 'rate limit'}`, retryAfterMs, options);
  if (code === 404) return new NotFoundError(`${what}: ${text || 'not found'}`, options);
  if (code === 408 || code >= 500)
    return new TransientError(`${what} failed on Cin7's side: ${text || `HTTP ${code}`}`, options);
  return new ValidationError(`${what} was rejected by Cin7: ${text || `HTTP ${code}`}`, options);
}

function endpointNotFound(context: Cin7CallContext, status: number): ValidationError {
  return new ValidationError(
    `${subject(context)}: Cin7 answered with a web page instead of JSON, so the endpoint was not found. ` +
      'Check CIN7_BASE_URL (it should end with /ExternalApi/v2/).',
    { system: 'cin7', status },
  );
}

/**
 * Returns the parsed JSON body of a successful answer (undefined when there is none), or throws the one
 * error that fits. Never retries: that is the caller's decision.
 */
export function classifyCin7Response(response: Cin7HttpResponse, context: Cin7CallContext): unknown {
  const { status } = response;
  const contentType = header(response, 'content-type') ?? '';
  const text = response.body.trim();
  const looksHtml = /html/i.test(contentType) || text.startsWith('<');
  let json: unknown;
  let parsedJson = false;
  if (text !== '' && !looksHtml) {
    try {
      json = JSON.parse(text);
      parsedJson = true;
    } catch {
      parsedJson = false;
    }
  }
  const errorBody = parsedJson ? readCin7ErrorBody(json) : undefined;
  const exception = errorBody?.exception ?? (parsedJson || looksHtml ? '' : text.slice(0, maxExceptionLength));
  const options: ConnectorErrorOptions = {
    system: 'cin7',
    status,
    ...(errorBody === undefined ? {} : { code: String(errorBody.code) }),
  };
  const retryAfterMs = parseRetryAfterMs(header(response, 'retry-after'), context.nowMs);

  if (status >= 200 && status < 300) {
    if (text === '') return undefined;
    if (!parsedJson) {
      if (looksHtml) throw endpointNotFound(context, status);
      throw new ValidationError(
        `${subject(context)}: Cin7 answered HTTP ${status} with a body that is not JSON.`,
        options,
      );
    }
    // Reference §1.3: an Error Model body can arrive with HTTP 200; its ErrorCode says what it is.
    if (errorBody) throw errorFromCode(errorBody.code, errorBody.exception, context, options, retryAfterMs);
    return json;
  }

  // Auth, throttling and server failures: the HTTP status decides.
  if (status === 401 || status === 403 || status === 429 || status === 503 || status === 408 || status >= 500) {
    throw errorFromCode(status, exception, context, options, retryAfterMs);
  }
  if (status === 404 && !errorBody) throw endpointNotFound(context, status);
  // Other 4xx: Cin7 often puts the real code only in the body (e.g. 400 with `ErrorCode: 404` for a missing
  // record), so a 4xx ErrorCode wins; anything else stays a rejection of what we sent.
  const code = errorBody !== undefined && errorBody.code >= 400 && errorBody.code < 500 ? errorBody.code : status;
  throw errorFromCode(code, exception, context, options, retryAfterMs);
}

/** Socket resets, refused connections and timeouts: the request may or may not have reached Cin7. */
export function classifyCin7NetworkError(error: unknown, context: Omit<Cin7CallContext, 'nowMs'>): TransientError {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
  const name = error instanceof Error ? error.name : 'Error';
  // The cause is rebuilt from name, code and message only: the original error object may hold references
  // to the request (and so to our headers).
  const cause = new Error(
    `${name}${code === undefined ? '' : ` ${code}`}: ${error instanceof Error ? error.message : String(error)}`,
  );
  const what =
    context.record === undefined ? `Cin7 ${context.operation}` : `Cin7 ${context.operation} (${context.record})`;
  return new TransientError(`${what} failed on the network (${code ?? name}); the outcome is unknown.`, {
    system: 'cin7',
    cause,
    ...(code === undefined ? {} : { code }),
  });
}
