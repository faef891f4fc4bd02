/**
 * The two purchase documents one state table and one executor post: invoices and credit memos. What differs is
 * here: the ledger record type, the Cin7 rules (eligibility, fingerprint) and the BC calls. A BC credit memo is
 * read into the invoice's shape (its supplier number in `vendorInvoiceNumber`, its lines in
 * `purchaseInvoiceLines`), so the state table, the dimension check and the reasons serve both unchanged.
 */
import type {
  BcPurchaseCreditMemo,
  BcPurchaseCreditMemoWithLines,
  BcPurchaseInvoice,
  BcPurchaseInvoiceCreate,
  BcPurchaseInvoiceWithLines,
} from '../../bc/schemas.js';
import type { Cin7Purchase, Cin7PurchaseInvoice } from '../../cin7/schemas.js';
import type { PurchaseDocumentKind } from '../../core/ports/bc.js';
import type { DocumentKey, RecordType } from '../../core/ports/stores.js';
import type { Approach } from '../../core/settings.js';
import { creditNoteEligibility, invoiceEligibility, type Eligibility } from '../../mapping/eligibility.js';
import { toBcPurchaseCreditMemo } from '../../mapping/to-bc-purchase-credit-memo.js';
import type { TranslateOptions } from '../../mapping/to-bc-purchase-invoice.js';
import type { SyncDeps } from '../deps.js';

type Bc = Pick<SyncDeps, 'bc'>;

export interface DocumentKind {
  name: PurchaseDocumentKind;
  recordType: Extract<RecordType, 'purchase-invoice' | 'purchase-credit-note'>;
  /** The Cin7 document in operator texts. */
  noun: 'invoice' | 'credit note';
  eligibility(purchase: Cin7Purchase, document: Cin7PurchaseInvoice, approaches: readonly Approach[]): Eligibility;
  /** Drafts and posted documents BC holds under one vendor + supplier number. */
  find(key: DocumentKey, deps: Bc): Promise<BcPurchaseInvoice[]>;
  /**
   * `find`, plus the posted invoice a credit memo would apply to, read in the same BC request (credit memos only:
   * an invoice applies to nothing).
   */
  findWithCredited?(
    key: DocumentKey,
    invoiceId: string,
    deps: Bc,
  ): Promise<{ documents: BcPurchaseInvoice[]; credited: BcPurchaseInvoice | undefined }>;
  get(id: string, deps: Bc): Promise<BcPurchaseInvoiceWithLines | undefined>;
  /** The deep insert; `applyTo` is the posted BC invoice a credit memo applies to. Never retried. */
  create(body: BcPurchaseInvoiceCreate, applyTo: string | undefined, deps: Bc): Promise<BcPurchaseInvoice>;
  remove(id: string, etag: string, deps: Bc): Promise<void>;
  postAndRead(id: string, deps: Bc): Promise<BcPurchaseInvoice>;
}

export const invoiceKind: DocumentKind = {
  name: 'invoice',
  recordType: 'purchase-invoice',
  noun: 'invoice',
  eligibility: invoiceEligibility,
  find: (key, deps) => deps.bc.findPurchaseInvoices(key),
  get: (id, deps) => deps.bc.getPurchaseInvoice(id),
  create: (body, _applyTo, deps) => deps.bc.createPurchaseInvoice(body),
  remove: (id, etag, deps) => deps.bc.deletePurchaseInvoice(id, etag),
  postAndRead: (id, deps) => deps.bc.postPurchaseInvoiceAndRead(id),
};

export const creditMemoKind: DocumentKind = {
  name: 'credit-memo',
  recordType: 'purchase-credit-note',
  noun: 'credit note',
  // The credit note arrives here as an invoice-shaped document (`creditNoteAsInvoice`), its status unchanged.
  eligibility: creditNoteEligibility,
  find: async (key, deps) =>
    (
      await deps.bc.findPurchaseCreditMemos({
        vendorNumber: key.vendorNumber,
        vendorCreditMemoNumber: key.vendorInvoiceNumber,
      })
    ).map(asDocument),
  findWithCredited: async (key, invoiceId, deps) => {
    const filter = { vendorNumber: key.vendorNumber, vendorCreditMemoNumber: key.vendorInvoiceNumber };
    const { memos, invoice } = await deps.bc.findPurchaseCreditMemosAndReadInvoice(filter, invoiceId);
    return { documents: memos.map(asDocument), credited: invoice };
  },
  get: async (id, deps) => {
    const memo = await deps.bc.getPurchaseCreditMemo(id);
    return memo === undefined ? undefined : withLines(memo);
  },
  create: async (body, applyTo, deps) =>
    asDocument(await deps.bc.createPurchaseCreditMemo(toBcPurchaseCreditMemo(body, applyTo))),
  remove: (id, etag, deps) => deps.bc.deletePurchaseCreditMemo(id, etag),
  postAndRead: async (id, deps) => asDocument(await deps.bc.postPurchaseCreditMemoAndRead(id)),
};

/** The memo in the invoice's shape (see the file comment). */
function asDocument(memo: BcPurchaseCreditMemo): BcPurchaseInvoice {
  return { ...memo, invoiceDate: memo.creditMemoDate, vendorInvoiceNumber: memo.vendorCreditMemoNumber };
}

function withLines(memo: BcPurchaseCreditMemoWithLines): BcPurchaseInvoiceWithLines {
  const { purchaseCreditMemoLines, ...header } = memo;
  return { ...asDocument(header), purchaseInvoiceLines: purchaseCreditMemoLines };
}

/** The translation options a kind's documents are built with, by the purchase flow, the dry run and the console. */
export function translateOptionsFor(
  kind: DocumentKind,
  settings: SyncDeps['settings'],
  today: string,
): TranslateOptions {
  const invoice = kind.name === 'invoice';
  return {
    lineMode: settings.lineMode,
    // A credit memo is keyed by the credit note's own number: a blank one is a gap, never the order number.
    vendorInvoiceNumberFallback: invoice ? settings.vendorInvoiceNumberFallback : 'none',
    invoiceNumberOrigin: settings.invoiceNumberOrigin,
    postingDatePolicy: settings.postingDatePolicy,
    taxModel: settings.taxModel,
    today,
    // The credit memo page takes no `pricesIncludeTax` (APIV2PurchaseCreditMemos.Page.al:403-406).
    pricesIncludeTaxWritable: invoice,
  };
}
