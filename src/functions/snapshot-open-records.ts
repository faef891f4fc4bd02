/**
 * Timer: counts the records open now by state and type and sends them as the `ledger.open` metric, so the
 * workbook shows what is waiting, not only what moved (src/telemetry/open-records-snapshot.ts).
 */
import { app, type InvocationContext, type Timer } from '@azure/functions';
import type { SyncDeps } from '../sync/deps.js';
import { snapshotOpenRecords, type OpenRecordCount } from '../telemetry/open-records-snapshot.js';
import { appRuntime, registrationSetting } from './app-runtime.js';

export interface SnapshotOpenRecordsFunctionDeps {
  getDeps(): Promise<Pick<SyncDeps, 'stores' | 'telemetry'>>;
}

export function createSnapshotOpenRecordsHandler(deps: SnapshotOpenRecordsFunctionDeps) {
  return async function snapshotOpenRecordsTimer(
    _timer: Timer,
    _context: InvocationContext,
  ): Promise<OpenRecordCount[]> {
    const { stores, telemetry } = await deps.getDeps();
    return snapshotOpenRecords({ ledger: stores.ledger, telemetry });
  };
}

app.timer('snapshot-open-records', {
  // The workbook's resolution for open records; each run costs one ledger query per open state.
  schedule: registrationSetting('OPEN_RECORDS_SNAPSHOT_SCHEDULE'),
  handler: createSnapshotOpenRecordsHandler({ getDeps: () => appRuntime().getDeps() }),
});
