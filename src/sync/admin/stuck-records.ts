/**
 * Records stuck on the way to BC: in `creating` or `created` for longer than `STUCK_RECORD_MINUTES`. Such a
 * record is not in a final state and nothing may come to move it (its Cin7 invoice deleted while a draft waits
 * for a post retry, a worker that died mid-create), so the health check, `doctor` and the alert name them.
 */
import type { SyncDeps } from '../deps.js';
import type { LedgerState, RecordType } from '../../core/ports/stores.js';

/** States a record passes through while its BC document is being written; never an end state. */
export const inFlightStates = ['creating', 'created'] as const satisfies readonly LedgerState[];

export interface StuckRecord {
  recordType: RecordType;
  recordId: string;
  label: string;
  state: (typeof inFlightStates)[number];
  /** When the record last moved (ISO). */
  since: string;
  ageMinutes: number;
}

export interface StuckRecords {
  thresholdMinutes: number;
  /** Oldest first. */
  records: StuckRecord[];
}

export async function findStuckRecords(deps: Pick<SyncDeps, 'stores' | 'clock' | 'settings'>): Promise<StuckRecords> {
  const now = deps.clock.now();
  const records: StuckRecord[] = [];
  for (const state of inFlightStates) {
    let continuationToken: string | undefined;
    do {
      const page = await deps.stores.ledger.list({
        state,
        pageSize: 500,
        ...(continuationToken !== undefined ? { continuationToken } : {}),
      });
      for (const entry of page.items) {
        const ageMs = now - Date.parse(entry.updatedAt);
        if (!(ageMs > deps.settings.stuckAfterMs)) continue;
        records.push({
          recordType: entry.recordType,
          recordId: entry.recordId,
          label: entry.label ?? entry.recordId,
          state,
          since: entry.updatedAt,
          ageMinutes: Math.floor(ageMs / 60_000),
        });
      }
      continuationToken = page.continuationToken;
    } while (continuationToken !== undefined);
  }
  records.sort((a, b) => b.ageMinutes - a.ageMinutes);
  return { thresholdMinutes: Math.round(deps.settings.stuckAfterMs / 60_000), records };
}

/** `3 h 5 min`, `2 d 4 h`: an age an operator reads at a glance. */
export function formatAge(minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return `${days} d ${hours} h`;
  return hours > 0 ? `${hours} h ${rest} min` : `${rest} min`;
}

/** One line naming how many records are stuck and the oldest; undefined when none is. */
export function describeStuckRecords(stuck: StuckRecords): string | undefined {
  const [oldest] = stuck.records;
  if (oldest === undefined) return undefined;
  const n = stuck.records.length;
  return (
    `${n} record${n === 1 ? '' : 's'} in creating/created for more than ${stuck.thresholdMinutes} min ` +
    `(STUCK_RECORD_MINUTES); oldest: ${oldest.recordType} ${oldest.label}, ` +
    `${oldest.state} for ${formatAge(oldest.ageMinutes)}. ` +
    'List them with `cin7-bc records --state creating` and `--state created`, ' +
    'then replay each with `cin7-bc replay <type> <id>`.'
  );
}

/** At most this many `ledger.stuck` events per run, oldest first: the alert names them, the count says the rest. */
const maxStuckEvents = 50;

/**
 * Sends one `ledger.stuck` event per stuck record (oldest first, at most 50 a run), which the stuck-records
 * log alert turns into one alert per record; run by the open-records snapshot timer.
 */
export async function reportStuckRecords(
  deps: Pick<SyncDeps, 'stores' | 'clock' | 'settings' | 'telemetry'>,
): Promise<StuckRecords> {
  const stuck = await findStuckRecords(deps);
  for (const record of stuck.records.slice(0, maxStuckEvents)) {
    deps.telemetry.event('ledger.stuck', {
      recordType: record.recordType,
      recordId: record.recordId,
      label: record.label,
      state: record.state,
      since: record.since,
      ageMinutes: String(record.ageMinutes),
      stuckTotal: String(stuck.records.length),
    });
  }
  return stuck;
}
