/**
 * What every admin HTTP function shares: JSON answers, a cap on JSON bodies, and one mapping from thrown
 * errors to a status. The admin functions use `authLevel: 'function'`, so a function (or host) key is
 * required; routes sit under `/api/admin/…` (the host's own `/admin` API stays clear through the `api` prefix).
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { SyncDeps } from '../sync/deps.js';
import { ensureError, isConnectorError, isRetryable } from '../core/errors.js';
import type { Logger } from '../core/ports/telemetry.js';

export interface AdminDeps {
  getDeps(): Promise<SyncDeps>;
  logger: (context: InvocationContext) => Logger;
}

export function ok(jsonBody: unknown, status = 200): HttpResponseInit {
  return { status, jsonBody };
}

export function notFound(message: string): HttpResponseInit {
  return { status: 404, jsonBody: { error: 'not found', message } };
}

/** The query string as an object; blank values count as absent. */
export function queryOf(request: HttpRequest): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of request.query.entries()) if (value.trim() !== '') query[key] = value;
  return query;
}

/** Admin bodies (a mapping, a replay request, a mapping file) are small; a larger one is a mistake or abuse. */
export const adminMaxBodyBytes = 1024 * 1024;

/**
 * Failures of Cin7, BC or storage become 502/503 with the (secret-free) message, so an operator sees which
 * system to look at; anything else is a 500 whose details stay in the log.
 */
export function errorResponse(error: unknown, logger: Logger, context: InvocationContext): HttpResponseInit {
  const err = ensureError(error);
  if (isConnectorError(err)) {
    const retryable = isRetryable(err);
    logger.warn(`admin request failed: ${err.message}`, {
      invocationId: context.invocationId,
      kind: err.kind,
      system: err.system,
    });
    return {
      status: retryable ? 503 : 502,
      jsonBody: {
        error: retryable ? 'temporarily unavailable' : 'a dependency refused the request',
        kind: err.kind,
        system: err.system ?? null,
        message: err.message,
      },
    };
  }
  logger.error(`admin request failed unexpectedly: ${err.message}`, { invocationId: context.invocationId });
  return { status: 500, jsonBody: { error: 'internal error', invocationId: context.invocationId } };
}
