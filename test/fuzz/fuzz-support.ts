/** Arbitraries and request builders shared by the fuzz suites (fast-check, bounded runs, fixed seed). */
import { randomUUID } from 'node:crypto';
import azureFunctions from '@azure/functions';
import type { HttpRequest as HttpRequestType, HttpResponseInit } from '@azure/functions';
import fc from 'fast-check';

const { HttpRequest, InvocationContext } = azureFunctions;

/** Same runs on every machine: a failure prints its seed and path, and re-runs exactly. */
export const fuzzParameters = { seed: 20261128, numRuns: 200 } as const;

/** Strings that break naive code: OData quotes, URL and table-key characters, control characters, scripts, very long values. */
export const injectionString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "'",
    "''",
    "' or 1 eq 1 or '",
    "x' and vendorNumber ne '",
    '#',
    '/',
    '\\',
    '?',
    '%',
    '%2F',
    '%00',
    '../../admin',
    '\u0000',
    '\u0007\u001b[31m',
    '\r\nX-Injected: 1',
    '\ud800',
    '\uffff',
    '<script>alert(1)</script>',
    '${process.env}',
    '{{7*7}}',
    '$filter=true',
    'null',
    'undefined',
    '__proto__',
    'constructor',
    ' ',
    '',
    'Ünïcødé ✓ 請求書',
    '\u202eRTL',
  ),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.string({ minLength: 1025, maxLength: 5000 }),
  fc.constantFrom('A'.repeat(10_000), "'".repeat(2_000), '#/'.repeat(3_000)),
);

/** Any JSON value of a type a field should not have. */
export const wrongTypedValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1e308, Number.MAX_SAFE_INTEGER, [], {}, [null], { $ref: '#' }),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

/** Text that is not a JSON document (or not the document expected). */
export const malformedJson: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.json().map((text) => text.slice(0, Math.max(0, text.length - 1))),
  fc.constantFrom(
    '',
    ' ',
    '{',
    '}',
    '[',
    '{"a":}',
    '{"EventType":',
    'null',
    'true',
    '0',
    '"text"',
    '[]',
    '{}',
    '\ufeff{}',
    '{"__proto__":{"polluted":1}}',
    'NaN',
    '{"a":1,}',
    "{'a':1}",
  ),
);

/** Authorization headers that must not pass for `secret`. */
export function wrongAuthorization(secret: string): fc.Arbitrary<string | undefined> {
  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  return fc.oneof(
    fc.constant(undefined),
    fc.constantFrom(
      '',
      'Bearer',
      'Bearer ',
      'Basic',
      'Basic !!!',
      `bearer${secret}`,
      `Bearer ${secret.toUpperCase()}`,
      `Bearer ${secret.slice(0, -1)}`,
      `Bearer ${secret}x`,
      `Digest ${secret}`,
      `Token ${secret}`,
      basic(secret, ''),
      basic('', `${secret} `),
      Buffer.from(secret).toString('base64'),
      secret,
    ),
    fc
      .string({ maxLength: 100 })
      .map((s) => `Bearer ${s}`)
      .filter((s) => s.trim() !== `Bearer ${secret}`),
    fc
      .tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 40 }))
      .filter(([, p]) => p !== secret)
      .map(([u, p]) => basic(u, p)),
    fc.string({ maxLength: 200 }),
  );
}

export interface RequestOptions {
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  params?: Record<string, string>;
}

export type Handler = (
  request: HttpRequestType,
  context: InstanceType<typeof InvocationContext>,
) => Promise<HttpResponseInit>;

/** Calls a handler the way the Functions host would. */
export async function callHandler(
  handler: Handler,
  options: RequestOptions,
): Promise<HttpResponseInit & { status: number }> {
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? { string: options.body }
        : { bytes: options.body };
  const response = await handler(
    new HttpRequest({
      method: options.method ?? 'POST',
      url: options.url ?? 'https://connector.example/api/fuzz',
      headers: options.headers ?? {},
      ...(options.params ? { params: options.params } : {}),
      ...(body ? { body } : {}),
    }),
    new InvocationContext({ invocationId: randomUUID(), functionName: 'fuzz', logHandler: () => undefined }),
  );
  return { ...response, status: response.status ?? 200 };
}

export function isClientError(status: number): boolean {
  return status >= 400 && status < 500;
}
