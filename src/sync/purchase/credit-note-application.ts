/**
 * Which posted BC invoice a credit memo applies to: the one this connector posted for the Cin7 invoice the credit
 * note names (`CreditNoteInvoiceNumber`). BC applies a memo on posting only to an open invoice entry of the same
 * vendor (GenJnlPostLine.Codeunit.al:4912-4917), so a fully paid invoice gets the memo unapplied, said in the audit.
 *
 * Decided in two steps so that a memo costs no more BC requests than an invoice: what the ledger knows, when the
 * credit note is translated (`planApplication`), and what BC's copy of the invoice says, read in the same request
 * as the look-up before the create (`confirmApplication`).
 */
import type { BcPurchaseInvoice } from '../../bc/schemas.js';
import type { Cin7Purchase } from '../../cin7/schemas.js';
import type { LedgerEntry } from '../../core/ports/stores.js';
import type { SyncDeps } from '../deps.js';
import { documentStatus } from './bc-documents.js';

export type Application =
  /** Post applied to this BC invoice. */
  | { kind: 'apply'; invoiceId: string; note: string }
  /** Post unapplied, for the reason in `note`. */
  | { kind: 'unapplied'; note: string }
  /** The credited invoice is not posted yet: the credit note waits, with this gap naming it. */
  | { kind: 'wait'; gap: string }
  /** The ledger says the invoice is posted as `invoiceId`; BC's copy decides (`confirmApplication`). */
  | { kind: 'confirm'; invoiceId: string; invoiceNumber: string };

/** What the Cin7 purchase and the ledger say about the invoice the credit note names (no BC request). */
export async function planApplication(
  purchase: Cin7Purchase,
  credits: string | undefined,
  deps: Pick<SyncDeps, 'stores'>,
): Promise<Exclude<Application, { kind: 'apply' }>> {
  const number = credits?.trim();
  if (!number) return { kind: 'unapplied', note: 'the credit note names no invoice; posted unapplied' };
  const invoice = purchase.Invoice.find((i) => i.InvoiceNumber?.trim().toUpperCase() === number.toUpperCase());
  if (invoice === undefined) {
    return {
      kind: 'unapplied',
      note: `invoice ${number} is not on purchase ${purchase.OrderNumber}; posted unapplied`,
    };
  }
  if (invoice.Status.toUpperCase() === 'VOIDED') {
    return { kind: 'unapplied', note: `invoice ${number} is voided in Cin7; posted unapplied` };
  }
  const recordId = `${purchase.ID.toLowerCase()}/${invoice.TaskID.toLowerCase()}`;
  const entry = (await deps.stores.ledger.get('purchase-invoice', recordId))?.value;
  // A skipped invoice will never be posted by the connector (keyed by hand, say, by an operator's decision), so
  // waiting for it would hold the credit note for ever.
  if (entry?.state === 'skipped') {
    return {
      kind: 'unapplied',
      note: `invoice ${number} is skipped (${entry.reason ?? 'no reason'}); posted unapplied`,
    };
  }
  if (entry?.targetId === undefined || (entry.state !== 'posted' && entry.state !== 'diverged')) {
    return { kind: 'wait', gap: waitingGap(number, entry) };
  }
  return { kind: 'confirm', invoiceId: entry.targetId, invoiceNumber: number };
}

/**
 * BC's copy of the credited invoice (`posted`, undefined when BC has none) against the memo's vendor: applied only
 * to an open invoice of that vendor.
 */
export function confirmApplication(
  planned: Extract<Application, { kind: 'confirm' }>,
  posted: BcPurchaseInvoice | undefined,
  vendorNumber: string,
): Extract<Application, { kind: 'apply' | 'unapplied' }> {
  const number = planned.invoiceNumber;
  if (posted === undefined || documentStatus(posted) !== 'posted') {
    return { kind: 'unapplied', note: `the BC invoice for ${number} cannot be read; posted unapplied` };
  }
  // PurchInvAggregator.Codeunit.al:575-576: Paid means its vendor ledger entry is closed, so nothing is open to
  // apply to.
  if (posted.status !== 'Open') {
    const status = posted.status === 'Paid' ? 'already fully paid' : posted.status;
    return { kind: 'unapplied', note: `BC invoice ${posted.number} for ${number} is ${status}; posted unapplied` };
  }
  // BC applies only to an entry of the memo's own vendor (GenJnlPostLine.Codeunit.al:4914): a supplier remapped
  // to another vendor since the invoice posted gets its memo under the vendor it maps to now, unapplied.
  if (posted.vendorNumber?.toUpperCase() !== vendorNumber.toUpperCase()) {
    return {
      kind: 'unapplied',
      note:
        `BC invoice ${posted.number} for ${number} is under vendor ${posted.vendorNumber ?? '?'}, ` +
        `the credit note codes to vendor ${vendorNumber}; posted unapplied`,
    };
  }
  return { kind: 'apply', invoiceId: posted.id, note: `applied to BC invoice ${posted.number} (${number})` };
}

/** The gap a waiting credit note is parked with: the invoice, and why it is not posted yet. */
function waitingGap(number: string, entry: LedgerEntry | undefined): string {
  const why = entry === undefined ? 'not processed yet' : `${entry.state}${entry.reason ? `: ${entry.reason}` : ''}`;
  return `posted-invoice:${number} (waits for the invoice it credits to be posted in BC; the invoice is ${why})`;
}

/**
 * A draft memo BC refused to post: when it applies to an invoice that closed since the look-up (paid in full in
 * the meantime, so BC finds no open entry, GenJnlPostLine.Codeunit.al:4912-4917), its application is cleared so
 * that it posts unapplied. Returns the audit note, or undefined when the refusal has another cause.
 * `beforeWrite` renews the record's claim.
 */
export async function releaseClosedApplication(
  memoId: string,
  deps: Pick<SyncDeps, 'bc'>,
  beforeWrite: () => Promise<void>,
): Promise<string | undefined> {
  const memo = await deps.bc.getPurchaseCreditMemo(memoId);
  const appliedTo = memo?.invoiceId;
  if (memo?.status !== 'Draft' || appliedTo === undefined || /^0{8}-(0{4}-){3}0{12}$/.test(appliedTo)) {
    return undefined;
  }
  const invoice = await deps.bc.getPurchaseInvoice(appliedTo);
  if (invoice?.status === 'Open') return undefined;
  await beforeWrite();
  await deps.bc.unapplyPurchaseCreditMemo(memo.id, memo['@odata.etag'] ?? '*');
  const number = invoice?.number ?? memo.invoiceNumber ?? appliedTo;
  const status =
    invoice === undefined ? 'no longer in BC' : invoice.status === 'Paid' ? 'paid in full' : invoice.status;
  return `BC invoice ${number} was ${status} before the memo posted; posting it unapplied`;
}
