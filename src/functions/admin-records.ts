/**
 * `GET admin/records`, `GET admin/records/{type}/{id}` (the id URL-encoded: purchase invoice ids contain
 * `/`) and `POST admin/records/replay`.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import {
  ListRecordsQuery,
  RecordTypeSchema,
  getRecord,
  listRecords,
  parseReplayRequest,
  replayRecords,
} from '../sync/admin/records.js';
import { parseWith } from '../sync/admin/validation.js';
import { ValidationError } from '../core/errors.js';
import { invalidContinuationTokenCode } from '../core/ports/stores.js';
import { appRuntime, invocationLogger } from './app-runtime.js';
import { adminMaxBodyBytes, errorResponse, notFound, ok, queryOf, type AdminDeps } from './admin-http.js';
import { badRequest, readJsonBody } from './http-io.js';

export function createListRecordsHandler(deps: AdminDeps) {
  return async function listRecordsHandler(
    request: HttpRequest,
    context: InvocationContext,
  ): Promise<HttpResponseInit> {
    const query = parseWith(ListRecordsQuery, queryOf(request), 'query');
    if (!query.ok) return badRequest(query.problems);
    try {
      const page = await listRecords(await deps.getDeps(), query.value);
      return ok({ items: page.items, continuationToken: page.continuationToken ?? null });
    } catch (error) {
      // A token the caller made up (or mangled) is their mistake, not a dependency's.
      if (error instanceof ValidationError && error.code === invalidContinuationTokenCode)
        return badRequest([error.message]);
      return errorResponse(error, deps.logger(context), context);
    }
  };
}

/** A route value may arrive still encoded (`%2F`) or decoded; ids never contain `%` themselves. */
function decodeId(raw: string): string | undefined {
  try {
    return raw.includes('%') ? decodeURIComponent(raw) : raw;
  } catch {
    return undefined;
  }
}

export function createGetRecordHandler(deps: AdminDeps) {
  return async function getRecordHandler(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    const problems: string[] = [];
    const type = RecordTypeSchema.safeParse(request.params['type']);
    if (!type.success) problems.push(`type: must be one of ${RecordTypeSchema.options.join(', ')}`);
    const id = decodeId(request.params['id'] ?? '');
    if (id === undefined || id.trim() === '')
      problems.push('id: must be a record id (URL-encode the / in purchase invoice ids)');
    if (!type.success || id === undefined || problems.length > 0) return badRequest(problems);
    try {
      const record = await getRecord(await deps.getDeps(), type.data, id);
      if (!record) return notFound(`no ${type.data} record ${id} in the ledger`);
      return ok(record);
    } catch (error) {
      return errorResponse(error, deps.logger(context), context);
    }
  };
}

export function createReplayRecordsHandler(deps: AdminDeps) {
  return async function replayRecordsHandler(
    request: HttpRequest,
    context: InvocationContext,
  ): Promise<HttpResponseInit> {
    const body = await readJsonBody(request, adminMaxBodyBytes);
    if (!body.ok) return body.response;
    const parsed = parseReplayRequest(body.body);
    if (!parsed.ok) return badRequest(parsed.problems);
    try {
      const result = await replayRecords(await deps.getDeps(), parsed.value);
      if (
        'records' in parsed.value &&
        result.queued.length === 0 &&
        result.notFound.length > 0 &&
        result.rejected.length === 0
      ) {
        return {
          status: 404,
          jsonBody: { error: 'not found', message: 'none of the records is in the ledger', ...result },
        };
      }
      return ok(result, 202);
    } catch (error) {
      return errorResponse(error, deps.logger(context), context);
    }
  };
}

const adminDeps: AdminDeps = { getDeps: () => appRuntime().getDeps(), logger: invocationLogger };

app.http('admin-records-list', {
  route: 'admin/records',
  methods: ['GET'],
  authLevel: 'function',
  handler: createListRecordsHandler(adminDeps),
});
app.http('admin-records-replay', {
  route: 'admin/records/replay',
  methods: ['POST'],
  authLevel: 'function',
  handler: createReplayRecordsHandler(adminDeps),
});
app.http('admin-records-get', {
  route: 'admin/records/{type}/{*id}',
  methods: ['GET'],
  authLevel: 'function',
  handler: createGetRecordHandler(adminDeps),
});
