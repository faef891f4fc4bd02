/**
 * Reading an unauthenticated inbound body (Cin7 webhooks, BC notifications): size-capped before and after
 * reading, then parsed as JSON. Each failure is a 4xx that changes nothing (DESIGN §3.8).
 */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';

export function badRequest(problem: string): HttpResponseInit {
  return { status: 400, jsonBody: { error: 'bad request', problem } };
}

/** The sender should deliver again later (Cin7 and BC both retry 5xx); nothing was enqueued. */
export const temporarilyUnavailable: HttpResponseInit = { status: 503, jsonBody: { error: 'temporarily unavailable' } };

export async function readJsonBody(
  request: HttpRequest,
  maxBytes: number,
): Promise<{ ok: true; body: unknown } | { ok: false; response: HttpResponseInit }> {
  const tooLarge = {
    ok: false as const,
    response: { status: 413, jsonBody: { error: `body larger than ${maxBytes} bytes` } },
  };
  // The declared length is checked first so an oversized body is refused without reading it.
  if (Number(request.headers.get('content-length') ?? '0') > maxBytes) return tooLarge;
  const text = await request.text();
  if (Buffer.byteLength(text, 'utf8') > maxBytes) return tooLarge;
  try {
    return { ok: true, body: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, response: badRequest('body is not JSON') };
  }
}
