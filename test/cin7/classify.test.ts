import { describe, expect, it } from 'vitest';
import { classifyCin7NetworkError, classifyCin7Response, type Cin7HttpResponse } from '../../src/cin7/classify.js';
import { isRetryableCin7Failure } from '../../src/cin7/retry.js';
import { AuthError, NotFoundError, ThrottledError, TransientError, ValidationError } from '../../src/core/errors.js';

const context = { operation: 'GET advanced-purchase', record: 'purchase p1', nowMs: 0 };

function json(status: number, body: unknown, headers: Record<string, string> = {}): Cin7HttpResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

function thrown(response: Cin7HttpResponse): unknown {
  try {
    classifyCin7Response(response, context);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('classifyCin7Response', () => {
  it.each([
    ['403 Incorrect credentials', json(403, [{ ErrorCode: 403, Exception: 'Incorrect credentials!' }]), AuthError],
    ['429 rate limit', { status: 429, headers: {}, body: 'You reached 60 calls per minute API limit' }, ThrottledError],
    ['503 rate limit', { status: 503, headers: {}, body: 'You reached 60 calls per minute API limit' }, ThrottledError],
    ['500', json(500, [{ ErrorCode: 500, Exception: 'boom' }]), TransientError],
    ['502 without body', { status: 502, headers: {}, body: '' }, TransientError],
    ['400 with an Exception', json(400, [{ ErrorCode: 400, Exception: 'SKU is required.' }]), ValidationError],
    ['400 with ErrorCode 404', json(400, { ErrorCode: 404, Exception: 'Category not found.' }), NotFoundError],
    ['404 with ErrorCode 404', json(404, [{ ErrorCode: 404, Exception: 'Purchase not found.' }]), NotFoundError],
    [
      '404 without a JSON body',
      { status: 404, headers: { 'content-type': 'text/html' }, body: '<html></html>' },
      ValidationError,
    ],
    [
      '200 with an ErrorCode 500 array',
      json(200, [{ ErrorCode: 500, Exception: 'Object reference not set' }]),
      TransientError,
    ],
    ['200 with a bare ErrorCode 400', json(200, { ErrorCode: 400, Exception: 'Bad' }), ValidationError],
    ['200 with ErrorCode 403', json(200, [{ ErrorCode: 403, Exception: 'Incorrect credentials!' }]), AuthError],
    [
      '200 with HTML',
      { status: 200, headers: { 'content-type': 'text/html' }, body: '<!DOCTYPE html><title>Page not found</title>' },
      ValidationError,
    ],
  ] as const)('when Cin7 answers %s, then it is a %s', (_label, response, type) => {
    expect(thrown(response)).toBeInstanceOf(type);
  });

  it('when a 429 carries Retry-After, then retryAfterMs is read from it', () => {
    const error = thrown({ status: 429, headers: { 'retry-after': '3' }, body: '' });
    expect(error).toBeInstanceOf(ThrottledError);
    expect((error as ThrottledError).retryAfterMs).toBe(3000);
  });

  it('when a 503 has no Retry-After, then retryAfterMs is undefined', () => {
    expect((thrown({ status: 503, headers: {}, body: '' }) as ThrottledError).retryAfterMs).toBeUndefined();
  });

  it('when the HTML page comes with 200, then the message points at CIN7_BASE_URL', () => {
    const error = thrown({
      status: 200,
      headers: { 'content-type': 'text/html' },
      body: '<html>Page not found</html>',
    });
    expect((error as Error).message).toContain('CIN7_BASE_URL');
  });

  it('when the error body has several items, then every Exception text is kept with the record named', () => {
    const error = thrown(
      json(400, [
        { ErrorCode: 400, Exception: 'SKU is required.' },
        { ErrorCode: 400, Exception: 'Name is required.' },
      ]),
    );
    expect((error as Error).message).toMatch(/purchase p1.*SKU is required\.; Name is required\./);
  });

  it('when the answer is a list of records, then it is returned, not mistaken for an error', () => {
    expect(classifyCin7Response(json(200, [{ ID: 'x' }]), context)).toEqual([{ ID: 'x' }]);
  });
});

describe('isRetryableCin7Failure', () => {
  const throttled = (status: number): ThrottledError => new ThrottledError('t', undefined, { status });
  it.each([
    ['GET throttled', throttled(503), true, true],
    ['GET transient', new TransientError('x'), true, true],
    ['GET validation', new ValidationError('x'), true, false],
    ['GET auth', new AuthError('x'), true, false],
    ['POST 429', throttled(429), false, true],
    ['POST 503', throttled(503), false, true],
    ['POST throttle told in a 200 body', throttled(200), false, false],
    [
      'POST network error',
      classifyCin7NetworkError(new Error('socket hang up'), { operation: 'POST product' }),
      false,
      false,
    ],
    ['POST 500', new TransientError('x', { status: 500 }), false, false],
  ] as const)('when %s, then retry is %s', (_label, error, idempotent, expected) => {
    expect(isRetryableCin7Failure(error, idempotent)).toBe(expected);
  });
});
