/**
 * Bulk actions: replay or skip by state or by a selection. Replay reuses `replayRecords`; skip applies
 * {@link skipRecord} to each record and reports every one that could not be skipped, so one refusal does not
 * stop the rest.
 */
import { z } from 'zod';
import type { SyncDeps } from '../deps.js';
import type { RecordType } from '../../core/ports/stores.js';
import { LedgerStateSchema, RecordTypeSchema, maxReplayBatch, selectRecords } from './records.js';
import { skipRecord } from './skip-record.js';

const Reason = z.string().trim().min(3, 'must say why (at least 3 characters)').max(500);

export const BulkSkipRequest = z.union([
  z
    .object({
      records: z
        .array(z.object({ type: RecordTypeSchema, id: z.string().trim().min(1) }))
        .min(1, 'must list at least one record')
        .max(maxReplayBatch),
      reason: Reason,
    })
    .strict(),
  z
    .object({
      state: LedgerStateSchema,
      type: RecordTypeSchema.optional(),
      limit: z.number().int().min(1).max(maxReplayBatch).optional(),
      reason: Reason,
    })
    .strict(),
]);
export type BulkSkipRequest = z.infer<typeof BulkSkipRequest>;

export interface BulkSkipResult {
  skipped: Array<{ type: RecordType; id: string }>;
  refused: Array<{ type: RecordType; id: string; reason: string }>;
  notFound: Array<{ type: RecordType; id: string }>;
  truncated: boolean;
}

export async function skipRecords(
  deps: Pick<SyncDeps, 'stores' | 'clock' | 'logger'>,
  request: BulkSkipRequest,
  operator: string,
): Promise<BulkSkipResult> {
  const { targets, truncated } = await selectRecords(deps, request);
  const result: BulkSkipResult = { skipped: [], refused: [], notFound: [], truncated };
  for (const target of targets) {
    const outcome = await skipRecord(deps, { ...target, reason: request.reason }, operator);
    if (outcome.ok) result.skipped.push(target);
    else if (outcome.problem === 'not-found') result.notFound.push(target);
    else result.refused.push({ ...target, reason: outcome.message });
  }
  return result;
}
