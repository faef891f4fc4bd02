/**
 * A secret value held in memory (DESIGN §3.7: secrets never leave Key Vault except into memory).
 *
 * Every way JavaScript turns an object into text (`String()`, template literals, `JSON.stringify`,
 * `util.inspect`, `console.log`, error messages) yields `[redacted]`; the only way to the value is an
 * explicit `reveal()`, which makes each use easy to find in review.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** What a `Secret` shows wherever it is turned into text. */
export const REDACTED = '[redacted]';

export class Secret {
  // A private field is invisible to `Object.keys`, spread, `JSON.stringify`, `structuredClone` and
  // `util.inspect` (even with `showHidden`), unlike a closure-captured or symbol-keyed property.
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The plain value. Call it at the last moment, where the value is handed to the SDK or header that needs it. */
  reveal(): string {
    return this.#value;
  }

  /**
   * Whether `candidate` equals the secret, in time that does not depend on where they differ (DESIGN §4:
   * the webhook secret is compared in constant time). Both sides are hashed first so the lengths match.
   */
  matches(candidate: string): boolean {
    const expected = createHash('sha256').update(this.#value, 'utf8').digest();
    const actual = createHash('sha256').update(candidate, 'utf8').digest();
    return timingSafeEqual(expected, actual);
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED;
  }
}

/** Whether `value` is a `Secret`. */
export function isSecret(value: unknown): value is Secret {
  return value instanceof Secret;
}
