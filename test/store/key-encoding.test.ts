import { describe, expect, it } from 'vitest';
import { decodeKey, encodeKey, isHashedKey, MAX_ENCODED_KEY_LENGTH } from '../../src/store/key-encoding.js';
import { ValidationError } from '../../src/core/errors.js';

/** Whether `key` holds a character Table keys forbid, or one that breaks `$filter` or URLs (reference §4.1). */
function hasForbidden(key: string): boolean {
  return [...key].some((char) => {
    const code = char.charCodeAt(0);
    return "/\\#?%+'".includes(char) || code <= 0x1f || (code >= 0x7f && code <= 0x9f);
  });
}

const awkward: Array<[label: string, value: string]> = [
  ['apostrophe and hash', "O'Brien & Sons #1"],
  ['slashes and question mark', 'a/b\\c?d'],
  ['percent-encoded slash', '%2F'],
  ['plus', '+'],
  ['tab', 'a\tb'],
  ['newline', 'line1\nline2'],
  ['carriage return', 'a\r\nb'],
  ['NUL', 'a\u0000b'],
  ['DEL', 'a\u007fb'],
  ['NEL (U+0085)', 'a\u0085b'],
  ['U+009F', '\u009f'],
  ['emoji', 'invoice 🧾 paid ✅'],
  ['accented', 'Müller Großhandel'],
  ['CJK', '供应商'],
  ['tilde (the escape char)', '~7E~'],
  ['already-encoded-looking', '~2F~u0041'],
  ['empty string', ''],
  ['spaces only', '   '],
  ['quotes and equals', `"x"='y' and 1 eq 1`],
  ['lone high surrogate', 'a\ud800b'],
  ['lone low surrogate', '\udc00'],
  ['GUID', '6f9619ff-8b86-d011-b42d-00c04fc964ff'],
  ['composite id', 'PO-00042/INV-7781'],
  ['long but under the limit', 'x'.repeat(MAX_ENCODED_KEY_LENGTH)],
];

describe('encodeKey / decodeKey', () => {
  it.each(awkward)('when the value is %s, then it round-trips through a safe key', (_label, value) => {
    const key = encodeKey(value);
    expect(hasForbidden(key)).toBe(false);
    expect(key.length).toBeLessThanOrEqual(MAX_ENCODED_KEY_LENGTH);
    expect([...key].every((char) => char >= ' ' && char <= '~')).toBe(true);
    expect(isHashedKey(key)).toBe(false);
    expect(decodeKey(key)).toBe(value);
  });

  it('when two distinct awkward values are encoded, then their keys differ', () => {
    const keys = new Set(awkward.map(([, value]) => encodeKey(value)));
    expect(keys.size).toBe(awkward.length);
  });

  it('when the value is 2000 characters, then the key is hashed, bounded, safe and deterministic', () => {
    const value = `${'a/'.repeat(999)}zz`;
    const key = encodeKey(value);
    expect(key.length).toBeLessThanOrEqual(MAX_ENCODED_KEY_LENGTH);
    expect(hasForbidden(key)).toBe(false);
    expect(isHashedKey(key)).toBe(true);
    expect(encodeKey(value)).toBe(key);
  });

  it('when two long values differ only at the end, then their hashed keys differ', () => {
    const base = 'é'.repeat(2000);
    expect(encodeKey(`${base}1`)).not.toBe(encodeKey(`${base}2`));
  });

  it('when a long value is cut, then no escape sequence is split', () => {
    const key = encodeKey('ü'.repeat(600));
    const prefix = key.slice(0, key.indexOf('~~'));
    expect(prefix).toMatch(/^(~[0-9A-F]{2})*$/);
  });

  it('when a hashed key is decoded, then it is refused', () => {
    expect(() => decodeKey(encodeKey('z'.repeat(2000)))).toThrow(ValidationError);
  });

  it.each([['~'], ['~G0'], ['~u12'], ['~FF'], ['~C3']])(
    'when the key %j is malformed, then decoding throws ValidationError',
    (key) => {
      expect(() => decodeKey(key)).toThrow(ValidationError);
    },
  );

  it('when plain ASCII values are encoded, then their order is kept', () => {
    const values = ['A-1', 'A-10', 'A-2', 'B', 'a', 'a b', 'ab'];
    const sorted = [...values].sort();
    expect(sorted.map(encodeKey)).toEqual([...sorted.map(encodeKey)].sort());
  });

  it('when non-ASCII values are encoded, then they keep code point order among themselves', () => {
    const values = ['é', 'ü', '供', '🧾', 'ÿ'];
    const byCodePoint = [...values].sort((a, b) => (a.codePointAt(0) ?? 0) - (b.codePointAt(0) ?? 0));
    expect([...values.map(encodeKey)].sort()).toEqual(byCodePoint.map(encodeKey));
  });
});

describe('the forbidden-character check used above', () => {
  it('when raw awkward values are checked, then at least ten are flagged (the check is not vacuous)', () => {
    expect(awkward.filter(([, value]) => hasForbidden(value)).length).toBeGreaterThanOrEqual(10);
  });
});
