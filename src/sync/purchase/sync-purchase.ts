/**
 * Authorised Cin7 supplier invoices → posted BC purchase invoices, and authorised credit notes → posted BC
 * purchase credit memos, exactly once (DESIGN §3.1–3.5).
 *
 * One job covers one purchase: every invoice Cin7 lists on it, then every credit note (so a credit note whose
 * invoice posts in this pass is applied to it in the same pass), and every ledger record of the purchase whose
 * document Cin7 no longer lists, so nothing the purchase ever started is left unsettled (I4).
 */
import type { Cin7Purchase, Cin7PurchaseCreditNote } from '../../cin7/schemas.js';
import { ensureError } from '../../core/errors.js';
import type { LedgerState, RecordType } from '../../core/ports/stores.js';
import type { SyncDeps } from '../deps.js';
import { openRecord, transition, type RecordContext } from '../jobs/record.js';
import { RecordFailures } from '../jobs/record-failures.js';
import { readPurchase, type PurchaseJob } from './read-purchase.js';
import { purchaseInvoiceRecordId, settleRemovedInvoice, syncCreditNote, syncInvoice } from './sync-invoice.js';

export { purchaseInvoiceRecordId, readPurchase, type PurchaseJob };

export interface InvoiceOutcome {
  recordId: string;
  recordType: Extract<RecordType, 'purchase-invoice' | 'purchase-credit-note'>;
  state: LedgerState;
  /** Set when processing this invoice failed with an error (the record keeps its last state). */
  error?: Error;
}

type Settle = (
  recordId: string,
  work: () => Promise<LedgerState>,
  recordType?: InvoiceOutcome['recordType'],
) => Promise<void>;

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
  // A credit note replay touches no invoice: '' matches none.
  const wanted = job.creditNoteTaskId === undefined ? job.invoiceTaskId?.toLowerCase() : '';
  const invoices = purchase.Invoice.filter((i) => wanted === undefined || i.TaskID.toLowerCase() === wanted);
  const outcomes: InvoiceOutcome[] = [];
  const settle: Settle = async (recordId, work, recordType = 'purchase-invoice') => {
    try {
      outcomes.push({ recordId, recordType, state: await work() });
    } catch (error) {
      outcomes.push({ recordId, recordType, state: 'pending', error: ensureError(error) });
    }
  };

  const recordIds: string[] = [];
  for await (const recordId of recordIdsOfPurchase(purchase, 'purchase-invoice', deps)) recordIds.push(recordId);
  // "No invoice yet" is said only of a purchase that never had one; one whose invoices were deleted says so per
  // invoice.
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
  // Credit notes a one-invoice replay carries along were not named by the operator.
  const followers = job.invoiceTaskId !== undefined && job.creditNoteTaskId === undefined;
  const noteContext = followers ? { ...context, namedByReplay: false } : context;
  await syncCreditNotes(purchase, creditNotesOfJob(job, purchase), settle, noteContext, deps);

  const failures = outcomes.flatMap((o) =>
    o.error ? [{ recordId: o.recordId, recordType: o.recordType, error: o.error }] : [],
  );
  if (failures.length > 0) throw new RecordFailures(failures);
  // Only a whole-purchase pass that settled every invoice vouches for this version (see pollCin7Purchases).
  if (wanted === undefined && purchase.LastUpdatedDate !== undefined) {
    await deps.stores.purchaseVersions.set(purchase.ID, purchase.LastUpdatedDate);
  }
  return outcomes;
}

/**
 * The credit notes a job covers: all of them, the one a replay names, or (replaying one invoice) those that
 * credit that invoice, which may have waited for it. Undefined: every credit note, and removed ones settled too.
 */
function creditNotesOfJob(job: PurchaseJob, purchase: Cin7Purchase): Cin7PurchaseCreditNote[] | undefined {
  if (job.creditNoteTaskId !== undefined) {
    const wanted = job.creditNoteTaskId.toLowerCase();
    return purchase.CreditNote.filter((c) => c.TaskID.toLowerCase() === wanted);
  }
  if (job.invoiceTaskId === undefined) return undefined;
  const invoiceTask = job.invoiceTaskId.toLowerCase();
  const number = purchase.Invoice.find((i) => i.TaskID.toLowerCase() === invoiceTask)?.InvoiceNumber?.toUpperCase();
  return purchase.CreditNote.filter((c) => number !== undefined && c.CreditNoteInvoiceNumber?.toUpperCase() === number);
}

/** Each credit note of the pass, then (on a whole-purchase pass) each credit note record Cin7 no longer lists. */
async function syncCreditNotes(
  purchase: Cin7Purchase,
  only: Cin7PurchaseCreditNote[] | undefined,
  settle: Settle,
  context: RecordContext,
  deps: SyncDeps,
): Promise<void> {
  for (const note of only ?? purchase.CreditNote) {
    const recordId = purchaseInvoiceRecordId(purchase.ID, note.TaskID);
    await settle(recordId, () => syncCreditNote(purchase, note, context, deps), 'purchase-credit-note');
  }
  if (only !== undefined) return;
  const listed = new Set(purchase.CreditNote.map((c) => purchaseInvoiceRecordId(purchase.ID, c.TaskID)));
  for await (const recordId of recordIdsOfPurchase(purchase, 'purchase-credit-note', deps)) {
    if (listed.has(recordId)) continue;
    const record = await deps.stores.ledger.get('purchase-credit-note', recordId);
    if (record)
      await settle(recordId, () => settleRemovedInvoice(purchase, record, context, deps), 'purchase-credit-note');
  }
}

async function* recordIdsOfPurchase(
  purchase: Cin7Purchase,
  recordType: RecordType,
  deps: SyncDeps,
): AsyncIterable<string> {
  const prefix = `${purchase.ID.toLowerCase()}/`;
  let continuationToken: string | undefined;
  do {
    const page = await deps.stores.ledger.list({
      recordType,
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
