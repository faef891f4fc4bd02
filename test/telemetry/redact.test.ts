import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/secret.js';
import { AuthError } from '../../src/core/errors.js';
import { redactError, redactProperties, redactValue, scrubText } from '../../src/telemetry/redact.js';

describe('redactProperties', () => {
  it('when a value is a Secret, then it becomes [redacted]', () => {
    expect(redactProperties({ applicationKey: new Secret('k'), plain: new Secret('v') })).toEqual({
      applicationKey: '[redacted]',
      plain: '[redacted]',
    });
  });

  it.each([
    'password',
    'clientSecret',
    'apiKey',
    'accessToken',
    'Authorization',
    'cookie',
    'clientAssertion',
    'credential',
  ])('when the key is %s, then its value becomes [redacted]', (key) => {
    expect(redactProperties({ [key]: 'x', nested: { [key]: { deep: 'y' } } })).toEqual({
      [key]: '[redacted]',
      nested: { [key]: '[redacted]' },
    });
  });

  it('when the key names an identifier such as partitionKey, then its value passes', () => {
    expect(redactProperties({ partitionKey: 'purchase-invoice', rowKey: 'abc', correlationId: 'c-1' })).toEqual({
      partitionKey: 'purchase-invoice',
      rowKey: 'abc',
      correlationId: 'c-1',
    });
  });

  it('when a value is a URL with a query string, then the query is removed', () => {
    expect(
      redactProperties({
        url: 'https://func.example.net/api/cin7-webhook?code=abc',
        href: new URL('https://x.test/a?sig=1#f'),
      }),
    ).toEqual({
      url: 'https://func.example.net/api/cin7-webhook',
      href: 'https://x.test/a',
    });
  });

  it('when a string is longer than 2,000 characters, then it is cut', () => {
    const result = redactProperties({ body: 'x'.repeat(5000) });

    expect((result['body'] as string).length).toBeLessThan(2020);
    expect(result['body']).toMatch(/truncated\]$/);
  });

  it('when objects nest deeper than 3 levels, then the deeper levels are summarised', () => {
    expect(redactProperties({ a: { b: { c: { d: { e: 1 } } } } })).toEqual({ a: { b: { c: { d: '[object]' } } } });
  });

  it('when an object refers to itself, then it is marked circular instead of looping', () => {
    const looped: Record<string, unknown> = { id: 1 };
    looped['self'] = looped;

    expect(redactProperties({ looped })).toEqual({ looped: { id: 1, self: '[circular]' } });
  });

  it('when values are dates, big integers or binary, then they become short text', () => {
    expect(
      redactProperties({
        at: new Date('2026-01-02T03:04:05Z'),
        big: 12n,
        bytes: new Uint8Array(4),
        skipped: undefined,
      }),
    ).toEqual({ at: '2026-01-02T03:04:05.000Z', big: '12', bytes: '[binary 4 bytes]' });
  });
});

describe('redactError', () => {
  it('when an Error message holds a URL with a query, then only the classification and the scrubbed message remain', () => {
    const cause = new Error('GET https://contoso-kv.vault.azure.net/secrets/x?api-version=7.4&sig=abc failed');
    const error = new AuthError('Key Vault denied https://contoso-kv.vault.azure.net/secrets/x?sig=abc', {
      system: 'keyvault',
      status: 403,
      code: 'Forbidden',
      correlationId: 'bc-corr-1',
      cause,
    });

    const redacted = redactError(error);

    expect(redacted).toEqual({
      name: 'AuthError',
      message: 'Key Vault denied https://contoso-kv.vault.azure.net/secrets/x',
      kind: 'auth',
      code: 'Forbidden',
      status: 403,
      system: 'keyvault',
      correlationId: 'bc-corr-1',
      cause: { name: 'Error', message: 'GET https://contoso-kv.vault.azure.net/secrets/x failed' },
    });
    expect(JSON.stringify(redacted)).not.toContain('sig=abc');
    expect(JSON.stringify(redacted)).not.toContain('stack');
  });

  it('when a RestError carries statusCode, then it is reported as status', () => {
    const error = Object.assign(new Error('boom'), { name: 'RestError', statusCode: 503 });

    expect(redactValue(error)).toEqual({ name: 'RestError', message: 'boom', status: 503 });
  });
});

describe('scrubText', () => {
  it.each([
    ['https://user:pa55@host.test/path', 'https://[redacted]@host.test/path'],
    ['Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.payload.sig', 'Authorization: Bearer [redacted]'],
    [
      'Endpoint=sb://ns/;SharedAccessKeyName=root;SharedAccessKey=abc123=',
      'Endpoint=sb://ns/;SharedAccessKeyName=root;SharedAccessKey=[redacted]',
    ],
    [
      'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=xyz==;',
      'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=[redacted];',
    ],
    ['Cin7 accepts Basic or Bearer auth', 'Cin7 accepts Basic or Bearer auth'],
  ])('when the text is %s, then it becomes %s', (input, expected) => {
    expect(scrubText(input)).toBe(expected);
  });
});
