/**
 * `GET admin/records`, `GET admin/records/{type}/{id}` (the id URL-encoded: purchase invoice ids contain
 * `/`) and `POST admin/records/replay`.
 */
import type { HttpRequest } from '@azure/functions';
import {
  ListRecordsQuery,
  RecordTypeSchema,
  getRecord,
  listRecords,
  parseReplayRequest,
  replayRecords,
} from '../sync/admin/records.js';
import type { RecordType } from '../core/ports/stores.js';
import type { Parsed } from '../sync/admin/validation.js';
import { ValidationError } from '../core/errors.js';
import { invalidContinuationTokenCode } from '../core/ports/stores.js';
import { appAdminDeps } from './app-runtime.js';
import { adminHandler, jsonBodyInput, notFound, ok, queryInput, requestInput, type AdminDeps } from './admin-http.js';
import { badRequest } from './http-io.js';

export function createListRecordsHandler(deps: AdminDeps) {
  return adminHandler(deps, queryInput(ListRecordsQuery), async (query, call) => {
    try {
      const page = await listRecords(call.deps, query);
      return ok({ items: page.items, continuationToken: page.continuationToken ?? null });
    } catch (error) {
      // A token the caller made up (or mangled) is their mistake, not a dependency's.
      if (error instanceof ValidationError && error.code === invalidContinuationTokenCode)
        return badRequest([error.message]);
      throw error;
    }
  });
}

/** A route value may arrive still encoded (`%2F`) or decoded; ids never contain `%` themselves. */
function decodeId(raw: string): string | undefined {
  try {
    return raw.includes('%') ? decodeURIComponent(raw) : raw;
  } catch {
    return undefined;
  }
}

export function parseRecordKey(request: HttpRequest): Parsed<{ type: RecordType; id: string }> {
  const problems: string[] = [];
  const type = RecordTypeSchema.safeParse(request.params['type']);
  if (!type.success) problems.push(`type: must be one of ${RecordTypeSchema.options.join(', ')}`);
  const id = decodeId(request.params['id'] ?? '');
  if (id === undefined || id.trim() === '')
    problems.push('id: must be a record id (URL-encode the / in purchase invoice ids)');
  if (!type.success || id === undefined || problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { type: type.data, id } };
}

export function createGetRecordHandler(deps: AdminDeps) {
  return adminHandler(deps, requestInput(parseRecordKey), async ({ type, id }, call) => {
    const record = await getRecord(call.deps, type, id);
    if (!record) return notFound(`no ${type} record ${id} in the ledger`);
    return ok(record);
  });
}

export function createReplayRecordsHandler(deps: AdminDeps) {
  return adminHandler(deps, jsonBodyInput(parseReplayRequest), async (request, call) => {
    const result = await replayRecords(call.deps, request);
    if (
      'records' in request &&
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
  });
}

// Registered by src/main.ts under the names admin-records-list, -replay and -get.
export const listRecordsRoute = createListRecordsHandler(appAdminDeps);
export const replayRecordsRoute = createReplayRecordsHandler(appAdminDeps);
export const getRecordRoute = createGetRecordHandler(appAdminDeps);
