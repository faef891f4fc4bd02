/**
 * Replay: re-runs one record from its current state (DESIGN §3.4). The message id is new each time so
 * duplicate detection never swallows a replay; the session is the record's, so it queues behind any other
 * work on the same record.
 */
import { randomUUID } from 'node:crypto';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import type { SyncDeps } from '../deps.js';
import { envelopeFor } from './intake.js';
import type { JobEnvelope } from '../../core/ports/jobs.js';
import { jobForRecord } from '../../core/jobs/job-types.js';
import type { RecordType } from '../../core/ports/stores.js';

export async function replayRecord(
  recordType: RecordType,
  recordId: string,
  deps: Pick<SyncDeps, 'stores' | 'queue' | 'clock' | 'logger'>,
): Promise<JobEnvelope> {
  const found = await deps.stores.ledger.get(recordType, recordId);
  if (!found) throw new NotFoundError(`No ${recordType} record ${recordId} in the ledger; list records to find its id`);
  if (recordId.startsWith('collection:'))
    throw new ValidationError(`${recordId} is a collection marker, not a record; run the poll instead`);
  const entry = found.value;
  const job = jobForRecord(entry);
  if (job === undefined) throw new ValidationError(`No job type replays ${recordType} records`);
  const envelope = envelopeFor(job, `replay:${randomUUID()}`, 'replay', deps.clock, entry.correlationId);
  await deps.queue.enqueue([envelope]);
  deps.logger.info(`replay queued for ${recordType} ${entry.label ?? recordId} (state ${entry.state})`, {
    correlationId: entry.correlationId,
  });
  return envelope;
}
