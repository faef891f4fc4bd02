/**
 * JSON `$batch` for the BC simulator (reference/bc-api.md §1.4): `POST {apiRoot}/$batch` with
 * `{"requests":[{method,id,url,headers,body}]}`, answered `{"responses":[{id,status,headers,body}]}`.
 *
 * Operations run one after another, in order, each through the simulator's normal routing, and each gets its
 * own status and BC error body. There is no rollback (BC rolls back only under `Isolation: snapshot` when no
 * AL COMMIT happened, and `Microsoft.NAV.post` commits). The fault rules of `faults.ts` apply to every
 * operation by its own method and path as well as to the `$batch` request itself, so a rule aimed at
 * `Microsoft.NAV.post` still fires when the post travels inside a batch.
 */
import type { FaultControl, FaultKind } from '../faults.js';
import { BcSimError } from './bc-state.js';

/** reference §1.4 (D-OL "Max batch size"): at most 100 operations per `$batch`. */
export const MAX_BATCH_OPERATIONS = 100;

const METHODS = new Set(['GET', 'POST', 'PATCH', 'DELETE']);

export interface BatchOperation {
  id: string;
  method: string;
  /** Absolute, resolved against the API root. */
  url: URL;
  /** Lower-cased names. */
  headers: Record<string, string>;
  bodyText: string;
}

export interface BatchOperationResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** One operation as the simulator ran it (the `$batch` request itself is in `faults.requests`). */
export interface BatchOperationRecord {
  method: string;
  path: string;
  status: number;
  fault?: FaultKind;
  at: number;
}

export interface BatchOutcome {
  body: { responses: Array<{ id: string; status: number; headers: Record<string, string>; body?: unknown }> };
  /** A fault destroyed the connection: after the work (`lost-response`) or part-way (`drop-connection`). */
  destroySocket: boolean;
}

export interface RunBatchOptions {
  /** `{base}/{tenant}/{environment}/api/v2.0`: inner URLs are relative to it. */
  apiRoot: string;
  faults: FaultControl;
  /** Runs one operation through the simulator's routing; errors come back as BC error responses. */
  execute(operation: BatchOperation): Promise<BatchOperationResponse>;
  /** Turns a thrown error into BC's error response. */
  errorResponse(error: unknown): BatchOperationResponse;
  record(entry: BatchOperationRecord): void;
}

/** Validates the batch body, then runs its operations in order. A malformed body is one 400 for the whole batch. */
export async function runJsonBatch(bodyText: string, options: RunBatchOptions): Promise<BatchOutcome> {
  const operations = parseBatch(bodyText, options.apiRoot);
  const responses: BatchOutcome['body']['responses'] = [];
  // A lost response still runs the rest of the batch (the server finished it); a dropped connection stops it.
  let lost = false;
  for (const operation of operations) {
    const fault = options.faults.decide('bc', operation.method, operation.url.pathname);
    let response: BatchOperationResponse;
    if (fault?.kind === 'drop-connection') {
      options.record({
        method: operation.method,
        path: operation.url.pathname,
        status: 0,
        fault: fault.kind,
        at: Date.now(),
      });
      return { body: { responses }, destroySocket: true };
    }
    if (fault?.kind === 'throttle' || fault?.kind === 'throttle-no-retry-after') {
      const status = fault.status ?? 429;
      response = options.errorResponse(
        new BcSimError(
          status,
          status === 429 ? 'Application_TooManyRequests' : 'Internal_ServiceUnavailable',
          'Too many requests reached.',
          fault.kind === 'throttle' ? { 'Retry-After': String(fault.retryAfterSeconds ?? 1) } : {},
        ),
      );
    } else if (fault?.kind === 'server-error') {
      response = options.errorResponse(
        new BcSimError(fault.status ?? 500, 'Internal_ServerError', 'An unexpected error occurred.'),
      );
    } else {
      if (fault?.kind === 'latency') await new Promise((resolve) => setTimeout(resolve, fault.latencyMs ?? 100));
      response = await options.execute(operation).catch((error: unknown) => options.errorResponse(error));
    }
    if (fault?.kind === 'lost-response') lost = true;
    options.record({
      method: operation.method,
      path: operation.url.pathname,
      status: response.status,
      ...(fault ? { fault: fault.kind } : {}),
      at: Date.now(),
    });
    responses.push({
      id: operation.id,
      status: response.status,
      headers:
        response.body === undefined
          ? { ...response.headers }
          : { 'content-type': 'application/json; odata.metadata=minimal', ...response.headers },
      ...(response.body === undefined ? {} : { body: response.body }),
    });
  }
  return { body: { responses }, destroySocket: lost };
}

function parseBatch(bodyText: string, apiRoot: string): BatchOperation[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    throw new BcSimError(400, 'BadRequest', 'Invalid Request Body');
  }
  const requests = typeof parsed === 'object' && parsed !== null && 'requests' in parsed ? parsed.requests : undefined;
  if (!Array.isArray(requests) || requests.length === 0) {
    throw new BcSimError(400, 'BadRequest', "The batch request body must have a non-empty 'requests' array.");
  }
  if (requests.length > MAX_BATCH_OPERATIONS) {
    throw new BcSimError(
      400,
      'BadRequest',
      `The batch contains ${requests.length} operations; the maximum is ${MAX_BATCH_OPERATIONS}.`,
    );
  }
  const root = `${apiRoot.replace(/\/+$/, '')}/`;
  const ids = new Set<string>();
  return requests.map((request: unknown, index): BatchOperation => {
    const invalid = (what: string): BcSimError => new BcSimError(400, 'BadRequest', `Batch request ${index}: ${what}.`);
    if (typeof request !== 'object' || request === null) throw invalid('is not an object');
    const entry = request as Record<string, unknown>;
    const { id, method, url, headers, body } = entry;
    if (typeof id !== 'string' || id === '') throw invalid("'id' must be a non-empty string");
    if (ids.has(id)) throw invalid(`the id '${id}' is used twice`);
    ids.add(id);
    if (typeof method !== 'string' || !METHODS.has(method.toUpperCase()))
      throw invalid("'method' must be GET, POST, PATCH or DELETE");
    if (typeof url !== 'string' || url === '') throw invalid("'url' must be a non-empty string");
    const resolved = new URL(url, root);
    if (!resolved.href.startsWith(root)) throw invalid("'url' must be relative to the API root");
    const headerMap: Record<string, string> = {};
    if (headers !== undefined && headers !== null) {
      if (typeof headers !== 'object' || Array.isArray(headers)) throw invalid("'headers' must be an object");
      for (const [name, value] of Object.entries(headers)) {
        if (typeof value !== 'string') throw invalid(`header '${name}' must be a string`);
        headerMap[name.toLowerCase()] = value;
      }
    }
    return {
      id,
      method: method.toUpperCase(),
      url: resolved,
      headers: headerMap,
      bodyText: body === undefined || body === null ? '' : JSON.stringify(body),
    };
  });
}
