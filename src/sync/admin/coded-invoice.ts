/**
 * A purchase invoice record as the connector codes it: the BC lines (account or item, tax code, dimensions)
 * built from the Cin7 invoice with today's mappings, with BC's total for the document it wrote against Cin7's.
 * Reads one Cin7 purchase and, when the record has a BC document, that document; writes nothing.
 */
import type { BcPurchaseInvoiceCreate } from '../../bc/schemas.js';
import type { SyncDeps } from '../deps.js';
import type { LedgerEntry } from '../../core/ports/stores.js';
import { MappingIndex } from '../../mapping/reference-data.js';
import { toBcPurchaseInvoice } from '../../mapping/to-bc-purchase-invoice.js';
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
  if (entry.recordType !== 'purchase-invoice')
    return { ok: false, problem: 'not-applicable', message: `${entry.recordType} records have no coded invoice` };
  const [purchaseId = '', taskId = ''] = entry.recordId.split('/');
  const purchase = await deps.cin7.getPurchase(purchaseId);
  const invoice = purchase?.Invoice.find((i) => purchaseInvoiceRecordId(purchase.ID, i.TaskID) === entry.recordId);
  if (!purchase || !invoice)
    return {
      ok: false,
      problem: 'not-found',
      message: `Cin7 no longer returns invoice ${taskId} of purchase ${purchaseId}`,
    };
  const reference = await deps.reference.get();
  const mappings = new MappingIndex((await deps.stores.mappings.list()).filter((m) => !isClaim(m)));
  const translated = toBcPurchaseInvoice({
    purchase,
    invoice,
    vendorNumber: entry.vendorNumber,
    reference,
    mappings,
    productUnits: await readProductUnits(invoice, deps.settings.lineMode, reference, mappings, deps),
    options: {
      lineMode: deps.settings.lineMode,
      vendorInvoiceNumberFallback: deps.settings.vendorInvoiceNumberFallback,
      invoiceNumberOrigin: deps.settings.invoiceNumberOrigin,
      postingDatePolicy: deps.settings.postingDatePolicy,
      taxModel: deps.settings.taxModel,
      today: new Date(deps.clock.now()).toISOString().slice(0, 10),
    },
  });
  const document = entry.targetId !== undefined ? await deps.bc.getPurchaseInvoice(entry.targetId) : undefined;
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
      ...(document
        ? {
            bc: {
              number: document.number,
              status: document.status,
              ...(typeof document.totalAmountExcludingTax === 'number'
                ? { totalExcludingTax: document.totalAmountExcludingTax }
                : {}),
              ...(typeof document.totalTaxAmount === 'number' ? { totalTax: document.totalTaxAmount } : {}),
              ...(typeof document.totalAmountIncludingTax === 'number'
                ? { total: document.totalAmountIncludingTax }
                : {}),
            },
          }
        : {}),
    },
  };
}
