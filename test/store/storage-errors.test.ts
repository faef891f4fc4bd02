import { RestError } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { translateStorageError } from '../../src/store/storage-errors.js';
import {
  AuthError,
  ConflictError,
  NotFoundError,
  ThrottledError,
  TransientError,
  ValidationError,
} from '../../src/core/errors.js';

const context = { table: 'ledger', operation: 'update ledger entry', record: 'purchase-invoice/PO-1' };

function restError(statusCode: number | undefined, code?: string): RestError {
  return new RestError('The specified entity already exists.', {
    ...(statusCode === undefined ? {} : { statusCode }),
    ...(code === undefined ? {} : { code }),
  });
}

describe('translateStorageError', () => {
  it.each([
    [409, 'EntityAlreadyExists', ConflictError],
    [412, 'UpdateConditionNotSatisfied', ConflictError],
    [404, 'ResourceNotFound', NotFoundError],
    [401, 'AuthenticationFailed', AuthError],
    [403, 'AuthorizationPermissionMismatch', AuthError],
    [429, undefined, ThrottledError],
    [503, 'ServerBusy', ThrottledError],
    [500, 'InternalError', TransientError],
    [504, undefined, TransientError],
    [408, undefined, TransientError],
    [409, 'TableBeingDeleted', TransientError],
    [400, 'PropertyValueTooLarge', ValidationError],
  ])('when the service answers %i %s, then it becomes %o', (status, code, expected) => {
    const translated = translateStorageError(restError(status, code), context);
    expect(translated).toBeInstanceOf(expected);
    expect(translated.message).toContain('ledger');
    expect(translated.message).toContain('purchase-invoice/PO-1');
  });

  it('when a conditional write finds the row gone, then it is a conflict, not "not found"', () => {
    expect(
      translateStorageError(restError(404, 'ResourceNotFound'), { ...context, missingIsConflict: true }),
    ).toBeInstanceOf(ConflictError);
  });

  it('when the request never got a response, then it is transient', () => {
    expect(translateStorageError(restError(undefined, 'REQUEST_SEND_ERROR'), context)).toBeInstanceOf(TransientError);
  });

  it('when a socket error escapes the SDK, then it is transient', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(translateStorageError(error, context)).toBeInstanceOf(TransientError);
  });

  it('when the managed identity cannot get a token, then it is an auth error', () => {
    const error = new Error('ManagedIdentityCredential: unavailable');
    error.name = 'CredentialUnavailableError';
    expect(translateStorageError(error, context)).toBeInstanceOf(AuthError);
  });

  it('when the error is a programming error, then it is passed through unchanged', () => {
    const bug = new TypeError('x is not a function');
    expect(translateStorageError(bug, context)).toBe(bug);
  });

  it('when the message is built, then it never contains the account key or a connection string', () => {
    const translated = translateStorageError(restError(403, 'AuthenticationFailed'), context);
    expect(translated.message).not.toMatch(/AccountKey|SharedKey|DefaultEndpointsProtocol/);
  });

  it('when the service sends Retry-After with a throttle, then retryAfterMs carries it', () => {
    // Only the header accessor is read; a full PipelineResponse is not needed.
    const error = Object.assign(new RestError('busy', { statusCode: 503 }), {
      response: { headers: { get: (name: string) => (name === 'retry-after' ? '3' : undefined) } },
    });
    const translated = translateStorageError(error, context);
    expect(translated).toBeInstanceOf(ThrottledError);
    expect((translated as ThrottledError).retryAfterMs).toBe(3000);
  });
});
