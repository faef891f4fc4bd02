/**
 * Reversible encoding of arbitrary strings into Table Storage keys.
 *
 * Keys forbid `/ \ # ?` and the control characters U+0000–U+001F and U+007F–U+009F; `%`, `+` and `'`
 * are stored but break `$filter` queries and URL handling (reference/azure-platform.md §4.1). Record ids come
 * from Cin7 and BC (order numbers, supplier names, SKUs) and may contain any of these.
 *
 * Scheme: printable ASCII other than the characters above and `~` is kept as is. Every other UTF-16 code
 * unit sequence becomes `~XX` per UTF-8 byte (upper-case hex); a lone surrogate, which has no UTF-8 form,
 * becomes `~uXXXX`. The output is plain ASCII, so its length is its size in UTF-8 and half its size in
 * UTF-16. Sort order is kept for kept characters, and escaped characters sort after them, among
 * themselves in code point order (UTF-8 byte order equals code point order, and `~` is the highest
 * printable ASCII character).
 *
 * Keys longer than {@link MAX_ENCODED_KEY_LENGTH} keep an encoded prefix (so sorting stays roughly right)
 * followed by `~~` and the SHA-256 of the original value. Such keys cannot be decoded: stores always keep
 * the original value in an entity property and never rely on decoding.
 */
import { createHash } from 'node:crypto';
import { ValidationError } from '../core/errors.js';

/**
 * Longest key `encodeKey` returns. The service allows 1 KiB per key; 480 ASCII characters stay under it in
 * UTF-16 (960 bytes) with room for a short prefix such as the audit partition's `purchase-invoice|`.
 */
export const MAX_ENCODED_KEY_LENGTH = 480;

const HASH_MARKER = '~~';
/** `~~` + 43 characters of base64url SHA-256. */
const HASH_SUFFIX_LENGTH = HASH_MARKER.length + 43;

/** Printable ASCII that is safe in keys and in `$filter` literals. */
function isKept(code: number): boolean {
  if (code < 0x20 || code > 0x7e) return false;
  // '#', '%', "'", '+', '/', '?', '\', '~'
  return ![0x23, 0x25, 0x27, 0x2b, 0x2f, 0x3f, 0x5c, 0x7e].includes(code);
}

function hex2(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}

function escapeAll(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (isKept(code)) {
      out += value[i];
      continue;
    }
    const isHigh = code >= 0xd800 && code <= 0xdbff;
    const isLow = code >= 0xdc00 && code <= 0xdfff;
    const next = value.charCodeAt(i + 1);
    if (isHigh && next >= 0xdc00 && next <= 0xdfff) {
      for (const byte of Buffer.from(value.slice(i, i + 2), 'utf8')) out += `~${hex2(byte)}`;
      i++;
    } else if (isHigh || isLow) {
      out += `~u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    } else {
      for (const byte of Buffer.from(value[i] ?? '', 'utf8')) out += `~${hex2(byte)}`;
    }
  }
  return out;
}

/** Cuts `encoded` to at most `length` characters without splitting an escape sequence. */
function cutAtEscapeBoundary(encoded: string, length: number): string {
  let end = Math.min(length, encoded.length);
  const lastTilde = encoded.lastIndexOf('~', end - 1);
  if (lastTilde >= 0) {
    const escapeLength = encoded[lastTilde + 1] === 'u' ? 6 : 3;
    if (lastTilde + escapeLength > end) end = lastTilde;
  }
  return encoded.slice(0, end);
}

/**
 * Encodes any string into a valid, filter-safe Table Storage key of at most
 * {@link MAX_ENCODED_KEY_LENGTH} characters. Deterministic; reversible with {@link decodeKey} unless
 * {@link isHashedKey} says the value was too long.
 */
export function encodeKey(value: string): string {
  const encoded = escapeAll(value);
  if (encoded.length <= MAX_ENCODED_KEY_LENGTH) return encoded;
  const hash = createHash('sha256').update(value, 'utf8').digest('base64url');
  return `${cutAtEscapeBoundary(encoded, MAX_ENCODED_KEY_LENGTH - HASH_SUFFIX_LENGTH)}${HASH_MARKER}${hash}`;
}

/** Whether `key` is a truncated-and-hashed encoding of a value too long to keep whole. */
export function isHashedKey(key: string): boolean {
  return key.includes(HASH_MARKER);
}

/**
 * Reverses {@link encodeKey}. Throws `ValidationError` for a malformed key or a hashed one (whose original
 * value cannot be recovered: read it from the entity instead).
 */
export function decodeKey(key: string): string {
  if (isHashedKey(key)) throw new ValidationError('Cannot decode a hashed table key; read the value from the entity');
  let out = '';
  let bytes: number[] = [];
  const flushBytes = (): void => {
    if (bytes.length === 0) return;
    const buffer = Buffer.from(bytes);
    const text = buffer.toString('utf8');
    // A round trip through UTF-8 that changes the bytes means they were not produced by encodeKey.
    if (!Buffer.from(text, 'utf8').equals(buffer))
      throw new ValidationError('Malformed table key: invalid UTF-8 escape');
    out += text;
    bytes = [];
  };
  for (let i = 0; i < key.length; i++) {
    const char = key[i] ?? '';
    if (char !== '~') {
      flushBytes();
      out += char;
      continue;
    }
    if (key[i + 1] === 'u') {
      const digits = key.slice(i + 2, i + 6);
      if (!/^[0-9A-F]{4}$/.test(digits)) throw new ValidationError('Malformed table key: bad ~u escape');
      flushBytes();
      out += String.fromCharCode(parseInt(digits, 16));
      i += 5;
      continue;
    }
    const digits = key.slice(i + 1, i + 3);
    if (!/^[0-9A-F]{2}$/.test(digits)) throw new ValidationError('Malformed table key: bad ~ escape');
    bytes.push(parseInt(digits, 16));
    i += 2;
  }
  flushBytes();
  return out;
}
