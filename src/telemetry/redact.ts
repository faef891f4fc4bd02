/**
 * Makes log and telemetry properties safe to write (DESIGN §3.7): secrets, credential-looking keys, URL
 * query strings and oversized strings never leave the process. Modelled on the Azure SDK's `Sanitizer`,
 * which logs only what it knows to be safe.
 */
import { isSecret, REDACTED } from '../config/secret.js';

/** Keys whose names suggest a credential. Their values are replaced whole, whatever they hold. */
export const SENSITIVE_KEY =
  /secret|password|passwd|pwd|key|token|authorization|cookie|assertion|credential|signature|connectionstring/i;

/**
 * Keys that match `SENSITIVE_KEY` but name identifiers, not credentials. Their values still go through the
 * value rules (Secret, URL query, length), so listing a key here never lets a secret out.
 */
export const SAFE_KEYS: ReadonlySet<string> = new Set([
  'partitionKey',
  'rowKey',
  'idempotencyKey',
  'sessionKey',
  'keyVaultHost',
  'secretName',
  'tokenExpiresOn',
  'tokenType',
  'continuationToken',
]);

/** Longest string kept; longer ones are cut (bodies and stack dumps do not belong in a log line). */
export const MAX_STRING_LENGTH = 2000;
/** Objects nested deeper than this are summarised, which also bounds the cost of a large value. */
export const MAX_DEPTH = 3;
const MAX_ARRAY_ITEMS = 50;

/** Keys of connection strings, SAS tokens and token requests whose `key=value` value is a secret. */
const SECRET_KEYS = [
  'AccountKey',
  'SharedAccessKey',
  'SharedAccessSignature',
  'Password',
  'Pwd',
  'client_secret',
  'client_assertion',
  'sig',
];
const SECRET_PAIR = new RegExp(String.raw`\b(${SECRET_KEYS.join('|')})=[^;&\s'"]+`, 'gi');

/** Redacts every property of a log line or telemetry event. */
export function redactProperties(properties: Record<string, unknown>): Record<string, unknown> {
  return redactObject(properties, 0, new WeakSet());
}

/** Redacts one value (the rules of `redactProperties`, applied to something that is not a property bag). */
export function redactValue(value: unknown): unknown {
  return redact(value, 0, new WeakSet());
}

/**
 * Scrubs free text: removes URL query strings and fragments (SAS tokens, `code=`), URL credentials,
 * bearer tokens and connection-string keys, and cuts it to `MAX_STRING_LENGTH`.
 */
export function scrubText(text: string): string {
  const scrubbed = text
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@'"<>]+@/gi, `$1${REDACTED}@`)
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s?#'"<>]*)[?#][^\s'"<>]*/gi, '$1')
    // Long enough to be a token, so prose such as "Basic or Bearer auth" survives.
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{16,}/g, `$1 ${REDACTED}`)
    .replace(SECRET_PAIR, `$1=${REDACTED}`);
  return scrubbed.length > MAX_STRING_LENGTH ? `${scrubbed.slice(0, MAX_STRING_LENGTH)}…[truncated]` : scrubbed;
}

/** What a log line keeps of an error: its classification, never its stack, headers or body. */
export interface RedactedError {
  name: string;
  message: string;
  kind?: string;
  code?: string;
  status?: number;
  system?: string;
  correlationId?: string;
  cause?: unknown;
}

/** Reduces an error to `RedactedError`, scrubbing the message (and the cause's). */
export function redactError(error: Error): RedactedError {
  return describeError(error, 0, new WeakSet());
}

function describeError(error: Error, depth: number, seen: WeakSet<object>): RedactedError {
  seen.add(error);
  const fields = error as Error & Record<string, unknown>;
  const result: RedactedError = { name: scrubText(error.name), message: scrubText(error.message) };
  const kind = fields['kind'];
  const code = fields['code'];
  const status = fields['status'] ?? fields['statusCode'];
  const system = fields['system'];
  const correlationId = fields['correlationId'];
  if (typeof kind === 'string') result.kind = kind;
  if (typeof code === 'string') result.code = scrubText(code);
  if (typeof status === 'number') result.status = status;
  if (typeof system === 'string') result.system = system;
  if (typeof correlationId === 'string') result.correlationId = scrubText(correlationId);
  if (error.cause !== undefined && depth + 1 < MAX_DEPTH) result.cause = redact(error.cause, depth + 1, seen);
  return result;
}

function redact(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (value === null || value === undefined) return value;
  if (isSecret(value)) return REDACTED;
  switch (typeof value) {
    case 'string':
      return scrubText(value);
    case 'number':
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'symbol':
      return value.toString();
    case 'function':
      return '[function]';
    default:
      break;
  }
  const object = value;
  if (seen.has(object)) return '[circular]';
  if (object instanceof Error) return describeError(object, depth, seen);
  if (object instanceof Date) return Number.isNaN(object.getTime()) ? 'Invalid Date' : object.toISOString();
  if (object instanceof URL) return scrubText(object.href);
  if (ArrayBuffer.isView(object) || object instanceof ArrayBuffer) return `[binary ${object.byteLength} bytes]`;
  if (depth >= MAX_DEPTH) return Array.isArray(object) ? `[array(${object.length})]` : '[object]';
  seen.add(object);
  if (Array.isArray(object)) {
    const items: unknown[] = object.slice(0, MAX_ARRAY_ITEMS).map((item: unknown) => redact(item, depth + 1, seen));
    if (object.length > MAX_ARRAY_ITEMS) items.push(`[${object.length - MAX_ARRAY_ITEMS} more]`);
    return items;
  }
  if (object instanceof Map) {
    const entries: Record<string, unknown> = {};
    for (const [key, item] of object as Map<unknown, unknown>) entries[String(key)] = item;
    return redactObject(entries, depth + 1, seen);
  }
  if (object instanceof Set) return redact([...object], depth, seen);
  return redactObject(object as Record<string, unknown>, depth + 1, seen);
}

function redactObject(object: Record<string, unknown>, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  seen.add(object);
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined) continue;
    result[key] = SENSITIVE_KEY.test(key) && !SAFE_KEYS.has(key) ? REDACTED : redact(value, depth, seen);
  }
  return result;
}
