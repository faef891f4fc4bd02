/**
 * Skip: an operator decides a parked record will not go to BC (a duplicate entered by hand, a test purchase).
 * It is an audited decision with the operator's name and reason, and stays replayable (DESIGN §3.4).
 */
import { z } from 'zod';
import type { SyncDeps } from '../deps.js';
import { ConflictError } from '../../core/errors.js';
import type { LedgerEntry, LedgerState } from '../../core/ports/stores.js';
import { RecordTypeSchema } from './records.js';

/**
 * Only records that wrote nothing to BC may be skipped. `creating`/`created` may have a create in flight or a
 * draft in BC (I1, I3); `amount-mismatch` keeps a draft; `posted`/`diverged` are in BC already.
 */
export const skippableStates: ReadonlySet<LedgerState> = new Set<LedgerState>(['needs-mapping', 'failed', 'pending']);

export const SkipRecordRequest = z
  .object({
    type: RecordTypeSchema,
    id: z.string().trim().min(1, 'must not be empty'),
    reason: z.string().trim().min(3, 'must say why (at least 3 characters)').max(500),
  })
  .strict();
export type SkipRecordRequest = z.infer<typeof SkipRecordRequest>;

export type SkipOutcome =
  { ok: true; entry: LedgerEntry } | { ok: false; problem: 'not-found' | 'refused'; message: string };

export async function skipRecord(
  deps: Pick<SyncDeps, 'stores' | 'clock' | 'logger'>,
  request: SkipRecordRequest,
  operator: string,
): Promise<SkipOutcome> {
  const { type, id } = request;
  for (let round = 0; ; round += 1) {
    const found = await deps.stores.ledger.get(type, id);
    if (!found) return { ok: false, problem: 'not-found', message: `no ${type} record ${id} in the ledger` };
    const entry = found.value;
    const name = entry.label ?? id;
    const now = deps.clock.now();
    if (!skippableStates.has(entry.state))
      return {
        ok: false,
        problem: 'refused',
        message: `${name} is ${entry.state}: only ${[...skippableStates].join(', ')} records can be skipped`,
      };
    if ((entry.openAttempts?.length ?? 0) > 0)
      return {
        ok: false,
        problem: 'refused',
        message:
          `${name} has a BC create whose outcome is not settled yet: ` +
          'replay it first so the look-up settles it (I1)',
      };
    if (entry.leaseUntil !== undefined && Date.parse(entry.leaseUntil) > now)
      return { ok: false, problem: 'refused', message: `${name} is being worked on right now; try again in a minute` };
    const at = new Date(now).toISOString();
    const reason = `skipped by ${operator}: ${request.reason}`;
    const next: LedgerEntry = { ...entry, state: 'skipped', reason, skippedBy: operator, updatedAt: at };
    delete next.missing;
    try {
      await deps.stores.ledger.update(next, found.etag);
    } catch (error) {
      // A worker moved the record between the read and the write: decide again on what it is now.
      if (error instanceof ConflictError && round < 2) continue;
      throw error;
    }
    await deps.stores.audit.append({
      recordType: type,
      recordId: id,
      correlationId: entry.correlationId,
      at,
      step: 'operator-skip',
      outcome: 'skipped',
      state: 'skipped',
      message: reason,
      details: { operator, previousState: entry.state },
      trigger: 'operator',
    });
    deps.logger.info(`${type} ${name} skipped by an operator`, { correlationId: entry.correlationId });
    return { ok: true, entry: next };
  }
}
