/**
 * The Business Central API v2.0 as the use cases see it. `src/bc/client.ts` implements it; every method
 * returns parsed, typed data or throws one of the errors in `core/errors.ts`.
 */
import type {
  BcAccount,
  BcCodeEntity,
  BcCompany,
  BcDefaultDimension,
  BcDimension,
  BcDimensionSetLine,
  BcDimensionValue,
  BcItem,
  BcPurchaseCreditMemo,
  BcPurchaseCreditMemoCreate,
  BcPurchaseCreditMemoWithLines,
  BcPurchaseInvoice,
  BcPurchaseInvoiceCreate,
  BcPurchaseInvoiceWithLines,
  BcSubscription,
  BcVendor,
  BcVendorInput,
} from '../../bc/schemas.js';

/** The two purchase documents the connector posts: `purchaseInvoices` and `purchaseCreditMemos`. */
export type PurchaseDocumentKind = 'invoice' | 'credit-memo';

/** Every call is scoped to the configured tenant, environment and company. */
export interface BcPort {
  listCompanies(): Promise<BcCompany[]>;
  /** The configured company's `companyInformation`: its local currency (LCY) code above all. */
  getCompanyInformation(): Promise<{ displayName?: string | undefined; currencyCode: string }>;
  listVendors(options?: { modifiedSince?: Date }): AsyncIterable<BcVendor>;
  getVendor(id: string): Promise<BcVendor | undefined>;
  /** Vendors whose field equals the value exactly (quotes escaped). */
  findVendors(filter: { number?: string; displayName?: string }): Promise<BcVendor[]>;
  /** Never retried blindly: the caller looks up before trying again. */
  createVendor(input: BcVendorInput): Promise<BcVendor>;
  /**
   * PATCH with `If-Match: etag`. A stale ETag (BC's 409) throws a `TransientError` with status 409: a later
   * attempt reads the vendor again. Never `ConflictError`, which means our own store lost an ETag race.
   */
  updateVendor(id: string, etag: string, patch: BcVendorInput): Promise<BcVendor>;
  listItems(options?: { modifiedSince?: Date }): AsyncIterable<BcItem>;
  getItem(id: string): Promise<BcItem | undefined>;
  listAccounts(): AsyncIterable<BcAccount>;
  listDimensions(): AsyncIterable<BcDimension>;
  listDimensionValues(): AsyncIterable<BcDimensionValue>;
  listPaymentTerms(): AsyncIterable<BcCodeEntity>;
  listCurrencies(): AsyncIterable<BcCodeEntity>;
  listTaxGroups(): AsyncIterable<BcCodeEntity>;
  listUnitsOfMeasure(): AsyncIterable<BcCodeEntity>;
  /** BC's Country/Region table: the only codes a vendor's `country` may hold (`code` plus its `displayName`). */
  listCountriesRegions(): AsyncIterable<BcCodeEntity>;
  /** Every default dimension of the company (vendors', items', and blank-parent rows such as G/L accounts'). */
  listDefaultDimensions(): AsyncIterable<BcDefaultDimension>;
  /**
   * Adds a dimension to a draft's line. Not repeated on a 5xx or a lost answer (a repeat of one that landed
   * fails "already exists"): the caller reads the draft again instead.
   */
  createLineDimension(
    invoiceId: string,
    lineId: string,
    dimension: { code: string; valueCode: string },
    kind?: PurchaseDocumentKind,
  ): Promise<BcDimensionSetLine>;
  /** Changes the value of a dimension already on a draft's line (PATCH with If-Match; repeatable). */
  updateLineDimension(
    invoiceId: string,
    lineId: string,
    dimension: { id: string; valueCode: string; etag: string },
    kind?: PurchaseDocumentKind,
  ): Promise<BcDimensionSetLine>;
  /** Drafts and posted invoices with this vendor invoice number whose buy-from or pay-to vendor is this one. */
  findPurchaseInvoices(filter: { vendorNumber: string; vendorInvoiceNumber: string }): Promise<BcPurchaseInvoice[]>;
  getPurchaseInvoice(id: string): Promise<BcPurchaseInvoiceWithLines | undefined>;
  /** Deep insert of header, lines and line dimensions. Never retried: the outcome may be uncertain. */
  createPurchaseInvoice(body: BcPurchaseInvoiceCreate): Promise<BcPurchaseInvoice>;
  /**
   * Deletes a draft (ETag-guarded: a draft changed since it was read is not deleted). Succeeds when the
   * draft is already gone. Only ever called for drafts this connector created for the same record.
   */
  deletePurchaseInvoice(id: string, etag: string): Promise<void>;
  /**
   * Posts a draft and reads the posted invoice back in ONE HTTP request (a JSON `$batch` of the
   * `Microsoft.NAV.post` action followed by a GET of the invoice), saving the separate read after a post.
   * If the post operation fails, throws that operation's classified error (`ValidationError` for BC's
   * refusal, `ThrottledError`, `TransientError`, …), as a plain `Microsoft.NAV.post` would. Never retried
   * blindly: a 5xx, a timeout or a lost answer may mean the invoice posted, so the caller reads it before
   * trying again. Returns the invoice as BC has it after posting (new `number`, `status` no longer `Draft`).
   */
  postPurchaseInvoiceAndRead(id: string): Promise<BcPurchaseInvoice>;
  /** Credit memos with this Vendor Cr. Memo No. whose buy-from or pay-to vendor is this one. */
  findPurchaseCreditMemos(filter: {
    vendorNumber: string;
    vendorCreditMemoNumber: string;
  }): Promise<BcPurchaseCreditMemo[]>;
  /**
   * `findPurchaseCreditMemos` and the posted invoice `invoiceId` (header only; undefined when BC has none) in one
   * request: what a memo's look-up before its create needs to decide its application.
   */
  findPurchaseCreditMemosAndReadInvoice(
    filter: { vendorNumber: string; vendorCreditMemoNumber: string },
    invoiceId: string,
  ): Promise<{ memos: BcPurchaseCreditMemo[]; invoice: BcPurchaseInvoice | undefined }>;
  /**
   * Clears a draft memo's application (`invoiceId`), so it posts unapplied. PATCH with If-Match, as
   * `updateVendor`: a stale ETag is a `TransientError` with status 409 or 412.
   */
  unapplyPurchaseCreditMemo(id: string, etag: string): Promise<BcPurchaseCreditMemo>;
  getPurchaseCreditMemo(id: string): Promise<BcPurchaseCreditMemoWithLines | undefined>;
  /** Deep insert, as `createPurchaseInvoice`: never retried. */
  createPurchaseCreditMemo(body: BcPurchaseCreditMemoCreate): Promise<BcPurchaseCreditMemo>;
  /** As `deletePurchaseInvoice`, for a draft credit memo. */
  deletePurchaseCreditMemo(id: string, etag: string): Promise<void>;
  /** As `postPurchaseInvoiceAndRead`: posting applies the memo to the invoice its `invoiceId` names. */
  postPurchaseCreditMemoAndRead(id: string): Promise<BcPurchaseCreditMemo>;
  listSubscriptions(): Promise<BcSubscription[]>;
  createSubscription(input: {
    notificationUrl: string;
    resource: string;
    clientState: string;
  }): Promise<BcSubscription>;
  /** PATCH with If-Match and the subscription's own fields, as BC's documentation sends; BC re-runs the handshake. */
  renewSubscription(
    subscription: { subscriptionId: string; notificationUrl: string; resource: string; clientState: string },
    etag: string,
  ): Promise<BcSubscription>;
  deleteSubscription(subscriptionId: string, etag: string): Promise<void>;
}
