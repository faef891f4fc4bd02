/**
 * Timer: counts the records open now by state and type and sends them as the `ledger.open` metric, so the
 * workbook shows what is waiting, not only what moved (src/telemetry/open-records-snapshot.ts), and sends a
 * `ledger.stuck` event for each record in creating/created past STUCK_RECORD_MINUTES (the stuck-records alert).
 */
import type { InvocationContext, Timer } from '@azure/functions';
import type { SyncDeps } from '../sync/deps.js';
import { snapshotOpenRecords, type OpenRecordCount } from '../telemetry/open-records-snapshot.js';
import { reportStuckRecords, type StuckRecords } from '../sync/admin/stuck-records.js';
import { appRuntime } from './app-runtime.js';

export interface SnapshotOpenRecordsFunctionDeps {
  getDeps(): Promise<Pick<SyncDeps, 'stores' | 'telemetry' | 'clock' | 'settings'>>;
}

export function createSnapshotOpenRecordsHandler(deps: SnapshotOpenRecordsFunctionDeps) {
  return async function snapshotOpenRecordsTimer(
    _timer: Timer,
    _context: InvocationContext,
  ): Promise<{ open: OpenRecordCount[]; stuck: StuckRecords }> {
    const syncDeps = await deps.getDeps();
    const open = await snapshotOpenRecords({ ledger: syncDeps.stores.ledger, telemetry: syncDeps.telemetry });
    return { open, stuck: await reportStuckRecords(syncDeps) };
  };
}

/** Registered by src/main.ts as `snapshot-open-records`. */
export const snapshotOpenRecordsTimer = createSnapshotOpenRecordsHandler({ getDeps: () => appRuntime().getDeps() });
