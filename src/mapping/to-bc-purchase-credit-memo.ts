/**
 * A Cin7 purchase credit note is coded exactly as an invoice (the same line model, DESIGN §1): it is read as an
 * invoice-shaped document, translated by `toBcPurchaseInvoice`, and its body is then put on BC's credit memo page
 * (APIV2PurchaseCreditMemos.Page.al), which names three fields differently and does not take `pricesIncludeTax`.
 */
import type { BcPurchaseCreditMemoCreate, BcPurchaseInvoiceCreate } from '../bc/schemas.js';
import type { Cin7PurchaseCreditNote, Cin7PurchaseInvoice } from '../cin7/schemas.js';

/**
 * The credit note as the invoice translation reads it: its number and date in the invoice's fields. `Refunds`
 * and `Unstock` are left out: money paid back and stock movements are not posted by the connector (README).
 */
export function creditNoteAsInvoice(note: Cin7PurchaseCreditNote): Cin7PurchaseInvoice {
  return {
    TaskID: note.TaskID,
    InvoiceNumber: note.CreditNoteNumber,
    InvoiceDate: note.CreditNoteDate,
    InvoiceDueDate: undefined,
    Status: note.Status,
    Lines: note.Lines,
    AdditionalCharges: note.AdditionalCharges,
    TotalBeforeTax: note.TotalBeforeTax,
    Tax: note.Tax,
    Total: note.Total,
    Paid: undefined,
  };
}

/**
 * The credit memo deep insert from the translated body. The translation was asked for tax-exclusive unit costs
 * (`pricesIncludeTaxWritable: false`), so BC's total matches Cin7's although the page keeps Prices Including VAT
 * at the vendor's default. `invoiceId` is the posted BC invoice the memo applies to, when there is one.
 */
export function toBcPurchaseCreditMemo(body: BcPurchaseInvoiceCreate, invoiceId?: string): BcPurchaseCreditMemoCreate {
  return {
    vendorNumber: body.vendorNumber,
    vendorCreditMemoNumber: body.vendorInvoiceNumber,
    creditMemoDate: body.invoiceDate,
    ...(body.postingDate !== undefined ? { postingDate: body.postingDate } : {}),
    ...(body.currencyCode !== undefined ? { currencyCode: body.currencyCode } : {}),
    ...(invoiceId !== undefined ? { invoiceId } : {}),
    purchaseCreditMemoLines: body.purchaseInvoiceLines,
  };
}
