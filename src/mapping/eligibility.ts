import type { Cin7Purchase, Cin7PurchaseCreditNote, Cin7PurchaseInvoice } from '../cin7/schemas.js';
import type { Approach } from '../core/settings.js';

export type Eligibility = { eligible: true } | { eligible: false; reason: string };

/** Invoice stage statuses that mean "the supplier bill is approved" (PAID implies AUTHORISED). */
export const authorisedInvoiceStatuses = ['AUTHORISED', 'PAID'] as const;
/** The purchase status of a voided purchase (openapi.yaml:375). */
export const voidedPurchaseStatus = 'VOIDED';

const authorisedStatuses = new Set<string>(authorisedInvoiceStatuses);

/**
 * Whether one invoice of a purchase should become a BC purchase invoice (DESIGN §4 Eligibility).
 * The reason is shown to operators, so it says what the state is and what would make it eligible.
 */
export function invoiceEligibility(
  purchase: Cin7Purchase,
  invoice: Pick<Cin7PurchaseInvoice, 'Status'>,
  eligibleApproaches: readonly Approach[],
): Eligibility {
  const approach = purchase.Approach;
  if (approach === undefined || !(eligibleApproaches as readonly string[]).includes(approach)) {
    return {
      eligible: false,
      reason:
        `purchase approach ${approach ?? '(none)'} is not in ` +
        `ELIGIBLE_APPROACHES (${eligibleApproaches.join(',')})`,
    };
  }
  if (purchase.Status.toUpperCase() === voidedPurchaseStatus) return { eligible: false, reason: 'purchase is VOIDED' };
  const status = invoice.Status.toUpperCase();
  if (!authorisedStatuses.has(status)) return { eligible: false, reason: `invoice stage ${status}` };
  return { eligible: true };
}

/**
 * Whether a credit note should become a BC purchase credit memo: only AUTHORISED ones (Cin7 has no PAID credit
 * note, openapi.yaml:1611) of purchases whose approach is eligible; DRAFT and VOIDED are skipped with the reason.
 */
export function creditNoteEligibility(
  purchase: Cin7Purchase,
  note: Pick<Cin7PurchaseCreditNote, 'Status'>,
  eligibleApproaches: readonly Approach[],
): Eligibility {
  const status = note.Status.toUpperCase();
  if (status === 'AUTHORISED') return invoiceEligibility(purchase, { Status: status }, eligibleApproaches);
  const purchaseLevel = invoiceEligibility(purchase, { Status: 'AUTHORISED' }, eligibleApproaches);
  return purchaseLevel.eligible ? { eligible: false, reason: `credit note ${status}` } : purchaseLevel;
}
