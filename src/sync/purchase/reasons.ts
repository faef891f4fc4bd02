/**
 * What the ledger says to an accountant about a purchase invoice: one line naming the document, what
 * happened and what to do. Kept together so the wording stays consistent across the flow.
 */
import type { BcPurchaseInvoice } from '../../bc/schemas.js';
import type { DocumentKey } from '../../core/ports/stores.js';
import { describeKey } from './bc-documents.js';
import type { DeleteReason } from './decide-invoice.js';
import type { DimensionFix } from './draft-dimensions.js';

export const reasons = {
  gaps: (missing: readonly string[], drafts: readonly BcPurchaseInvoice[]) =>
    `${missing.length} mapping gap(s): ${missing.join('; ')}` +
    (drafts.length > 0 ? `; BC draft ${numbers(drafts)} is kept until they are added` : ''),

  held: (document: BcPurchaseInvoice) =>
    document.status === 'In Review'
      ? `BC invoice ${document.number} is waiting for approval (status In Review): approve it in BC, then replay`
      : `BC invoice ${document.number} has status '${document.status}', which is neither a draft nor posted: check it in BC, then replay`,

  skipped: (reason: string, deleted: readonly BcPurchaseInvoice[]) =>
    deleted.length > 0 ? `${reason}; its BC draft ${numbers(deleted)} was deleted` : reason,

  draftsDeleted: (drafts: readonly BcPurchaseInvoice[], why: DeleteReason) => {
    const what = `deleted BC draft ${numbers(drafts)}`;
    switch (why) {
      case 'ineligible':
        return `${what}: the Cin7 invoice is no longer authorised`;
      case 'changed-in-cin7':
        return `${what}: the Cin7 invoice changed after the draft was built; building it again`;
      case 'recoded':
        return `${what}: the invoice now codes to another vendor or supplier invoice number; building it again`;
      case 'superseded-by-posted':
        return `${what}: BC already holds this invoice posted`;
    }
  },

  deleteRefused: (draft: BcPurchaseInvoice, message: string) =>
    `BC refused to delete out-of-date draft ${draft.number} (${message}): delete it in BC, then replay`,

  removedFromPurchase: (orderNumber: string, deleted: readonly BcPurchaseInvoice[]) =>
    deleted.length > 0
      ? `the invoice was removed from purchase ${orderNumber} in Cin7; its BC draft ${numbers(deleted)} was deleted`
      : `the invoice is no longer on purchase ${orderNumber} in Cin7`,

  removedAfterPosting: (orderNumber: string, postedNumber: string) =>
    `the Cin7 invoice was removed from ${orderNumber} after it was posted in BC as ${postedNumber}: reverse it in BC`,

  voidedAfterPosting: (postedNumber: string) =>
    `Cin7 invoice was voided after it was posted in BC as ${postedNumber}: reverse it in BC (e.g. a corrective credit memo)`,

  changedAfterPosting: (postedNumber: string) =>
    `Cin7 invoice changed after it was posted in BC as ${postedNumber}: review and correct in BC`,

  numberReused: (document: BcPurchaseInvoice, key: DocumentKey, cin7Total: number) =>
    `BC already has ${document.status === 'Draft' ? 'draft' : 'posted'} invoice ${document.number} under ` +
    `${describeKey(key)} for ${formatTotal(document.totalAmountIncludingTax)}, but this Cin7 invoice totals ` +
    `${cin7Total.toFixed(2)}: a supplier number used twice; correct the number in Cin7 (or the invoice in BC), then replay`,

  createRejected: (message: string) => `BC rejected the invoice: ${message}`,

  postRejected: (draft: BcPurchaseInvoice, message: string) => `BC refused to post draft ${draft.number}: ${message}`,

  dimensionsIncomplete: (draft: BcPurchaseInvoice, problems: readonly string[]) =>
    `BC draft ${draft.number} does not carry the dimensions its lines need (${problems.join('; ')}); not posted: ` +
    `check the default dimensions of its vendor, G/L accounts and items in BC (e.g. a "Same Code" value posting), then replay`,

  dimensionRejected: (draft: BcPurchaseInvoice, fix: DimensionFix, message: string) =>
    `BC refused to set ${fix.code}=${fix.valueCode} on line ${fix.sequence} of draft ${draft.number} (${message}); ` +
    `not posted: check that dimension's defaults in BC, then replay`,

  amountMismatch: (draft: BcPurchaseInvoice, cin7Total: number, tolerance: number) => {
    const bcTotal = draft.totalAmountIncludingTax;
    const difference = bcTotal === null || bcTotal === undefined ? Number.NaN : Math.abs(bcTotal - cin7Total);
    return (
      `BC total ${formatTotal(bcTotal)} differs from Cin7 total ${cin7Total.toFixed(2)} by ${difference.toFixed(2)} ` +
      `(tolerance ${tolerance}); draft ${draft.number} kept, not posted`
    );
  },
};

function numbers(documents: readonly BcPurchaseInvoice[]): string {
  return documents.map((d) => d.number).join(', ');
}

function formatTotal(total: number | null | undefined): string {
  return total === null || total === undefined ? 'an unknown total' : total.toFixed(2);
}
