/**
 * `sync --dry-run` for credit notes: each Cin7 credit note of a purchase previewed as the BC purchase credit memo
 * a sync would create, through the invoice preview (credit notes are coded exactly as invoices). Writes nothing.
 */
import type { BcPurchaseCreditMemoCreate, BcPurchaseInvoiceCreate } from '../../bc/schemas.js';
import type { Cin7Purchase, Cin7PurchaseInvoice } from '../../cin7/schemas.js';
import type { LedgerState } from '../../core/ports/stores.js';
import { creditNoteEligibility } from '../../mapping/eligibility.js';
import { creditNoteAsInvoice, toBcPurchaseCreditMemo } from '../../mapping/to-bc-purchase-credit-memo.js';
import type { SyncDeps } from '../deps.js';
import { purchaseInvoiceRecordId } from '../purchase/sync-purchase.js';

/** The fields of the invoice preview this file reads and sets. */
interface Preview {
  recordId: string;
  label: string;
  outcome: 'would-create' | 'already-in-bc' | 'skipped' | 'needs-mapping' | 'error';
  ledgerState?: LedgerState;
  reason?: string;
  invoice?: BcPurchaseInvoiceCreate;
  creditMemo?: BcPurchaseCreditMemoCreate;
}

const inBcStates = new Set<LedgerState>(['creating', 'created', 'posted', 'amount-mismatch', 'diverged']);

export async function previewCreditNotes<P extends Preview>(
  purchase: Cin7Purchase,
  /** The invoice preview, coding the credit note with the credit memo's options (`translateOptionsFor`). */
  previewInvoice: (purchase: Cin7Purchase, invoice: Cin7PurchaseInvoice) => Promise<P>,
  deps: Pick<SyncDeps, 'stores' | 'settings'>,
): Promise<P[]> {
  const previews: P[] = [];
  for (const note of purchase.CreditNote) {
    const recordId = purchaseInvoiceRecordId(purchase.ID, note.TaskID);
    const base = { recordId, label: `${purchase.OrderNumber} / ${note.CreditNoteNumber ?? note.TaskID} (credit note)` };
    const ledger = (await deps.stores.ledger.get('purchase-credit-note', recordId))?.value;
    const eligibility = creditNoteEligibility(purchase, note, deps.settings.eligibleApproaches);
    if (ledger && inBcStates.has(ledger.state)) {
      const reason = `ledger state ${ledger.state}: a sync writes no new credit memo`;
      previews.push({ ...base, outcome: 'already-in-bc', ledgerState: ledger.state, reason } as P);
    } else if (!eligibility.eligible) {
      previews.push({ ...base, outcome: 'skipped', reason: eligibility.reason } as P);
    } else {
      const preview = await previewInvoice(purchase, creditNoteAsInvoice(note));
      // The coded lines print as an invoice's do; the memo body is the one a sync sends (its application to the
      // credited invoice is decided at sync time, from the ledger and BC).
      const memo = preview.invoice ? { creditMemo: toBcPurchaseCreditMemo(preview.invoice) } : {};
      previews.push({ ...preview, ...base, ...memo });
    }
  }
  return previews;
}
