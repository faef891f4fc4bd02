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
import { appAdminDeps } from './app-runtime.js';
import {
  adminHandler,
  bodyInput,
  noInput,
  notFound,
  ok,
  queryInput,
  readRoute,
  requestInput,
  type AdminDeps,
} from './admin-http.js';
import { parseRecordKey } from './admin-records.js';

/** Every operator route's handler, by what it does; `admin-console.ts` serves the same ones to the console. */
export function createOperationHandlers(deps: AdminDeps) {
  return {
    overviewRoute: readRoute(deps, noInput, readOverview),
    activityRoute: readRoute(deps, queryInput(ActivityQuery), readActivity),
    gapsRoute: readRoute(deps, noInput, listGaps),
    targetsRoute: readRoute(deps, queryInput(ListTargetsQuery), listTargets),
    findRecordsRoute: readRoute(deps, queryInput(FindRecordsQuery), findRecords),
    codedInvoiceRoute: adminHandler(deps, requestInput(parseRecordKey), async ({ type, id }, call) => {
      const found = await call.deps.stores.ledger.get(type, id);
      if (!found) return notFound(`no ${type} record ${id} in the ledger`);
      const outcome = await buildCodedInvoice(call.deps, found.value);
      if (outcome.ok) return ok(outcome.coded);
      return outcome.problem === 'not-found' ? notFound(outcome.message) : ok({ unavailable: outcome.message });
    }),
    skipRecordRoute: adminHandler(deps, bodyInput(SkipRecordRequest), async (request, call) => {
      const outcome = await skipRecord(call.deps, request, call.caller);
      if (outcome.ok) {
        call.info(`${request.type} ${request.id} skipped by ${call.caller}`);
        return ok({ record: outcome.entry });
      }
      if (outcome.problem === 'not-found') return notFound(outcome.message);
      return { status: 409, jsonBody: { error: 'cannot skip', message: outcome.message } };
    }),
    skipRecordsRoute: adminHandler(deps, bodyInput(BulkSkipRequest), async (request, call) => {
      const result = await skipRecords(call.deps, request, call.caller);
      call.info(`${result.skipped.length} record(s) skipped by ${call.caller}`);
      return ok(result);
    }),
  };
}

// Registered by src/main.ts under the names admin-overview, -overview-activity, -gaps, -targets,
// -records-search, -coded, -records-skip and -records-skip-bulk.
export const {
  overviewRoute,
  activityRoute,
  gapsRoute,
  targetsRoute,
  findRecordsRoute,
  codedInvoiceRoute,
  skipRecordRoute,
  skipRecordsRoute,
} = createOperationHandlers(appAdminDeps);
