/**
 * Thrown by a handler whose job covers several ledger records (a purchase with several invoices) when some
 * of them failed: carries which, so the job runner retries or parks exactly those records.
 */
import type { RecordType } from '../../core/ports/stores.js';

export class RecordFailures extends Error {
  override readonly name = 'RecordFailures';
  /** `recordType` when the record is not of the job's own type (a purchase job's credit notes). */
  constructor(readonly failures: Array<{ recordId: string; recordType?: RecordType; error: Error }>) {
    super(failures.map((f) => `${f.recordId}: ${f.error.message}`).join('; '));
  }
}
