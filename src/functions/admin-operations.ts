/**
 * The operator routes behind the console, also open to scripts with a function key: `GET admin/overview`,
 * `GET admin/overview/activity`, `GET admin/gaps`, `GET admin/targets`, `GET admin/records/search`,
 * `GET admin/coded/{type}/{*id}`, `POST admin/records/skip` and `POST admin/records/skip-bulk`.
 */
import { ActivityQuery, readActivity, readOverview } from '../sync/admin/overview.js';
import { listGaps } from '../sync/admin/gaps.js';
import { ListTargetsQuery, listTargets } from '../sync/admin/targets.js';
import { FindRecordsQuery, findRecords } from '../sync/admin/find-records.js';
import { SkipRecordRequest, skipRecord } from '../sync/admin/skip-record.js';
import { BulkSkipRequest, skipRecords } from '../sync/admin/bulk.js';
import { buildCodedInvoice } from '../sync/admin/coded-invoice.js';
import { parseWith } from '../sync/admin/validation.js';
import { appRuntime, invocationLogger } from './app-runtime.js';
import {
  adminHandler,
  jsonBodyInput,
  noInput,
  notFound,
  ok,
  queryInput,
  requestInput,
  type AdminDeps,
} from './admin-http.js';
import { parseRecordKey } from './admin-records.js';

export function createOverviewHandler(deps: AdminDeps) {
  return adminHandler(deps, noInput, async (_none, call) => ok(await readOverview(call.deps)));
}

export function createActivityHandler(deps: AdminDeps) {
  return adminHandler(
    deps,
    queryInput((query) => parseWith(ActivityQuery, query, 'query')),
    async (query, call) => ok(await readActivity(call.deps, query)),
  );
}

export function createGapsHandler(deps: AdminDeps) {
  return adminHandler(deps, noInput, async (_none, call) => ok(await listGaps(call.deps)));
}

export function createTargetsHandler(deps: AdminDeps) {
  return adminHandler(
    deps,
    queryInput((query) => parseWith(ListTargetsQuery, query, 'query')),
    async (query, call) => ok(await listTargets(call.deps, query)),
  );
}

export function createFindRecordsHandler(deps: AdminDeps) {
  return adminHandler(
    deps,
    queryInput((query) => parseWith(FindRecordsQuery, query, 'query')),
    async (query, call) => ok(await findRecords(call.deps, query)),
  );
}

export function createCodedInvoiceHandler(deps: AdminDeps) {
  return adminHandler(deps, requestInput(parseRecordKey), async ({ type, id }, call) => {
    const found = await call.deps.stores.ledger.get(type, id);
    if (!found) return notFound(`no ${type} record ${id} in the ledger`);
    const outcome = await buildCodedInvoice(call.deps, found.value);
    if (outcome.ok) return ok(outcome.coded);
    return outcome.problem === 'not-found' ? notFound(outcome.message) : ok({ unavailable: outcome.message });
  });
}

export function createSkipRecordHandler(deps: AdminDeps) {
  return adminHandler(
    deps,
    jsonBodyInput((body) => parseWith(SkipRecordRequest, body)),
    async (request, call) => {
      const outcome = await skipRecord(call.deps, request, call.caller);
      if (outcome.ok) {
        call.info(`${request.type} ${request.id} skipped by ${call.caller}`);
        return ok({ record: outcome.entry });
      }
      if (outcome.problem === 'not-found') return notFound(outcome.message);
      return { status: 409, jsonBody: { error: 'cannot skip', message: outcome.message } };
    },
  );
}

export function createSkipRecordsHandler(deps: AdminDeps) {
  return adminHandler(
    deps,
    jsonBodyInput((body) => parseWith(BulkSkipRequest, body)),
    async (request, call) => {
      const result = await skipRecords(call.deps, request, call.caller);
      call.info(`${result.skipped.length} record(s) skipped by ${call.caller}`);
      return ok(result);
    },
  );
}

const adminDeps: AdminDeps = { getDeps: () => appRuntime().getDeps(), logger: invocationLogger };

// Registered by src/main.ts under the names admin-overview, -overview-activity, -gaps, -targets,
// -records-search, -coded, -records-skip and -records-skip-bulk.
export const overviewRoute = createOverviewHandler(adminDeps);
export const activityRoute = createActivityHandler(adminDeps);
export const gapsRoute = createGapsHandler(adminDeps);
export const targetsRoute = createTargetsHandler(adminDeps);
export const findRecordsRoute = createFindRecordsHandler(adminDeps);
export const codedInvoiceRoute = createCodedInvoiceHandler(adminDeps);
export const skipRecordRoute = createSkipRecordHandler(adminDeps);
export const skipRecordsRoute = createSkipRecordsHandler(adminDeps);
