/** Calls admin function handlers the way the Functions host would, against a sandbox's deps. */
import { randomUUID } from 'node:crypto';
import { HttpRequest, InvocationContext, type HttpRequestParams, type HttpResponseInit } from '@azure/functions';
import type { AdminDeps } from '../../src/functions/admin-http.js';
import type { Sandbox } from '../sandbox/sandbox.js';

export type Handler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

export function adminDeps(sandbox: Sandbox): AdminDeps {
  return { getDeps: () => Promise.resolve(sandbox.deps), logger: () => sandbox.deps.logger };
}

export interface CallOptions {
  method?: string;
  query?: Record<string, string>;
  params?: HttpRequestParams;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

export async function call(
  handler: Handler,
  path: string,
  options: CallOptions = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers; text: string | undefined }> {
  const url = new URL(`https://connector.example/api/${path}`);
  for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
  const body = options.json !== undefined ? JSON.stringify(options.json) : options.text;
  const response = await handler(
    new HttpRequest({
      method: options.method ?? 'GET',
      url: url.toString(),
      ...(options.params ? { params: options.params } : {}),
      ...(body !== undefined ? { body: { string: body } } : {}),
      headers: {
        'content-type': options.json !== undefined ? 'application/json' : 'text/csv',
        ...options.headers,
      },
    }),
    new InvocationContext({ invocationId: randomUUID(), functionName: 'admin', logHandler: () => undefined }),
  );
  return {
    status: response.status ?? 200,
    body: (response.jsonBody ?? {}) as Record<string, unknown>,
    headers: new Headers(response.headers),
    text: typeof response.body === 'string' ? response.body : undefined,
  };
}
