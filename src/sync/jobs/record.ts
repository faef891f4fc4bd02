/**
 * Ledger bookkeeping shared by every use case: each state change is an ETag-guarded ledger update, an audit
 * row and a telemetry event, so nothing changes silently (DESIGN §3.4).
 */
import { ConflictError } from '../../core/errors.js';
import type { SyncDeps } from '../deps.js';
import type { AuditEntry, LedgerEntry, LedgerState, RecordType, Versioned } from '../../core/ports/stores.js';
import type { JobTrigger } from '../../core/ports/jobs.js';

export interface RecordContext {
  trigger: JobTrigger;
  /**
   * False for a record a replay reaches only as a follower (a credit note of the replayed invoice): the operator
   * did not name it, so an operator's skip of it holds.
   */
  namedByReplay?: boolean;
  attempt: number;
  correlationId: string;
  receivedAt: string;
}

/** Fields to change; an explicit `undefined` clears a field. */
export type LedgerPatch = { [K in Exclude<keyof LedgerEntry, 'recordType' | 'recordId'>]?: LedgerEntry[K] | undefined };

type AuditNote = Pick<AuditEntry, 'step' | 'outcome' | 'message' | 'details'>;

/** Reads the ledger entry, creating it as `pending` the first time a record is seen. */
export async function openRecord(
  deps: Pick<SyncDeps, 'stores' | 'clock'>,
  recordType: RecordType,
  recordId: string,
  context: RecordContext,
  label: string,
  initial: Pick<LedgerEntry, 'sourceNumber'> = {},
): Promise<Versioned<LedgerEntry>> {
  const existing = await deps.stores.ledger.get(recordType, recordId);
  if (existing) return existing;
  const now = new Date(deps.clock.now()).toISOString();
  try {
    return await deps.stores.ledger.create({
      recordType,
      recordId,
      state: 'pending',
      correlationId: context.correlationId,
      label,
      ...initial,
      attempts: 0,
      firstSeenAt: context.receivedAt,
      updatedAt: now,
    });
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    // Another worker created it between our read and create: theirs is the record.
    const raced = await deps.stores.ledger.get(recordType, recordId);
    if (!raced) throw error;
    return raced;
  }
}

/**
 * An operator's skip holds against webhooks, polls and retries; only a replay (an operator asking again)
 * reconsiders the record, and lifts the skip visibly first. `undefined`: leave the record as it is.
 */
export async function respectOperatorSkip(
  deps: Pick<SyncDeps, 'stores' | 'clock' | 'telemetry' | 'logger'>,
  record: Versioned<LedgerEntry>,
  context: RecordContext,
): Promise<Versioned<LedgerEntry> | undefined> {
  const { state, skippedBy } = record.value;
  if (state !== 'skipped' || skippedBy === undefined) return record;
  if (context.trigger !== 'replay' || context.namedByReplay === false) {
    const message = `kept skipped: ${skippedBy} decided it will not go to BC; replay the record to reconsider it`;
    await audit(deps, record.value, { step: 'operator-skip', outcome: 'skipped', message }, context);
    return undefined;
  }
  return transition(
    deps,
    record,
    { state: 'pending', skippedBy: undefined, reason: undefined },
    { step: 'operator-skip', outcome: 'info', message: `the skip by ${skippedBy} is lifted: a replay reconsiders it` },
    context,
  );
}

/**
 * Writes the next version of a ledger entry (ETag-guarded; a `ConflictError` means another worker moved it
 * first and the caller must re-read) and records the audit row and telemetry for it.
 */
export async function transition(
  deps: Pick<SyncDeps, 'stores' | 'clock' | 'telemetry' | 'logger'>,
  current: Versioned<LedgerEntry>,
  patch: LedgerPatch,
  note: AuditNote,
  context: RecordContext,
): Promise<Versioned<LedgerEntry>> {
  const now = new Date(deps.clock.now()).toISOString();
  const next = { ...current.value, ...patch, updatedAt: now } as LedgerEntry;
  for (const key of Object.keys(next) as Array<keyof LedgerEntry>) {
    if (next[key] === undefined) delete next[key];
  }
  const saved = await deps.stores.ledger.update(next, current.etag);
  const changed = current.value.state !== next.state;
  await audit(deps, next, { ...note, ...(changed ? { state: next.state } : {}) }, context);
  if (changed) {
    deps.telemetry.event('ledger.transition', {
      recordType: next.recordType,
      recordId: next.recordId,
      state: next.state,
      from: current.value.state,
      correlationId: next.correlationId,
      trigger: context.trigger,
      // Alerts name the record and why it stopped, e.g. which invoice waits for which mapping.
      label: next.label ?? next.recordId,
      ...(next.reason !== undefined ? { reason: next.reason } : {}),
      ...(next.missing !== undefined && next.missing.length > 0 ? { missing: next.missing.join(', ') } : {}),
    });
    deps.logger.info(`${next.recordType} ${next.label ?? next.recordId}: ${current.value.state} → ${next.state}`, {
      correlationId: next.correlationId,
      recordId: next.recordId,
      state: next.state,
      reason: next.reason,
    });
  }
  return saved;
}

export async function audit(
  deps: Pick<SyncDeps, 'stores' | 'clock'>,
  entry: Pick<LedgerEntry, 'recordType' | 'recordId' | 'correlationId'>,
  note: AuditNote & { state?: LedgerState },
  context: RecordContext,
): Promise<void> {
  await deps.stores.audit.append({
    recordType: entry.recordType,
    recordId: entry.recordId,
    correlationId: entry.correlationId,
    at: new Date(deps.clock.now()).toISOString(),
    trigger: context.trigger,
    attempt: context.attempt,
    ...note,
  });
}

export type ParkState = 'skipped' | 'needs-mapping' | 'failed';

/**
 * `park(state, reason, step, missing?)` for a record being worked on: ends it in a visible state with the
 * reason, the attempt count and, once the entity was read, its readable label (DESIGN §3.4). `current` is
 * read at each call, so a park after the record moved writes over its latest version.
 */
export function parkRecord(
  deps: Pick<SyncDeps, 'stores' | 'clock' | 'telemetry' | 'logger'>,
  context: RecordContext,
  current: () => { record: Versioned<LedgerEntry>; attempts: number; label: string | undefined },
): (state: ParkState, reason: string, step: string, missing?: string[]) => Promise<LedgerEntry> {
  return async (state, reason, step, missing) => {
    const { record, attempts, label } = current();
    const parked = await transition(
      deps,
      record,
      { state, reason, attempts, missing, ...(label ? { label } : {}) },
      { step, outcome: state === 'skipped' ? 'skipped' : 'error', message: reason },
      context,
    );
    return parked.value;
  };
}
