import { describe, expect, it } from 'vitest';
import {
  AuthError,
  ConflictError,
  ConnectorError,
  NotFoundError,
  ThrottledError,
  TransientError,
  ValidationError,
  isRetryable,
} from '../../src/core/errors.js';

describe('isRetryable', () => {
  it.each([
    ['transient', new TransientError('BC answered 503'), true, true],
    ['throttled', new ThrottledError('Cin7 answered 429', 1000), true, true],
    ['conflict', new ConflictError('ledger ETag moved'), true, false],
    ['auth', new AuthError('token refused'), false, false],
    ['validation', new ValidationError('vendor number missing'), false, false],
    ['not-found', new NotFoundError('no such purchase'), false, false],
    ['a plain Error', new Error('bug'), false, false],
  ])('when the failure is %s, then a fresh attempt is %s and the same request is %s', (_, error, fresh, same) => {
    expect(isRetryable(error)).toBe(fresh);
    expect(isRetryable(error, 'same-request')).toBe(same);
    // The getter a client asks before resending one call gives the same answer.
    if (error instanceof ConnectorError) expect(error.retryable).toBe(same);
  });
});
