/**
 * What every admin HTTP function shares: JSON answers, a cap on JSON bodies, and one mapping from thrown
 * errors to a status. The admin functions use `authLevel: 'function'`, so a function (or host) key is
 * required; routes sit under `/api/admin/…` (the host's own `/admin` API stays clear through the `api` prefix).
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { SyncDeps } from '../sync/deps.js';
import type { z } from 'zod';
import { parseWith, type Parsed } from '../sync/admin/validation.js';
import { badRequest, readBodyText, readJsonBody, type BodyRead } from './http-io.js';
import { ensureError, isConnectorError, isRetryable } from '../core/errors.js';
import type { Logger } from '../core/ports/telemetry.js';

export interface AdminDeps {
  getDeps(): Promise<SyncDeps>;
  logger: (context: InvocationContext) => Logger;
  /** Who is calling, as audit rows name them (console routes: the signed-in user); default: a key holder. */
  caller?: (request: HttpRequest) => string;
}

/** How an operator decision made through a function key is named in the audit trail. */
export const keyCaller = 'admin API (function key)';

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

export type AdminHttpHandler = (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit>;

/** What a route reads from the request before its use case runs: the value, or the 400 to answer with. */
export type AdminInput<T> = (request: HttpRequest) => Promise<BodyRead<T>>;

function fromParsed<T>(parsed: Parsed<T>): BodyRead<T> {
  return parsed.ok ? { ok: true, body: parsed.value } : { ok: false, response: badRequest(parsed.problems) };
}

export const noInput: AdminInput<undefined> = () => Promise.resolve({ ok: true, body: undefined });

/** Input read from the URL alone (route values, query). */
export function requestInput<T>(parse: (request: HttpRequest) => Parsed<T>): AdminInput<T> {
  return (request) => Promise.resolve(fromParsed(parse(request)));
}

/** The query string read with `schema`. */
export function queryInput<S extends z.ZodType>(schema: S): AdminInput<z.infer<S>> {
  return requestInput((request) => parseWith(schema, queryOf(request), 'query'));
}

export function jsonBodyInput<T>(parse: (body: unknown) => Parsed<T>): AdminInput<T> {
  return async (request) => {
    const body = await readJsonBody(request, adminMaxBodyBytes);
    return body.ok ? fromParsed(parse(body.body)) : body;
  };
}

/** A JSON body read with `schema`. */
export function bodyInput<S extends z.ZodType>(schema: S): AdminInput<z.infer<S>> {
  return jsonBodyInput((body) => parseWith(schema, body));
}

export const textBodyInput: AdminInput<string> = (request) => readBodyText(request, adminMaxBodyBytes);

/** What a use case step may do besides answering: reach the ports, and note what it changed. */
export interface AdminCall {
  deps: SyncDeps;
  info(message: string): void;
  /** Who asked, for audit rows. */
  caller: string;
}

/**
 * One admin route: read its input (a 400 when it is wrong, before anything runs), run its use case, and
 * turn whatever that throws into {@link errorResponse}.
 */
export function adminHandler<T>(
  deps: AdminDeps,
  input: AdminInput<T>,
  run: (value: T, call: AdminCall) => Promise<HttpResponseInit>,
): AdminHttpHandler {
  return async (request, context) => {
    const read = await input(request);
    if (!read.ok) return read.response;
    try {
      const info = (message: string) => deps.logger(context).info(message, { invocationId: context.invocationId });
      const caller = deps.caller?.(request) ?? keyCaller;
      return await run(read.body, { deps: await deps.getDeps(), info, caller });
    } catch (error) {
      return errorResponse(error, deps.logger(context), context);
    }
  };
}

/** A route that only reads: its input, then what the use case returns as the JSON body. */
export function readRoute<T>(
  deps: AdminDeps,
  input: AdminInput<T>,
  read: (deps: SyncDeps, value: T) => Promise<unknown>,
): AdminHttpHandler {
  return adminHandler(deps, input, async (value, call) => ok(await read(call.deps, value)));
}
