/**
 * What every HTTP function shares: reading a size-capped body, parsing it as JSON, and the 400 and 503
 * answers. A body is refused before anything else happens, so a bad request changes nothing (DESIGN §3.8).
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { Clock } from '../core/clock.js';
import type { JobEnvelope, JobQueue } from '../core/ports/jobs.js';
import type { Logger } from '../core/ports/telemetry.js';

/** What both webhook functions (Cin7 webhooks, BC notifications) need besides their shared secret. */
export interface WebhookDeps {
  getQueue(): Promise<JobQueue>;
  clock: Pick<Clock, 'now'>;
  logger: (context: InvocationContext) => Logger;
  maxBodyBytes: number;
}

export type BodyRead<T> = { ok: true; body: T } | { ok: false; response: HttpResponseInit };

/** 400 listing every problem found, one line each. */
export function badRequest(problems: readonly unknown[]): HttpResponseInit {
  return { status: 400, jsonBody: { error: 'bad request', problems } };
}

/**
 * 503 after an internal failure, logged with the invocation: the sender delivers again later (Cin7 and BC both
 * retry 5xx; BC deletes a subscription on any other error status), and nothing was enqueued.
 */
export function retryLater(
  logger: Logger,
  message: string,
  error: unknown,
  context: InvocationContext,
): HttpResponseInit {
  logger.error(message, { error, invocationId: context.invocationId });
  return { status: 503, jsonBody: { error: 'temporarily unavailable' } };
}

/**
 * Hands a delivery to its intake, which enqueues: 202 with the intake's answer and one log line per queued job
 * (with the ids that tie it to its session and message), or {@link retryLater}'s 503 when the intake throws.
 */
export async function acceptDelivery(
  logger: Logger,
  context: InvocationContext,
  messages: { accepted: string; failed: string },
  intake: () => Promise<{ enqueued: readonly JobEnvelope[]; answer: object }>,
): Promise<HttpResponseInit> {
  try {
    const { enqueued, answer } = await intake();
    for (const envelope of enqueued)
      logger.info(messages.accepted, {
        correlationId: envelope.correlationId,
        sessionId: envelope.sessionId,
        messageId: envelope.messageId,
      });
    return { status: 202, jsonBody: answer };
  } catch (error) {
    return retryLater(logger, messages.failed, error, context);
  }
}

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
