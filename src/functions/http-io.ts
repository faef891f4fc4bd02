/**
 * What every HTTP function shares: reading a size-capped body, parsing it as JSON, and the 400 and 503
 * answers. A body is refused before anything else happens, so a bad request changes nothing (DESIGN §3.8).
 */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';

export type BodyRead<T> = { ok: true; body: T } | { ok: false; response: HttpResponseInit };

/** 400 listing every problem found, one line each. */
export function badRequest(problems: readonly unknown[]): HttpResponseInit {
  return { status: 400, jsonBody: { error: 'bad request', problems } };
}

/** The sender should deliver again later (Cin7 and BC both retry 5xx); nothing was enqueued. */
export const temporarilyUnavailable: HttpResponseInit = { status: 503, jsonBody: { error: 'temporarily unavailable' } };

/** The body as text, or 413 when it is larger than `maxBytes`. */
export async function readBodyText(request: HttpRequest, maxBytes: number): Promise<BodyRead<string>> {
  const tooLarge = {
    ok: false as const,
    response: { status: 413, jsonBody: { error: `body larger than ${maxBytes} bytes` } },
  };
  // The declared length is checked first so an oversized body is refused without reading it.
  if (Number(request.headers.get('content-length') ?? '0') > maxBytes) return tooLarge;
  const text = await request.text();
  if (Buffer.byteLength(text, 'utf8') > maxBytes) return tooLarge;
  return { ok: true, body: text };
}

/** The body parsed as JSON; 413 when too large, 400 when empty or not JSON. */
export async function readJsonBody(request: HttpRequest, maxBytes: number): Promise<BodyRead<unknown>> {
  const read = await readBodyText(request, maxBytes);
  if (!read.ok) return read;
  if (read.body.trim() === '') return { ok: false, response: badRequest(['body: is empty; send a JSON object']) };
  try {
    return { ok: true, body: JSON.parse(read.body) as unknown };
  } catch {
    return { ok: false, response: badRequest(['body: is not valid JSON']) };
  }
}
