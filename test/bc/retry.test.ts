/** The BC retry decision on its own: no network, no clock but a fixed random. */
import { describe, expect, it } from 'vitest';
import { classifyBcNetworkError, classifyBcResponse } from '../../src/bc/classify.js';
import { decideRetry, mayRepeat, retryWaitMs, type RetryPolicy } from '../../src/bc/retry.js';
import { AuthError, TransientError, type ConnectorError } from '../../src/core/errors.js';

const answer = (status: number, retryAfterMs?: number, conditional = false): ConnectorError =>
  classifyBcResponse({ operation: 'op', status, body: '', retryAfterMs, conditional });
const network = (code: string): ConnectorError => classifyBcNetworkError('op', Object.assign(new Error('x'), { code }));
const limits = { maxRetries: 3, maxTotalWaitMs: 10_000, backoff: { baseMs: 100, maxMs: 1000 } };

describe('mayRepeat', () => {
  it.each<[string, ConnectorError, RetryPolicy, boolean]>([
    ['a GET throttled with 429', answer(429), 'idempotent', true],
    ['a GET answered 503', answer(503), 'idempotent', true],
    ['a GET answered 500', answer(500), 'idempotent', true],
    ['a GET whose connection reset', network('ECONNRESET'), 'idempotent', true],
    ['a PATCH with a stale If-Match (409)', answer(409, undefined, true), 'idempotent', false],
    ['a GET answered 400', answer(400), 'idempotent', false],
    ['a GET answered 401 twice', answer(401), 'idempotent', false],
    ['a create throttled with 429', answer(429), 'unprocessed-only', true],
    ['a create whose connection was refused', network('ECONNREFUSED'), 'unprocessed-only', true],
    ['a create whose host name did not resolve', network('ENOTFOUND'), 'unprocessed-only', true],
    ['a create whose connect timed out', network('UND_ERR_CONNECT_TIMEOUT'), 'unprocessed-only', true],
    ['a create answered 503', answer(503), 'unprocessed-only', false],
    ['a create answered 504', answer(504), 'unprocessed-only', false],
    ['a create answered 500', answer(500), 'unprocessed-only', false],
    ['a create answered 409', answer(409), 'unprocessed-only', false],
    ['a create whose connection reset after sending', network('ECONNRESET'), 'unprocessed-only', false],
    ['a create whose answer timed out', network('UND_ERR_HEADERS_TIMEOUT'), 'unprocessed-only', false],
  ])('when %s, then repeat is %s', (_what, error, policy, expected) => {
    expect(mayRepeat(error, policy)).toBe(expected);
  });

  it('when the token could not be fetched (Entra), then the request is not repeated here', () => {
    const entra = new TransientError('BC auth: could not get a token', { system: 'entra' });
    expect(mayRepeat(entra, 'idempotent')).toBe(false);
    expect(mayRepeat(new AuthError('no', { system: 'entra' }), 'idempotent')).toBe(false);
  });
});

describe('retryWaitMs', () => {
  it("when BC sent Retry-After, then the wait is BC's plus jitter below the base", () => {
    expect(retryWaitMs(0, answer(429, 4000), limits.backoff, () => 0.5)).toBe(4050);
    expect(retryWaitMs(0, answer(503, 4000), limits.backoff, () => 0)).toBe(4000);
  });

  it('when there is no Retry-After, then the wait is a full-jitter draw under a doubling ceiling capped at maxMs', () => {
    const random = () => 0.5;
    expect([0, 1, 2, 3, 4, 9].map((n) => retryWaitMs(n, answer(500), limits.backoff, random))).toEqual([
      50, 100, 200, 400, 500, 500,
    ]);
    expect(retryWaitMs(9, answer(500), limits.backoff, () => 0.999)).toBeLessThan(1000);
  });
});

describe('decideRetry', () => {
  const ask = (attempt: number, error: unknown, waitedMs = 0) =>
    decideRetry({ attempt, error, policy: 'idempotent', waitedMs, limits, random: () => 0.5 });

  it('when retries are left, then retry after the computed wait', () => {
    expect(ask(0, answer(500))).toEqual({ retry: true, waitMs: 50 });
  });

  it('when maxRetries attempts were retried, then give up', () => {
    expect(ask(3, answer(500))).toEqual({ retry: false });
  });

  it('when the next wait would pass the total wait budget, then give up', () => {
    expect(ask(0, answer(429, 9_000), 1_000)).toEqual({ retry: false });
  });

  it('when the failure is not one of ours, then give up', () => {
    expect(ask(0, new Error('bug'))).toEqual({ retry: false });
  });
});
