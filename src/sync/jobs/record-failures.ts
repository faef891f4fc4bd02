/**
 * Thrown by a handler whose job covers several ledger records (a purchase with several invoices) when some
 * of them failed: carries which, so the job runner retries or parks exactly those records.
 */
export class RecordFailures extends Error {
  override readonly name = 'RecordFailures';
  constructor(readonly failures: Array<{ recordId: string; error: Error }>) {
    super(failures.map((f) => `${f.recordId}: ${f.error.message}`).join('; '));
  }
}
