import { format, inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isSecret, Secret } from '../../src/config/secret.js';

const VALUE = 'p@ss-w0rd-that-must-not-leak';

describe('Secret', () => {
  it('when revealed, then it returns the value', () => {
    expect(new Secret(VALUE).reveal()).toBe(VALUE);
  });

  it('when serialised to JSON, alone or nested, then the value is not there', () => {
    const secret = new Secret(VALUE);

    expect(JSON.stringify(secret)).toBe('"[redacted]"');
    expect(JSON.stringify({ nested: { secret } })).toBe('{"nested":{"secret":"[redacted]"}}');
  });

  it('when put in a template literal, string concatenation or String(), then it shows [redacted]', () => {
    const secret = new Secret(VALUE);

    // eslint-disable-next-line @typescript-eslint/restrict-template-expressions -- the accident this test guards against.
    expect(`key=${secret}`).toBe('key=[redacted]');
    expect('key=' + String(secret)).toBe('key=[redacted]');
    expect(String(secret)).toBe('[redacted]');
  });

  it('when inspected or formatted the way console does, then the value never shows', () => {
    const secret = new Secret(VALUE);
    const outputs = [
      inspect(secret),
      inspect({ secret }, { depth: 10, showHidden: true }),
      inspect(secret, { customInspect: false, showHidden: true }),
      format('%s %o %O %j', secret, secret, { secret }, { secret }),
      format(secret),
    ];

    for (const output of outputs) expect(output).not.toContain(VALUE);
  });

  it('when spread, cloned or listed, then no property exposes the value', () => {
    const secret = new Secret(VALUE);

    expect(Object.keys(secret)).toEqual([]);
    expect(JSON.stringify({ ...secret })).toBe('{}');
    expect(JSON.stringify(structuredClone(secret))).not.toContain(VALUE);
  });

  it('when put in an error message, then the message shows [redacted]', () => {
    // eslint-disable-next-line @typescript-eslint/restrict-template-expressions -- the accident this test guards against.
    const error = new Error(`login failed for ${new Secret(VALUE)}`);

    expect(error.message).not.toContain(VALUE);
  });

  it('when compared with matches(), then only the exact value matches', () => {
    const secret = new Secret(VALUE);

    expect(secret.matches(VALUE)).toBe(true);
    expect(secret.matches(`${VALUE} `)).toBe(false);
    expect(secret.matches('')).toBe(false);
  });

  it('when checked with isSecret, then only Secret instances pass', () => {
    expect(isSecret(new Secret('x'))).toBe(true);
    expect(isSecret('[redacted]')).toBe(false);
  });
});
