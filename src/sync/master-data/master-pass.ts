/**
 * What the master-data syncs (supplier → vendor, vendor → supplier, item → product) share for one pass over
 * a record: its latest version, the attempt the pass counts, the readable label once the entity was read,
 * and the ways a pass ends (parked, unchanged, synced, a refused update) with their audit rows (DESIGN §3.4).
 */
import type { ValidationError } from '../../core/errors.js';
import type { AuditEntry, LedgerEntry, RecordType, Versioned } from '../../core/ports/stores.js';
import type { SyncDeps } from '../deps.js';
import { unreadRecordOf, type SyncJob } from '../../core/jobs/job-types.js';
import {
  openRecord,
  parkRecord,
  respectOperatorSkip,
  transition,
  type LedgerPatch,
  type RecordContext,
} from '../jobs/record.js';

/** A master-data job's use case: it ends with the ledger entry of the record it passed over. */
export type MasterSync<T extends SyncJob['type']> = (
  job: Extract<SyncJob, { type: T }>,
  context: RecordContext,
  deps: SyncDeps,
) => Promise<LedgerEntry>;

export interface MasterPass {
  deps: SyncDeps;
  context: RecordContext;
  /** The record's latest version: every transition of the pass replaces it. */
  record: Versioned<LedgerEntry>;
  attempts: number;
  /** Known once the entity is read; parked records carry it from then on. */
  label?: string;
  park: ReturnType<typeof parkRecord>;
}

async function openMasterPass(
  deps: SyncDeps,
  context: RecordContext,
  recordType: RecordType,
  recordId: string,
  placeholderLabel: string,
): Promise<MasterPass> {
  const record = await openRecord(deps, recordType, recordId, context, placeholderLabel);
  const pass: Omit<MasterPass, 'park'> = { deps, context, record, attempts: record.value.attempts + 1 };
  const park = parkRecord(deps, context, () => ({ record: pass.record, attempts: pass.attempts, label: pass.label }));
  return Object.assign(pass, { park });
}

/**
 * Opens the pass over the job's record (as its job type names it) and reads the entity back from its system
 * (webhooks and notifications carry no data we trust); `read` gets the record id. An entity that is gone ends
 * the pass `skipped`, naming it.
 */
export async function openAndRead<T>(
  deps: SyncDeps,
  context: RecordContext,
  job: SyncJob,
  step: 'read-bc' | 'read-cin7',
  read: (recordId: string) => Promise<T | undefined>,
): Promise<{ pass: MasterPass; entity: T } | { parked: LedgerEntry }> {
  const { recordType, recordId, label } = unreadRecordOf(job);
  const pass = await openMasterPass(deps, context, recordType, recordId, label);
  const open = await respectOperatorSkip(deps, pass.record, context);
  if (open === undefined) return { parked: pass.record.value };
  pass.record = open;
  const entity = await read(recordId);
  if (entity !== undefined) return { pass, entity };
  const system = step === 'read-bc' ? 'BC' : 'Cin7';
  return { parked: await pass.park('skipped', `${system} has no ${label} (deleted?)`, step) };
}

/** Applies one transition to the pass's record and keeps the new version. */
export async function advance(
  pass: MasterPass,
  patch: LedgerPatch,
  note: Pick<AuditEntry, 'step' | 'outcome' | 'message' | 'details'>,
): Promise<LedgerEntry> {
  pass.record = await transition(pass.deps, pass.record, patch, note, pass.context);
  return pass.record.value;
}

/** Synced before from the same source values, and no operator asked for a replay: nothing to write. */
export function unchangedSinceSync(pass: MasterPass, sourceFingerprint: string): boolean {
  const { state, sourceFingerprint: before } = pass.record.value;
  return state === 'synced' && before === sourceFingerprint && pass.context.trigger !== 'replay';
}

/** Ends the pass `synced` with what is on the other side now (cleared reason and gaps). */
export function recordSynced(
  pass: MasterPass,
  patch: LedgerPatch,
  note: Pick<AuditEntry, 'step' | 'outcome' | 'message' | 'details'>,
): Promise<LedgerEntry> {
  return advance(
    pass,
    {
      attempts: pass.attempts,
      ...(pass.label !== undefined ? { label: pass.label } : {}),
      ...patch,
      state: 'synced',
      reason: undefined,
      missing: undefined,
    },
    note,
  );
}

/**
 * The other side refused an update: the record (re-read, since the pass may have moved it) is `failed`
 * with that system's message, replayable once the data is corrected.
 */
export async function parkRefusedUpdate(pass: MasterPass, name: string, error: ValidationError): Promise<LedgerEntry> {
  const { recordType, recordId } = pass.record.value;
  pass.record = (await pass.deps.stores.ledger.get(recordType, recordId)) ?? pass.record;
  const cin7 = error.system === 'cin7';
  return pass.park(
    'failed',
    `${cin7 ? 'Cin7' : 'BC'} rejected the update of ${name}: ${error.message}`,
    cin7 ? 'cin7-update' : 'bc-update',
  );
}
