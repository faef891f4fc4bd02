/**
 * Authorised Cin7 supplier invoices → posted BC purchase invoices, exactly once (DESIGN §3.1–3.5).
 *
 * One job covers one purchase: every invoice Cin7 lists on it, and every ledger record of the purchase whose
 * invoice Cin7 no longer lists, so nothing the purchase ever started is left unsettled (I4).
 */
import type { Cin7Purchase } from '../../cin7/schemas.js';
import { ensureError } from '../../core/errors.js';
import type { LedgerState } from '../../core/ports/stores.js';
import type { SyncDeps } from '../deps.js';
import { openRecord, transition, type RecordContext } from '../jobs/record.js';
import { RecordFailures } from '../jobs/record-failures.js';
import { readPurchase, type PurchaseJob } from './read-purchase.js';
import { purchaseInvoiceRecordId, settleRemovedInvoice, syncInvoice } from './sync-invoice.js';

export { purchaseInvoiceRecordId, readPurchase, type PurchaseJob };

export interface InvoiceOutcome {
  recordId: string;
  state: LedgerState;
  /** Set when processing this invoice failed with an error (the record keeps its last state). */
  error?: Error;
}

/** The record that says "this purchase has no invoice yet". */
function noInvoiceRecordId(purchaseId: string): string {
  return `${purchaseId.toLowerCase()}/-`;
}

/** Processes every invoice of one purchase. Throws `RecordFailures` when any invoice failed. */
export async function syncPurchase(
  job: PurchaseJob,
  context: RecordContext,
  deps: SyncDeps,
): Promise<InvoiceOutcome[]> {
  const purchase = await readPurchase(job, deps);
  const wanted = job.invoiceTaskId?.toLowerCase();
  const invoices = purchase.Invoice.filter((i) => wanted === undefined || i.TaskID.toLowerCase() === wanted);
  const outcomes: InvoiceOutcome[] = [];
  const settle = async (recordId: string, work: () => Promise<LedgerState>) => {
    try {
      outcomes.push({ recordId, state: await work() });
    } catch (error) {
      outcomes.push({ recordId, state: 'pending', error: ensureError(error) });
    }
  };

  const recordIds: string[] = [];
  for await (const recordId of recordIdsOfPurchase(purchase, deps)) recordIds.push(recordId);
  // "No invoice yet" is said only of a purchase that never had one; one whose invoices were deleted says so per invoice.
  const hadInvoices = recordIds.some((id) => id !== noInvoiceRecordId(purchase.ID));
  if (purchase.Invoice.length === 0 && wanted === undefined && !hadInvoices) {
    await settle(noInvoiceRecordId(purchase.ID), () => recordNoInvoice(purchase, context, deps));
  }
  for (const invoice of invoices) {
    await settle(purchaseInvoiceRecordId(purchase.ID, invoice.TaskID), () =>
      syncInvoice(purchase, invoice, context, deps),
    );
  }
  const listed = new Set(purchase.Invoice.map((i) => purchaseInvoiceRecordId(purchase.ID, i.TaskID)));
  for (const recordId of recordIds) {
    if (listed.has(recordId) || recordId === noInvoiceRecordId(purchase.ID)) continue;
    if (wanted !== undefined && recordId !== purchaseInvoiceRecordId(purchase.ID, wanted)) continue;
    // Read with its ETag only when it needs settling: the records Cin7 still lists cost no extra read.
    const record = await deps.stores.ledger.get('purchase-invoice', recordId);
    if (record) await settle(recordId, () => settleRemovedInvoice(purchase, record, context, deps));
  }

  const failures = outcomes.flatMap((o) => (o.error ? [{ recordId: o.recordId, error: o.error }] : []));
  if (failures.length > 0) throw new RecordFailures(failures);
  // Only a whole-purchase pass that settled every invoice vouches for this version (see pollCin7Purchases).
  if (wanted === undefined && purchase.LastUpdatedDate !== undefined) {
    await deps.stores.purchaseVersions.set(purchase.ID, purchase.LastUpdatedDate);
  }
  return outcomes;
}

async function* recordIdsOfPurchase(purchase: Cin7Purchase, deps: SyncDeps): AsyncIterable<string> {
  const prefix = `${purchase.ID.toLowerCase()}/`;
  let continuationToken: string | undefined;
  do {
    const page = await deps.stores.ledger.list({
      recordType: 'purchase-invoice',
      recordIdPrefix: prefix,
      ...(continuationToken === undefined ? {} : { continuationToken }),
    });
    for (const entry of page.items) yield entry.recordId;
    continuationToken = page.continuationToken;
  } while (continuationToken !== undefined);
}

/** A purchase still at the order stage: visible as skipped, so a webhook for it is never silently lost. */
async function recordNoInvoice(purchase: Cin7Purchase, context: RecordContext, deps: SyncDeps): Promise<LedgerState> {
  const record = await openRecord(
    deps,
    'purchase-invoice',
    noInvoiceRecordId(purchase.ID),
    context,
    `${purchase.OrderNumber} (no invoice)`,
    { sourceNumber: purchase.OrderNumber },
  );
  const reason = `no invoice stage yet (purchase status ${purchase.Status})`;
  if (record.value.state !== 'skipped' || record.value.reason !== reason) {
    await transition(
      deps,
      record,
      { state: 'skipped', reason, attempts: record.value.attempts + 1 },
      { step: 'eligibility', outcome: 'skipped', message: reason },
      context,
    );
  }
  return 'skipped';
}
