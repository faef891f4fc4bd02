import { createHash } from 'node:crypto';
import type { Cin7Purchase, Cin7PurchaseCreditNote, Cin7PurchaseInvoice } from '../cin7/schemas.js';
import { creditNoteAsInvoice } from './to-bc-purchase-credit-memo.js';

/** A short stable hash of a JSON-able value: keys sorted so field order never changes it. */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(stableStringify(value)).digest('base64url').slice(0, 22);
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The fields of a Cin7 invoice that a posted BC invoice was built from. Payment (AUTHORISED → PAID) is not a
 * change to the bill, so PAID counts as AUTHORISED; anything else changing after posting is divergence.
 */
export function fingerprintInvoice(purchase: Cin7Purchase, invoice: Cin7PurchaseInvoice): string {
  const status = invoice.Status.toUpperCase() === 'PAID' ? 'AUTHORISED' : invoice.Status.toUpperCase();
  return fingerprint({
    supplier: purchase.SupplierID.toLowerCase(),
    currency: purchase.SupplierCurrency,
    taxCalculation: purchase.TaxCalculation,
    number: invoice.InvoiceNumber,
    date: invoice.InvoiceDate,
    status,
    total: invoice.Total,
    lines: invoice.Lines.map((l) => [
      l.SKU,
      l.Name,
      l.Quantity,
      l.Price,
      l.Discount,
      l.Tax,
      l.TaxRule,
      l.Account,
      l.Total,
    ]),
    charges: invoice.AdditionalCharges.map((c) => [
      c.Description,
      c.Quantity,
      c.Price,
      c.Discount,
      c.Tax,
      c.TaxRule,
      c.Account,
      c.Total,
    ]),
  });
}

/**
 * A credit note's fields as an invoice's, plus the invoice it credits: crediting another invoice after posting
 * is a change.
 */
export function fingerprintCreditNote(purchase: Cin7Purchase, note: Cin7PurchaseCreditNote): string {
  return fingerprint({
    document: fingerprintInvoice(purchase, creditNoteAsInvoice(note)),
    credits: note.CreditNoteInvoiceNumber?.toUpperCase(),
  });
}
