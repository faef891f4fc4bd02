/**
 * A snapshot of the records that are open now, by state and type, as metrics: transitions tell what moved,
 * only the ledger knows what is still waiting (a record parked last month is invisible in a 7-day chart of
 * transitions). The timer in src/functions/snapshot-open-records.ts calls this; the workbook charts
 * `ledger.open`.
 */
import {
  ledgerStates,
  recordTypes,
  type LedgerState,
  type LedgerStore,
  type RecordType,
} from '../core/ports/stores.js';
import type { Telemetry } from '../core/ports/telemetry.js';

/** States nothing more happens in unless the source changes: not "open". */
const settledStates: ReadonlySet<LedgerState> = new Set<LedgerState>(['posted', 'synced', 'skipped']);

export const openLedgerStates: readonly LedgerState[] = ledgerStates.filter((s) => !settledStates.has(s));

export interface OpenRecordCount {
  recordType: RecordType;
  state: LedgerState;
  count: number;
}

export interface SnapshotOpenRecordsDeps {
  ledger: LedgerStore;
  telemetry: Telemetry;
}

/**
 * Counts open records by state and type, page by page, and emits `ledger.open` for every pair, zeros
 * included so a chart drops to nothing when a backlog clears.
 */
export async function snapshotOpenRecords(deps: SnapshotOpenRecordsDeps): Promise<OpenRecordCount[]> {
  const counts: OpenRecordCount[] = [];
  for (const state of openLedgerStates) {
    const byType = new Map<RecordType, number>(recordTypes.map((t) => [t, 0]));
    let continuationToken: string | undefined;
    do {
      const page = await deps.ledger.list({
        state,
        pageSize: 500,
        ...(continuationToken !== undefined ? { continuationToken } : {}),
      });
      for (const entry of page.items) byType.set(entry.recordType, (byType.get(entry.recordType) ?? 0) + 1);
      continuationToken = page.continuationToken;
    } while (continuationToken !== undefined);
    for (const [recordType, count] of byType) counts.push({ recordType, state, count });
  }
  for (const c of counts) deps.telemetry.metric('ledger.open', c.count, { recordType: c.recordType, state: c.state });
  return counts;
}
