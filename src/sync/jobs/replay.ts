/**
 * Replay: re-runs one record from its current state (DESIGN §3.4). The message id is new each time so
 * duplicate detection never swallows a replay; the session is the record's, so it queues behind any other
 * work on the same record.
 */
import { randomUUID } from 'node:crypto';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import type { SyncDeps } from '../deps.js';
import { envelopeFor } from './intake.js';
import type { JobEnvelope, SyncJob } from '../../core/ports/jobs.js';
import type { LedgerEntry, RecordType } from '../../core/ports/stores.js';

export function jobForRecord(entry: Pick<LedgerEntry, 'recordType' | 'recordId' | 'sourceNumber'>): SyncJob {
  switch (entry.recordType) {
    case 'purchase-invoice': {
      const [purchaseId = '', invoiceTaskId = '-'] = entry.recordId.split('/');
      if (purchaseId.startsWith('order:')) {
        return { type: 'cin7-purchase', orderNumber: purchaseId.slice('order:'.length) };
      }
      return {
        type: 'cin7-purchase',
        purchaseId,
        ...(entry.sourceNumber ? { orderNumber: entry.sourceNumber } : {}),
        ...(invoiceTaskId !== '-' ? { invoiceTaskId } : {}),
      };
    }
    case 'supplier':
      return { type: 'cin7-supplier', supplierId: entry.recordId };
    case 'vendor':
      return { type: 'bc-vendor', vendorId: entry.recordId };
    case 'item':
      return { type: 'bc-item', itemId: entry.recordId };
  }
}

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
  const envelope = envelopeFor(
    jobForRecord(entry),
    `replay:${randomUUID()}`,
    'replay',
    deps.clock,
    entry.correlationId,
  );
  await deps.queue.enqueue([envelope]);
  deps.logger.info(`replay queued for ${recordType} ${entry.label ?? recordId} (state ${entry.state})`, {
    correlationId: entry.correlationId,
  });
  return envelope;
}
