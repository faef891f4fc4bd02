import { describe, expect, it } from 'vitest';
import { classifyBcNetworkError, classifyBcResponse, parseBcErrorBody, wasNotSent } from '../../src/bc/classify.js';

const body = (code: string, message = 'Something.') =>
  JSON.stringify({ error: { code, message: `${message}  CorrelationId:  0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0.` } });

describe('classifyBcResponse', () => {
  it.each([
    [401, 'Authentication_InvalidCredentials', 'AuthError'],
    [403, 'Authorization_InsufficientPermissions', 'AuthError'],
    [409, 'Request_EntityChanged', 'ValidationError'],
    [400, 'Application_DialogException', 'ValidationError'],
    [400, 'Application_FieldValidationException', 'ValidationError'],
    [400, 'BadRequest_InvalidToken', 'ValidationError'],
    [404, 'Internal_RecordNotFound', 'NotFoundError'],
    [400, 'Internal_EntityWithSameKeyExists', 'ValidationError'],
    [400, 'Internal_InvalidTableRelation', 'ValidationError'],
    [404, 'Internal_CompanyNotFound', 'AuthError'],
    [500, 'Internal_ServerError', 'TransientError'],
    [400, 'Internal_TenantUnavailable', 'TransientError'],
    [429, 'Application_TooManyRequests', 'ThrottledError'],
    [503, 'Internal_ServiceUnavailable', 'ThrottledError'],
    [504, '', 'ThrottledError'],
    [502, '', 'TransientError'],
  ])('when BC answers %i %s, then %s', (status, code, expected) => {
    const error = classifyBcResponse({
      operation: 'op',
      status,
      body: code === '' ? '<html>' : body(code),
      retryAfterMs: undefined,
    });
    expect(error.name).toBe(expected);
  });

  it('when BC names a URL and a CorrelationId, then the message keeps the text without them', () => {
    const parsed = parseBcErrorBody(
      body(
        'BadRequest_NotFound',
        "No HTTP resource was found that matches the request URI 'https://api.example/v2.0/x?$filter=secret'.",
      ),
    );
    expect(parsed.message).toBe('No HTTP resource was found that matches the request URI <url>.');
    expect(parsed.correlationId).toBe('0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0');
  });

  it('when BC answers 409 to a request with If-Match, then TransientError (re-read, then try again), never ConflictError', () => {
    const error = classifyBcResponse({
      operation: 'updateVendor x',
      status: 409,
      body: body('Request_EntityChanged', 'Another user has already changed the record.'),
      retryAfterMs: undefined,
      conditional: true,
    });
    expect(error).toMatchObject({ name: 'TransientError', status: 409, code: 'Request_EntityChanged' });
    expect(error.message).toContain('changed in BC since it was read');
  });

  it('when BC answers 409 to a create, then ValidationError with status 409 and the code, never ConflictError', () => {
    const error = classifyBcResponse({
      operation: 'createPurchaseInvoice V1/INV-1',
      status: 409,
      body: body('Request_EntityChanged', 'Another user has already changed the record.'),
      retryAfterMs: undefined,
    });
    expect(error).toMatchObject({ name: 'ValidationError', status: 409, code: 'Request_EntityChanged' });
    expect(error.message).toContain('createPurchaseInvoice V1/INV-1');
  });

  it.each([
    ['ECONNREFUSED', 'the request was not sent'],
    ['ENOTFOUND', 'the request was not sent'],
    ['EAI_AGAIN', 'the request was not sent'],
    ['UND_ERR_CONNECT_TIMEOUT', 'the request was not sent'],
    ['ECONNRESET', 'the request may have reached BC'],
    ['UND_ERR_SOCKET', 'the request may have reached BC'],
    ['UND_ERR_HEADERS_TIMEOUT', 'the request may have reached BC'],
  ])('when the connection fails with %s, then TransientError saying "%s"', (code, says) => {
    const error = classifyBcNetworkError('createPurchaseInvoice V1/INV-1', Object.assign(new Error('boom'), { code }));
    expect(error).toMatchObject({ name: 'TransientError', code });
    expect(error.message).toContain(says);
    expect(wasNotSent(error)).toBe(says === 'the request was not sent');
  });

  it('when a request times out (AbortSignal), then it may have reached BC', () => {
    const error = classifyBcNetworkError(
      'op',
      new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
    );
    expect(error.message).toContain('no response (TimeoutError); the request may have reached BC');
    expect(wasNotSent(error)).toBe(false);
  });

  it('when throttled with Retry-After, then retryAfterMs is kept', () => {
    const error = classifyBcResponse({ operation: 'op', status: 429, body: '', retryAfterMs: 2000 });
    expect(error).toMatchObject({ name: 'ThrottledError', retryAfterMs: 2000 });
  });
});
