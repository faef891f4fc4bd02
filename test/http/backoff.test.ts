import { describe, expect, it } from 'vitest';
import { computeBackoffMs, parseRetryAfterMs, retryDelayMs } from '../../src/http/backoff.js';

describe('computeBackoffMs', () => {
  it('when random is at its top, then the delay doubles per attempt up to the cap', () => {
    const top = () => 0.999999;
    const options = { baseMs: 100, maxMs: 1000 };
    expect([0, 1, 2, 3, 4].map((a) => computeBackoffMs(a, options, top))).toEqual([99, 199, 399, 799, 999]);
  });

  it('when random is 0, then the delay is 0 (full jitter)', () => {
    expect(computeBackoffMs(5, { baseMs: 100, maxMs: 1000 }, () => 0)).toBe(0);
  });
});

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2026-11-28T10:00:00Z');
  it.each([
    ['5', 5000],
    ['0', 0],
    ['1.5', 1500],
    ['Sat, 28 Nov 2026 10:00:07 GMT', 7000],
    ['Sat, 28 Nov 2026 09:59:00 GMT', 0],
  ])('when the header is %j, then the wait is %i ms', (header, expected) => {
    expect(parseRetryAfterMs(header, now)).toBe(expected);
  });

  it.each([[null], [undefined], [''], ['soon']])('when the header is %j, then there is no server wait', (header) => {
    expect(parseRetryAfterMs(header, now)).toBeUndefined();
  });
});

describe('retryDelayMs', () => {
  it('when the server gave Retry-After, then it is honoured with a little jitter on top', () => {
    expect(retryDelayMs(3, 2000, { baseMs: 500, maxMs: 30_000 }, () => 0.5)).toBe(2250);
  });
});
