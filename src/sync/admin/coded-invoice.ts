/**
 * A purchase invoice (or credit note) record as the connector codes it: the BC lines (account or item, tax code,
 * dimensions) built from the Cin7 invoice with today's mappings, with BC's total for the document it wrote against
 * Cin7's.
 * Reads one Cin7 purchase and, when the record has a BC document, that document; writes nothing.
 */
import type { BcPurchaseInvoice, BcPurchaseInvoiceCreate } from '../../bc/schemas.js';
import type { SyncDeps } from '../deps.js';
import type { LedgerEntry } from '../../core/ports/stores.js';
import { MappingIndex } from '../../mapping/reference-data.js';
import { toBcPurchaseInvoice } from '../../mapping/to-bc-purchase-invoice.js';
import { creditNoteAsInvoice } from '../../mapping/to-bc-purchase-credit-memo.js';
import type { Cin7Purchase, Cin7PurchaseInvoice } from '../../cin7/schemas.js';
import { creditMemoKind, invoiceKind, translateOptionsFor, type DocumentKind } from '../purchase/document-kinds.js';
import { readProductUnits } from '../purchase/product-units.js';
import { purchaseInvoiceRecordId } from '../purchase/sync-purchase.js';
import { isClaim } from './mappings.js';

export interface CodedInvoice {
  purchaseId: string;
  orderNumber: string;
  invoiceNumber?: string;
  supplier: string;
  /** The lines as built now; absent when a gap stops the translation (`missing` lists every one). */
  invoice?: BcPurchaseInvoiceCreate;
  missing?: string[];
  cin7: { totalBeforeTax?: number; tax?: number; total: number; currency?: string };
  /** The document in BC the record points at, with BC's own totals. */
  bc?: { number: string; status: string; totalExcludingTax?: number; totalTax?: number; total?: number };
}

export type CodedInvoiceOutcome =
  { ok: true; coded: CodedInvoice } | { ok: false; problem: 'not-applicable' | 'not-found'; message: string };

export async function buildCodedInvoice(
  deps: Pick<SyncDeps, 'cin7' | 'bc' | 'stores' | 'reference' | 'clock' | 'settings'>,
  entry: LedgerEntry,
): Promise<CodedInvoiceOutcome> {
  const kind = kindOf(entry);
  if (kind === undefined)
    return { ok: false, problem: 'not-applicable', message: `${entry.recordType} records have no coded invoice` };
  const [purchaseId = '', taskId = ''] = entry.recordId.split('/');
  const purchase = await deps.cin7.getPurchase(purchaseId);
  const invoice = purchase === undefined ? undefined : cin7Document(purchase, entry.recordId);
  if (!purchase || !invoice)
    return {
      ok: false,
      problem: 'not-found',
      message: `Cin7 no longer returns ${kind.noun} ${taskId} of purchase ${purchaseId}`,
    };
  const translated = await codeNow(deps, kind, entry, purchase, invoice);
  const document = entry.targetId !== undefined ? await kind.get(entry.targetId, deps) : undefined;
  const currency = purchase.SupplierCurrency ?? purchase.BaseCurrency;
  return {
    ok: true,
    coded: {
      purchaseId: purchase.ID,
      orderNumber: purchase.OrderNumber,
      ...(invoice.InvoiceNumber !== undefined ? { invoiceNumber: invoice.InvoiceNumber } : {}),
      supplier: purchase.Supplier,
      ...(translated.ok ? { invoice: translated.body } : { missing: translated.missing }),
      cin7: {
        ...(invoice.TotalBeforeTax !== undefined ? { totalBeforeTax: invoice.TotalBeforeTax } : {}),
        ...(invoice.Tax !== undefined ? { tax: invoice.Tax } : {}),
        total: invoice.Total,
        ...(currency !== undefined ? { currency } : {}),
      },
      ...(document ? { bc: bcTotals(document) } : {}),
    },
  };
}

/** The document translated with today's mappings and settings, as the purchase flow would build it. */
async function codeNow(
  deps: Pick<SyncDeps, 'cin7' | 'stores' | 'reference' | 'clock' | 'settings'>,
  kind: DocumentKind,
  entry: LedgerEntry,
  purchase: Cin7Purchase,
  invoice: Cin7PurchaseInvoice,
): Promise<ReturnType<typeof toBcPurchaseInvoice>> {
  const reference = await deps.reference.get();
  const mappingRows = (await deps.stores.mappings.list()).filter((m) => !isClaim(m));
  const mappings = new MappingIndex(mappingRows);
  // A record parked before its vendor was settled (a credit note waiting for its invoice) codes to the vendor
  // its supplier maps to now.
  const supplierId = purchase.SupplierID.toLowerCase();
  const vendorNumber =
    entry.vendorNumber ??
    mappingRows.find((m) => m.kind === 'supplier' && m.source.toLowerCase() === supplierId)?.target;
  return toBcPurchaseInvoice({
    purchase,
    invoice,
    vendorNumber,
    reference,
    mappings,
    productUnits: await readProductUnits(invoice, deps.settings.lineMode, reference, mappings, deps),
    options: translateOptionsFor(kind, deps.settings, new Date(deps.clock.now()).toISOString().slice(0, 10)),
  });
}

function bcTotals(document: BcPurchaseInvoice): NonNullable<CodedInvoice['bc']> {
  return {
    number: document.number,
    status: document.status,
    ...(typeof document.totalAmountExcludingTax === 'number'
      ? { totalExcludingTax: document.totalAmountExcludingTax }
      : {}),
    ...(typeof document.totalTaxAmount === 'number' ? { totalTax: document.totalTaxAmount } : {}),
    ...(typeof document.totalAmountIncludingTax === 'number' ? { total: document.totalAmountIncludingTax } : {}),
  };
}

function kindOf(entry: LedgerEntry): DocumentKind | undefined {
  if (entry.recordType === 'purchase-invoice') return invoiceKind;
  if (entry.recordType === 'purchase-credit-note') return creditMemoKind;
  return undefined;
}

/** The Cin7 invoice, or credit note in the invoice's shape (coded the same way), a record id names. */
function cin7Document(purchase: Cin7Purchase, recordId: string): Cin7PurchaseInvoice | undefined {
  const named = (taskId: string) => purchaseInvoiceRecordId(purchase.ID, taskId) === recordId;
  const invoice = purchase.Invoice.find((i) => named(i.TaskID));
  if (invoice) return invoice;
  const note = purchase.CreditNote.find((n) => named(n.TaskID));
  return note === undefined ? undefined : creditNoteAsInvoice(note);
}
