/**
 * The BC simulator's data: companies and their entities, kept as the JSON BC would return, plus the
 * business rules of reference/bc-api.md (vendor/item validation, purchase invoice deep insert, posting).
 */
import { createHash, randomUUID } from 'node:crypto';
import { str, type Json, type Row } from './odata-query.js';

/** A BC error the simulator answers with `{"error":{"code","message … CorrelationId: …"}}`. */
export class BcSimError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const dialog = (message: string): BcSimError => new BcSimError(400, 'Application_DialogException', message);
const fieldValidation = (message: string): BcSimError =>
  new BcSimError(400, 'Application_FieldValidationException', message);

/**
 * OData names enum members as XML names, so a member whose caption has characters an XML name cannot hold
 * is sent with each one as `_xHHHH_` (a blank option is `_x0020_`, `Non-Inventory` is `Non_x002D_Inventory`).
 * The members themselves: Vendor Blocked enum (Vendor.Table.al:392 field 39 "Blocked"), Item Type
 * (APIV2Items.Page.al:58), API Account Type (APIV2Accounts.Page.al:55), Purch. Inv. Entity Aggregate Status
 * (APIV2PurchaseInvoices.Page.al:508), line API Type (APIV2PurchaseInvoiceLines.Page.al:95), Dimension Set
 * Line Parent Type (APIV2DimensionSetLines.Page.al:83), Tax Group Type (APIV2TaxGroups.Page.al:39).
 */
export function encodeEnumMember(value: string): string {
  return value.replace(/[^A-Za-z0-9_]/g, (ch) => `_x${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`);
}

export function decodeEnumMember(value: string): string {
  return value.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Enum fields per entity set: stored as BC's captions, sent and filtered on as encoded member names. */
export const ENUM_FIELDS: Record<string, readonly string[]> = {
  vendors: ['blocked'],
  items: ['type'],
  accounts: ['accountType'],
  purchaseInvoices: ['status'],
  purchaseInvoiceLines: ['lineType'],
  purchaseCreditMemos: ['status'],
  purchaseCreditMemoLines: ['lineType'],
  dimensionSetLines: ['parentType'],
  taxGroups: ['taxType'],
  defaultDimensions: ['parentType', 'postingValidation'],
};

/** A row as the API sends it: enum fields encoded. */
export function encodeEnums(entitySet: string, row: Row): Row {
  const fields = ENUM_FIELDS[entitySet];
  if (fields === undefined) return row;
  const out: Row = { ...row };
  for (const field of fields) {
    const value = out[field];
    if (typeof value === 'string') out[field] = encodeEnumMember(value);
  }
  return out;
}

/**
 * Fields bound to page variables rather than table fields: BC computes them per record, so the server
 * cannot filter on them. APIV2Vendors.Page.al:129 (`TaxRegistrationNumber`), :171 (`CurrencyCodeTxt`),
 * :200 (`IRS1099VendorCode`); APIV2PurchaseInvoices.Page.al:388 (`CurrencyCodeTxt`).
 */
export const PAGE_VARIABLE_FIELDS: Record<string, ReadonlySet<string>> = {
  vendors: new Set(['taxRegistrationNumber', 'currencyCode', 'irs1099Code']),
  purchaseInvoices: new Set(['currencyCode']),
  // APIV2PurchaseCreditMemos.Page.al:327 (`CurrencyCodeTxt`), :464 (`PurchaseInvoiceId`).
  purchaseCreditMemos: new Set(['currencyCode', 'invoiceId']),
};

export type AccountType = 'Posting' | 'Heading' | 'Total' | 'Begin-Total' | 'End-Total';
export type VendorBlocked = ' ' | 'Payment' | 'All';

/** A G/L account to seed; what is left out takes the defaults `addAccount` gives. */
export interface AddAccountInput {
  number: string;
  displayName: string;
  accountType?: AccountType;
  directPosting?: boolean;
  blocked?: boolean;
  category?: string;
  subCategory?: string;
}

/** A table of entities keyed by id, each with a version that makes its ETag. */
export class EntityTable {
  readonly rows = new Map<string, Row>();
  readonly versions = new Map<string, number>();
  constructor(private readonly nextVersion: () => number) {}

  put(row: Row & { id: string }): Row {
    this.rows.set(row.id, row);
    this.versions.set(row.id, this.nextVersion());
    return row;
  }
  get(id: string): Row | undefined {
    return this.rows.get(id.toLowerCase());
  }
  etag(id: string): string {
    const version = this.versions.get(id) ?? 0;
    return `W/"${Buffer.from(`'${version};${id.slice(0, 8)}'`).toString('base64')}"`;
  }
  all(): Row[] {
    return [...this.rows.values()];
  }
  find(predicate: (row: Row) => boolean): Row | undefined {
    for (const row of this.rows.values()) if (predicate(row)) return row;
    return undefined;
  }
}

/** A dimension and value a record gives new documents (Default Dimension table; APIV2DefaultDimensions.Page.al:38-51). */
export interface DefaultDimension {
  code: string;
  valueCode: string;
}

/**
 * Fields of BC's base tables that the API pages do not expose, kept beside the API row and never sent.
 * Vendor: Gen. Bus. / Vendor / VAT Bus. Posting Group, Tax Area Code, Pay-to Vendor No. (Vendor.Table.al);
 * account and item: VAT Prod. Posting Group; item: Purch. Unit of Measure, Purchasing Blocked and its Item
 * Units of Measure (Item.Table.al); any of them: default dimensions.
 */
export interface TableFields {
  genBusPostingGroup?: string;
  vendorPostingGroup?: string;
  vatBusPostingGroup?: string;
  taxAreaCode?: string;
  payToVendorNumber?: string;
  vatProdPostingGroup?: string;
  purchUnitOfMeasure?: string;
  purchasingBlocked?: boolean;
  /** Item Unit of Measure: unit code → Qty. per Unit of Measure. */
  itemUnitsOfMeasure?: Map<string, number>;
  defaultDimensions?: DefaultDimension[];
}

/**
 * How tax is computed, a company-level choice:
 * - `flat`: the tax group's rate on every line (the simulator's original model, kept as the default);
 * - `W1`: VAT, the rate of VAT Posting Setup (vendor's VAT Bus. × line's VAT Prod. Posting Group);
 * - `NA`: sales tax, only with a Tax Area on the header (from the vendor) and a liable vendor.
 */
export type TaxModel = 'flat' | 'W1' | 'NA';

/** The posting groups a vendor template gives vendors created through the API. */
export interface VendorTemplate {
  genBusPostingGroup: string;
  vendorPostingGroup: string;
  vatBusPostingGroup: string;
}

export interface PostedLedgerEntry {
  vendorNumber: string;
  externalDocumentNumber: string;
  /** The posted document's number (an invoice's or a credit memo's). */
  invoiceNumber: string;
  documentType: 'Invoice' | 'Credit Memo';
  /** The API id of the posted document. */
  documentId: string;
  currencyCode: string;
  /** Amount Including VAT still open: an invoice's is reduced by the credit memos applied to it. */
  remainingAmount: number;
}

export interface CompanyState {
  id: string;
  company: Row;
  companyInformation: Row;
  localCurrency: string;
  /** Purchases & Payables Setup "Ext. Doc. No. Mandatory" (default on, as in a new company). */
  extDocNoMandatory: boolean;
  vendors: EntityTable;
  items: EntityTable;
  accounts: EntityTable;
  dimensions: EntityTable;
  dimensionValues: EntityTable;
  paymentTerms: EntityTable;
  currencies: EntityTable;
  taxGroups: EntityTable;
  unitsOfMeasure: EntityTable;
  countriesRegions: EntityTable;
  purchaseInvoices: EntityTable;
  purchaseInvoiceLines: EntityTable;
  purchaseCreditMemos: EntityTable;
  purchaseCreditMemoLines: EntityTable;
  /** Dimension set lines by parent id (a header or a line). */
  dimensionSetLines: Map<string, Row[]>;
  /** Tax rate (percent) by tax group code. */
  taxRates: Map<string, number>;
  /** Base-table fields the API does not expose, by record id. */
  tableFields: Map<string, TableFields>;
  taxModel: TaxModel;
  /** W1: VAT % by `${VAT bus. posting group}|${VAT prod. posting group}`. */
  vatPostingSetup: Map<string, number>;
  /** NA: tax rate by tax area code, then tax group code. */
  taxAreas: Map<string, Map<string, number>>;
  /**
   * The template a Config. Tmpl. Selection Rule gives vendors inserted through the API
   * (GraphMgtGeneralTools.Codeunit.al:116-128, called from APIV2Vendors.Page.al:341); none → no posting groups.
   */
  vendorTemplate: VendorTemplate | undefined;
  /** User/G/L Setup "Allow Posting From/To" (blank: no limit). */
  allowedPostingDates: { from?: string; to?: string };
  /** An enabled purchase invoice approval workflow keeps an unapproved draft from posting. */
  purchaseApprovalWorkflow: boolean;
  /** Currencies with no Currency Exchange Rate row. */
  currenciesWithoutRate: Set<string>;
  /**
   * What the deep-insert answer carries. The header's totals are written by the line inserts
   * (PurchInvAggregator.Codeunit.al:105, :753) after the header's own OnInsertRecord ran
   * (APIV2PurchaseInvoices.Page.al:557); whether the platform re-reads the header before answering is not in
   * the source. `with-lines` answers the totals; `header-only` answers them as zero (a GET shows them).
   */
  deepInsertAnswer: 'with-lines' | 'header-only';
  /** VAT Registration No. Format rows by country (`#` digit, `@` letter, `?` any). */
  vatRegistrationFormats: Map<string, string[]>;
  /** Vendor ledger: what the duplicate external document number check looks at. */
  postedLedger: PostedLedgerEntry[];
  series: {
    vendor: number;
    item: number;
    draftInvoice: number;
    postedInvoice: number;
    draftCreditMemo: number;
    postedCreditMemo: number;
  };
}

export type ChangeListener = (
  companyId: string,
  entitySet: string,
  id: string,
  changeType: 'created' | 'updated' | 'deleted',
) => void;

export interface StateOptions {
  now: () => number;
  onChange: ChangeListener;
}

/** Field rules for writes: type, BC length, Code (upper-cased) or Text. */
type FieldRule =
  | { type: 'text'; max: number }
  | { type: 'code'; max: number }
  | { type: 'boolean' }
  | { type: 'number' }
  | { type: 'enum'; values: readonly string[]; enumName: string }
  | { type: 'guid' };

const VENDOR_FIELDS: Record<string, FieldRule> = {
  number: { type: 'code', max: 20 },
  displayName: { type: 'text', max: 100 },
  addressLine1: { type: 'text', max: 100 },
  addressLine2: { type: 'text', max: 50 },
  city: { type: 'text', max: 30 },
  state: { type: 'text', max: 30 },
  country: { type: 'code', max: 10 },
  postalCode: { type: 'code', max: 20 },
  phoneNumber: { type: 'text', max: 30 },
  email: { type: 'text', max: 80 },
  website: { type: 'text', max: 255 },
  taxRegistrationNumber: { type: 'text', max: 20 },
  currencyId: { type: 'guid' },
  currencyCode: { type: 'code', max: 10 },
  irs1099Code: { type: 'code', max: 10 },
  paymentTermsId: { type: 'guid' },
  paymentMethodId: { type: 'guid' },
  taxLiable: { type: 'boolean' },
  blocked: { type: 'enum', values: [' ', 'Payment', 'All'], enumName: 'vendorBlocked' },
};
const VENDOR_READ_ONLY = ['id', 'balance', 'lastModifiedDateTime'];

const ITEM_FIELDS: Record<string, FieldRule> = {
  number: { type: 'code', max: 20 },
  displayName: { type: 'text', max: 100 },
  displayName2: { type: 'text', max: 50 },
  type: { type: 'enum', values: ['Inventory', 'Service', 'Non-Inventory'], enumName: 'itemType' },
  itemCategoryId: { type: 'guid' },
  itemCategoryCode: { type: 'code', max: 20 },
  blocked: { type: 'boolean' },
  gtin: { type: 'code', max: 14 },
  unitPrice: { type: 'number' },
  priceIncludesTax: { type: 'boolean' },
  unitCost: { type: 'number' },
  taxGroupId: { type: 'guid' },
  taxGroupCode: { type: 'code', max: 20 },
  baseUnitOfMeasureId: { type: 'guid' },
  baseUnitOfMeasureCode: { type: 'code', max: 10 },
  generalProductPostingGroupCode: { type: 'code', max: 20 },
  inventoryPostingGroupCode: { type: 'code', max: 20 },
};
const ITEM_READ_ONLY = ['id', 'inventory', 'lastModifiedDateTime'];

const HEADER_FIELDS: Record<string, FieldRule> = {
  postingDate: { type: 'text', max: 10 },
  invoiceDate: { type: 'text', max: 10 },
  dueDate: { type: 'text', max: 10 },
  vendorInvoiceNumber: { type: 'code', max: 35 },
  vendorId: { type: 'guid' },
  vendorNumber: { type: 'code', max: 20 },
  payToVendorId: { type: 'guid' },
  payToVendorNumber: { type: 'code', max: 20 },
  shipToName: { type: 'text', max: 100 },
  shipToContact: { type: 'text', max: 100 },
  buyFromAddressLine1: { type: 'text', max: 100 },
  buyFromAddressLine2: { type: 'text', max: 50 },
  buyFromCity: { type: 'text', max: 30 },
  buyFromState: { type: 'text', max: 30 },
  buyFromCountry: { type: 'code', max: 10 },
  buyFromPostCode: { type: 'code', max: 20 },
  shortcutDimension1Code: { type: 'code', max: 20 },
  shortcutDimension2Code: { type: 'code', max: 20 },
  currencyId: { type: 'guid' },
  currencyCode: { type: 'code', max: 10 },
  purchaser: { type: 'code', max: 20 },
  pricesIncludeTax: { type: 'boolean' },
  discountAmount: { type: 'number' },
};
const LINE_FIELDS: Record<string, FieldRule> = {
  documentId: { type: 'guid' },
  sequence: { type: 'number' },
  itemId: { type: 'guid' },
  accountId: { type: 'guid' },
  lineType: {
    type: 'enum',
    values: ['Comment', 'Account', 'Item', 'Resource', 'Fixed Asset', 'Charge', 'Allocation Account'],
    enumName: 'invoiceLineAggLineType',
  },
  lineObjectNumber: { type: 'code', max: 20 },
  description: { type: 'text', max: 100 },
  description2: { type: 'text', max: 50 },
  unitOfMeasureId: { type: 'guid' },
  unitOfMeasureCode: { type: 'code', max: 10 },
  unitCost: { type: 'number' },
  quantity: { type: 'number' },
  discountAmount: { type: 'number' },
  discountPercent: { type: 'number' },
  taxCode: { type: 'code', max: 50 },
  expectedReceiptDate: { type: 'text', max: 10 },
  itemVariantId: { type: 'guid' },
  locationId: { type: 'guid' },
};

/**
 * The credit memo header (APIV2PurchaseCreditMemos.Page.al): the invoice header's fields with `creditMemoDate`
 * (:59) for `invoiceDate`, `vendorCreditMemoNumber` (:134, Vendor Cr. Memo No., Code[35]) for
 * `vendorInvoiceNumber`, `invoiceId` (:464) and `invoiceNumber` (:492, Applies-to Doc. No., Code[20]); and
 * `pricesIncludeTax` is Editable = false (:403-406).
 */
const CREDIT_MEMO_HEADER_FIELDS: Record<string, FieldRule> = {
  ...withoutFields(HEADER_FIELDS, ['invoiceDate', 'vendorInvoiceNumber', 'pricesIncludeTax']),
  creditMemoDate: { type: 'text', max: 10 },
  vendorCreditMemoNumber: { type: 'code', max: 35 },
  invoiceId: { type: 'guid' },
  invoiceNumber: { type: 'code', max: 20 },
};
/** APIV2PurchCrMemoLines.Page.al:30-275: the invoice line's fields without `description2` and `expectedReceiptDate`. */
const CREDIT_MEMO_LINE_FIELDS = withoutFields(LINE_FIELDS, ['description2', 'expectedReceiptDate']);

/**
 * The fields the credit memo page shows (APIV2PurchaseCreditMemos.Page.al:39-510), `invoiceId` (:464) aside: it is
 * a page variable computed on read. A memo row holds exactly these; the invoice row's ship-to and order fields
 * are not on this page.
 */
const CREDIT_MEMO_ROW_FIELDS = [
  'id',
  'number',
  'creditMemoDate',
  'postingDate',
  'dueDate',
  'vendorId',
  'vendorNumber',
  'vendorName',
  'vendorCreditMemoNumber',
  'payToVendorId',
  'payToVendorNumber',
  'payToName',
  'buyFromAddressLine1',
  'buyFromAddressLine2',
  'buyFromCity',
  'buyFromCountry',
  'buyFromState',
  'buyFromPostCode',
  'payToAddressLine1',
  'payToAddressLine2',
  'payToCity',
  'payToCountry',
  'payToState',
  'payToPostCode',
  'shortcutDimension1Code',
  'shortcutDimension2Code',
  'currencyId',
  'currencyCode',
  'paymentTermsId',
  'shipmentMethodId',
  'purchaser',
  'pricesIncludeTax',
  'discountAmount',
  'discountAppliedBeforeTax',
  'totalAmountExcludingTax',
  'totalTaxAmount',
  'totalAmountIncludingTax',
  'status',
  'lastModifiedDateTime',
  'invoiceNumber',
  'vendorReturnReasonId',
];

/** A draft's row as the page of its kind shows it. */
function pageRow(kind: PurchaseDocKind, row: Row & { id: string }): Row & { id: string } {
  if (kind === INVOICE_KIND) return row;
  const defaults: Row = { paymentTermsId: EMPTY_GUID, shipmentMethodId: EMPTY_GUID, vendorReturnReasonId: EMPTY_GUID };
  return { ...Object.fromEntries(CREDIT_MEMO_ROW_FIELDS.map((f) => [f, row[f] ?? defaults[f] ?? ''])), id: row.id };
}

/** A line's row as the lines page of its kind shows it (credit memo lines have no `description2`, `expectedReceiptDate`). */
function pageLine(kind: PurchaseDocKind, line: Row & { id: string }): Row & { id: string } {
  if (kind === INVOICE_KIND) return line;
  return {
    ...Object.fromEntries(
      Object.entries(line).filter(([key]) => !(key in LINE_FIELDS) || key in CREDIT_MEMO_LINE_FIELDS),
    ),
    id: line.id,
  };
}

function withoutFields(rules: Record<string, FieldRule>, left: readonly string[]): Record<string, FieldRule> {
  return Object.fromEntries(Object.entries(rules).filter(([key]) => !left.includes(key)));
}

/** What differs between the purchase invoice and purchase credit memo pages; the rules are shared. */
export interface PurchaseDocKind {
  entitySet: 'purchaseInvoices' | 'purchaseCreditMemos';
  linesSet: 'purchaseInvoiceLines' | 'purchaseCreditMemoLines';
  entityType: string;
  lineEntityType: string;
  documentType: 'Invoice' | 'Credit Memo';
  /** The supplier's own number: Vendor Invoice No. or Vendor Cr. Memo No. */
  externalField: 'vendorInvoiceNumber' | 'vendorCreditMemoNumber';
  dateField: 'invoiceDate' | 'creditMemoDate';
  headerFields: Record<string, FieldRule>;
  lineFields: Record<string, FieldRule>;
  readOnly: readonly string[];
  headerDimParent: 'Purchase Invoice' | 'Purchase Credit Memo';
  lineDimParent: 'Purchase Invoice Line' | 'Purchase Credit Memo Line';
  draftSeries: 'draftInvoice' | 'draftCreditMemo';
  postedSeries: 'postedInvoice' | 'postedCreditMemo';
}

const DOCUMENT_READ_ONLY = [
  'id',
  'number',
  'status',
  'totalAmountExcludingTax',
  'totalTaxAmount',
  'totalAmountIncludingTax',
  'lastModifiedDateTime',
];

export const INVOICE_KIND: PurchaseDocKind = {
  entitySet: 'purchaseInvoices',
  linesSet: 'purchaseInvoiceLines',
  entityType: 'purchaseInvoice',
  lineEntityType: 'purchaseInvoiceLine',
  documentType: 'Invoice',
  externalField: 'vendorInvoiceNumber',
  dateField: 'invoiceDate',
  headerFields: HEADER_FIELDS,
  lineFields: LINE_FIELDS,
  // status is Editable = false (APIV2PurchaseInvoices.Page.al:508-511).
  readOnly: DOCUMENT_READ_ONLY,
  headerDimParent: 'Purchase Invoice',
  lineDimParent: 'Purchase Invoice Line',
  draftSeries: 'draftInvoice',
  postedSeries: 'postedInvoice',
};

export const CREDIT_MEMO_KIND: PurchaseDocKind = {
  entitySet: 'purchaseCreditMemos',
  linesSet: 'purchaseCreditMemoLines',
  entityType: 'purchaseCreditMemo',
  lineEntityType: 'purchaseCreditMemoLine',
  documentType: 'Credit Memo',
  externalField: 'vendorCreditMemoNumber',
  dateField: 'creditMemoDate',
  headerFields: CREDIT_MEMO_HEADER_FIELDS,
  lineFields: CREDIT_MEMO_LINE_FIELDS,
  // status Editable = false (APIV2PurchaseCreditMemos.Page.al:454-457); pricesIncludeTax too (:403-406).
  readOnly: [...DOCUMENT_READ_ONLY, 'pricesIncludeTax'],
  // Dimension set lines of a credit memo and its lines (APIV2PurchaseCreditMemos.Page.al:534, APIV2PurchCrMemoLines.Page.al:289).
  headerDimParent: 'Purchase Credit Memo',
  lineDimParent: 'Purchase Credit Memo Line',
  draftSeries: 'draftCreditMemo',
  postedSeries: 'postedCreditMemo',
};

/** The kind whose header or line table holds this entity set, if any. */
export function kindOfSet(entitySet: string): PurchaseDocKind | undefined {
  return [INVOICE_KIND, CREDIT_MEMO_KIND].find((k) => k.entitySet === entitySet || k.linesSet === entitySet);
}

/**
 * Writable fields of the small reference pages (each has `id` and `lastModifiedDateTime` read-only):
 * APIV2PaymentTerms.Page.al:31-77, APIV2Currencies.Page.al:31-68, APIV2TaxGroups.Page.al:31-42 (taxType is
 * Editable = false), APIV2UnitsofMeasure.Page.al:31-59.
 */
export const REFERENCE_FIELDS: Record<string, Record<string, FieldRule>> = {
  paymentTerms: {
    code: { type: 'code', max: 10 },
    displayName: { type: 'text', max: 100 },
    dueDateCalculation: { type: 'text', max: 32 },
    discountDateCalculation: { type: 'text', max: 32 },
    discountPercent: { type: 'number' },
    calculateDiscountOnCreditMemos: { type: 'boolean' },
  },
  currencies: {
    code: { type: 'code', max: 10 },
    displayName: { type: 'text', max: 30 },
    symbol: { type: 'text', max: 10 },
    amountDecimalPlaces: { type: 'text', max: 5 },
    amountRoundingPrecision: { type: 'number' },
  },
  taxGroups: { code: { type: 'code', max: 20 }, displayName: { type: 'text', max: 100 } },
  unitsOfMeasure: {
    code: { type: 'code', max: 10 },
    displayName: { type: 'text', max: 50 },
    internationalStandardCode: { type: 'code', max: 10 },
    symbol: { type: 'text', max: 10 },
  },
};
const REFERENCE_READ_ONLY = ['id', 'lastModifiedDateTime', 'taxType'];

/** Code fields per entity set: filters on them are case-insensitive (D-CODE). */
export const CODE_FIELDS: Record<string, ReadonlySet<string>> = {
  vendors: new Set(['number', 'country', 'postalCode', 'currencyCode', 'irs1099Code']),
  items: new Set([
    'number',
    'gtin',
    'itemCategoryCode',
    'taxGroupCode',
    'baseUnitOfMeasureCode',
    'generalProductPostingGroupCode',
    'inventoryPostingGroupCode',
  ]),
  accounts: new Set(['number']),
  dimensions: new Set(['code', 'consolidationCode']),
  dimensionValues: new Set(['code', 'dimensionCode', 'consolidationCode']),
  paymentTerms: new Set(['code']),
  currencies: new Set(['code']),
  taxGroups: new Set(['code']),
  unitsOfMeasure: new Set(['code']),
  countriesRegions: new Set(['code']),
  purchaseInvoices: new Set([
    'number',
    'vendorInvoiceNumber',
    'vendorNumber',
    'payToVendorNumber',
    'currencyCode',
    'orderNumber',
    'purchaser',
    'shortcutDimension1Code',
    'shortcutDimension2Code',
    'buyFromCountry',
    'buyFromPostCode',
  ]),
  purchaseInvoiceLines: new Set(['lineObjectNumber', 'unitOfMeasureCode', 'taxCode']),
  purchaseCreditMemos: new Set([
    'number',
    'vendorCreditMemoNumber',
    'vendorNumber',
    'payToVendorNumber',
    'currencyCode',
    'invoiceNumber',
    'purchaser',
    'shortcutDimension1Code',
    'shortcutDimension2Code',
    'buyFromCountry',
    'buyFromPostCode',
  ]),
  purchaseCreditMemoLines: new Set(['lineObjectNumber', 'unitOfMeasureCode', 'taxCode']),
  dimensionSetLines: new Set(['code', 'valueCode', 'consolidationCode', 'valueConsolidationCode']),
  companies: new Set(),
  companyInformation: new Set(['currencyCode']),
  subscriptions: new Set(),
};

export const ENTITY_TYPE_NAMES: Record<string, string> = {
  vendors: 'vendor',
  items: 'item',
  accounts: 'account',
  dimensions: 'dimension',
  dimensionValues: 'dimensionValue',
  paymentTerms: 'paymentTerm',
  currencies: 'currency',
  taxGroups: 'taxGroup',
  unitsOfMeasure: 'unitOfMeasure',
  countriesRegions: 'countryRegion',
  purchaseInvoices: 'purchaseInvoice',
  purchaseInvoiceLines: 'purchaseInvoiceLine',
  purchaseCreditMemos: 'purchaseCreditMemo',
  purchaseCreditMemoLines: 'purchaseCreditMemoLine',
  dimensionSetLines: 'dimensionSetLine',
  companies: 'company',
  companyInformation: 'companyInformation',
  subscriptions: 'subscription',
};

/** A GUID derived from a text, so a computed row keeps its id across reads. */
function stableGuid(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function round2(value: number): number {
  return Math.round((value + Number.EPSILON) * 100) / 100;
}

function dateOnly(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function pad(n: number, width: number): string {
  return str(n).padStart(width, '0');
}

/** Validates and normalises written fields: types, lengths (BC's texts), Code upper-casing. */
function validateFields(
  body: Record<string, unknown>,
  rules: Record<string, FieldRule>,
  readOnly: readonly string[],
  typeName: string,
  ignore: readonly string[] = [],
): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith('@odata.') || ignore.includes(key)) continue;
    if (readOnly.includes(key)) {
      throw new BcSimError(400, 'BadRequest_InvalidOperation', `Control '${key}' is read-only.`);
    }
    const rule = rules[key];
    if (rule === undefined) {
      throw new BcSimError(
        400,
        'BadRequest',
        `The property '${key}' does not exist on type 'Microsoft.NAV.${typeName}'. Make sure to only use property names that are defined by the type.`,
      );
    }
    if (value === null) {
      out[key] = rule.type === 'number' ? 0 : rule.type === 'boolean' ? false : '';
      continue;
    }
    switch (rule.type) {
      case 'text':
      case 'code': {
        if (typeof value !== 'string') {
          throw new BcSimError(
            400,
            'BadRequest',
            "Cannot convert a primitive value to the expected type 'Edm.String'.",
          );
        }
        const normalised = rule.type === 'code' ? value.trim().toUpperCase() : value;
        if (normalised.length > rule.max) {
          throw new BcSimError(
            400,
            'Application_StringExceededLength',
            `The length of the string is ${normalised.length}, but it must be less than or equal to ${rule.max} characters. Value: ${value}`,
          );
        }
        out[key] = normalised;
        break;
      }
      case 'boolean':
        if (typeof value !== 'boolean') {
          throw new BcSimError(
            400,
            'BadRequest',
            "Cannot convert a primitive value to the expected type 'Edm.Boolean'.",
          );
        }
        out[key] = value;
        break;
      case 'number':
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          throw new BcSimError(
            400,
            'BadRequest',
            "Cannot convert a primitive value to the expected type 'Edm.Decimal'.",
          );
        }
        out[key] = value;
        break;
      case 'enum':
        // The literal is the encoded member name (see encodeEnumMember); a caption like ' ' is refused.
        if (typeof value !== 'string' || !rule.values.map(encodeEnumMember).includes(value)) {
          throw new BcSimError(
            400,
            'BadRequest',
            `Cannot convert the literal '${str(value)}' to the expected type 'Microsoft.NAV.${rule.enumName}'.`,
          );
        }
        out[key] = decodeEnumMember(value);
        break;
      case 'guid':
        if (
          typeof value !== 'string' ||
          !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
        ) {
          throw new BcSimError(400, 'Application_InvalidGUID', `Invalid GUID '${str(value)}'.`);
        }
        out[key] = value.toLowerCase();
        break;
    }
  }
  return out;
}

const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

/** Seed data (not a rule): the Country/Region table of a new company, ISO codes with English names. */
const COUNTRIES: ReadonlyArray<readonly [string, string]> = [
  ['AU', 'Australia'],
  ['BE', 'Belgium'],
  ['CA', 'Canada'],
  ['CN', 'China'],
  ['DE', 'Germany'],
  ['DK', 'Denmark'],
  ['ES', 'Spain'],
  ['FR', 'France'],
  ['GB', 'United Kingdom'],
  ['IE', 'Ireland'],
  ['IT', 'Italy'],
  ['JP', 'Japan'],
  ['MX', 'Mexico'],
  ['NL', 'Netherlands'],
  ['NZ', 'New Zealand'],
  ['US', 'United States'],
];

/** A TestField failure as BC words it: `<Field> must have a value in <Table>: <key>. It cannot be zero or empty.` */
function mustHaveValue(field: string, table: string, key: string): BcSimError {
  return fieldValidation(`${field} must have a value in ${table}: ${key}. It cannot be zero or empty.`);
}

/** The simulator's database plus its business rules. */
export class BcState {
  readonly companies = new Map<string, CompanyState>();
  private version = 0;
  constructor(private readonly options: StateOptions) {}

  private nextVersion = (): number => {
    this.version += 1;
    return this.version;
  };

  nowIso(): string {
    return new Date(this.options.now()).toISOString();
  }

  company(id: string): CompanyState {
    const company = this.companies.get(id.toLowerCase());
    if (company === undefined) {
      throw new BcSimError(
        404,
        'Internal_CompanyNotFound',
        `Cannot open the company '${id}'. The company does not exist.`,
      );
    }
    return company;
  }

  addCompany(input: { id?: string; name: string; displayName?: string; localCurrency?: string }): CompanyState {
    const id = (input.id ?? randomUUID()).toLowerCase();
    const now = this.nowIso();
    const table = (): EntityTable => new EntityTable(this.nextVersion);
    const company: CompanyState = {
      id,
      company: {
        id,
        systemVersion: '27.0.38460.41704',
        timestamp: this.nextVersion(),
        name: input.name,
        displayName: input.displayName ?? input.name,
        businessProfileId: '',
        systemCreatedAt: now,
        systemCreatedBy: EMPTY_GUID,
        systemModifiedAt: now,
        systemModifiedBy: EMPTY_GUID,
      },
      companyInformation: {
        id: randomUUID(),
        displayName: input.displayName ?? input.name,
        addressLine1: '',
        addressLine2: '',
        city: '',
        state: '',
        country: 'US',
        postalCode: '',
        phoneNumber: '',
        faxNumber: '',
        email: '',
        website: '',
        taxRegistrationNumber: '',
        currencyCode: input.localCurrency ?? 'USD',
        currentFiscalYearStartDate: '2026-01-01',
        industry: '',
        picture: null,
        experience: 'Essential',
        lastModifiedDateTime: now,
      },
      localCurrency: input.localCurrency ?? 'USD',
      extDocNoMandatory: true,
      vendors: table(),
      items: table(),
      accounts: table(),
      dimensions: table(),
      dimensionValues: table(),
      paymentTerms: table(),
      currencies: table(),
      taxGroups: table(),
      unitsOfMeasure: table(),
      countriesRegions: table(),
      purchaseInvoices: table(),
      purchaseInvoiceLines: table(),
      purchaseCreditMemos: table(),
      purchaseCreditMemoLines: table(),
      dimensionSetLines: new Map(),
      taxRates: new Map(),
      tableFields: new Map(),
      taxModel: 'flat',
      vatPostingSetup: new Map(),
      taxAreas: new Map(),
      // On by default, like a company whose API setup has a vendor template rule, so the demo's vendors post.
      vendorTemplate: {
        genBusPostingGroup: 'DOMESTIC',
        vendorPostingGroup: 'DOMESTIC',
        vatBusPostingGroup: 'DOMESTIC',
      },
      allowedPostingDates: {},
      purchaseApprovalWorkflow: false,
      currenciesWithoutRate: new Set(),
      deepInsertAnswer: 'with-lines',
      vatRegistrationFormats: new Map(),
      postedLedger: [],
      series: {
        vendor: 10,
        item: 1000,
        draftInvoice: 1001,
        postedInvoice: 108001,
        draftCreditMemo: 1001,
        postedCreditMemo: 109001,
      },
    };
    for (const [code, name] of COUNTRIES) this.addCountry(company, code, name);
    this.companies.set(id, company);
    return company;
  }

  // ------------------------------------------------------------------ reads

  /** The vendor JSON as BC returns it (blank currency reads as the LCY code). */
  vendorJson(company: CompanyState, row: Row): Row {
    return { ...row, currencyCode: row.currencyCode === '' ? company.localCurrency : (row.currencyCode ?? '') };
  }

  invoiceJson(company: CompanyState, row: Row): Row {
    return { ...row, currencyCode: row.currencyCode === '' ? company.localCurrency : (row.currencyCode ?? '') };
  }

  /** A credit memo as its page shows it: `invoiceId` is the posted invoice its Applies-to Doc. No. names (SetInvoiceId, APIV2PurchaseCreditMemos.Page.al:710-722). */
  creditMemoJson(company: CompanyState, row: Row): Row {
    const number = str(row.invoiceNumber ?? '');
    const invoice = number === '' ? undefined : company.purchaseInvoices.find((i) => i.number === number);
    return { ...this.invoiceJson(company, row), invoiceId: invoice === undefined ? EMPTY_GUID : str(invoice.id) };
  }

  // ------------------------------------------------------------------ vendors and items

  private resolveCurrency(company: CompanyState, code: string): { code: string; id: string } {
    if (code === '' || code === company.localCurrency) return { code: '', id: EMPTY_GUID };
    const currency = company.currencies.find((c) => c.code === code);
    if (currency === undefined) throw dialog('The "currencyCode" does not match to a Currency.');
    return { code, id: str(currency.id) };
  }

  createVendor(company: CompanyState, body: Record<string, unknown>): Row {
    const fields = validateFields(body, VENDOR_FIELDS, VENDOR_READ_ONLY, 'vendor');
    const number = insertNumber(company.vendors, 'Vendor', fields.number, () => {
      const next = `V${pad(company.series.vendor, 5)}`;
      company.series.vendor += 10;
      return next;
    });
    const id = randomUUID();
    const row: Row & { id: string } = {
      id,
      number,
      displayName: '',
      addressLine1: '',
      addressLine2: '',
      city: '',
      state: '',
      country: '',
      postalCode: '',
      phoneNumber: '',
      email: '',
      website: '',
      taxRegistrationNumber: '',
      currencyId: EMPTY_GUID,
      currencyCode: '',
      irs1099Code: '',
      paymentTermsId: EMPTY_GUID,
      paymentMethodId: EMPTY_GUID,
      taxLiable: false,
      blocked: ' ',
      balance: 0,
      lastModifiedDateTime: this.nowIso(),
    };
    this.applyVendorFields(company, row, fields);
    row.number = number;
    this.validateVendor(company, row, undefined);
    // The API page inserts, then applies the template a selection rule picks (APIV2Vendors.Page.al:338-343,
    // GraphMgtGeneralTools.Codeunit.al:123-127); Vendor.OnInsert sets no posting group (Vendor.Table.al:1811).
    const template = company.vendorTemplate;
    company.tableFields.set(id, template === undefined ? {} : { ...template });
    company.vendors.put(row);
    this.options.onChange(company.id, 'vendors', id, 'created');
    return row;
  }

  /** The OnValidate rules of the vendor fields the API writes (Vendor.Table.al). */
  private validateVendor(company: CompanyState, row: Row, before: Row | undefined): void {
    const vendorKey = `No.=${str(row.number)}`;
    const country = str(row.country ?? '');
    // TableRelation = "Country/Region" (Vendor.Table.al:374).
    if (country !== '' && !company.countriesRegions.find((c) => c.code === country)) {
      throw new BcSimError(
        400,
        'Internal_InvalidTableRelation',
        `The field Country/Region Code of table Vendor contains a value (${country}) that cannot be found in the related table (Country/Region).`,
      );
    }
    // Phone No.: no letters (Vendor.Table.al:219-221).
    const phone = str(row.phoneNumber ?? '');
    if (before?.phoneNumber !== phone && /\p{L}/u.test(phone)) {
      throw fieldValidation(`Phone No. must not contain letters in Vendor: ${vendorKey}.`);
    }
    // E-Mail: one address with one @ that the email account validates (Vendor.Table.al:929-931,
    // MailManagement.Codeunit.al:181-198).
    const email = str(row.email ?? '');
    if (before?.email !== email && email !== '' && !isValidEmail(email)) {
      throw dialog(`The email address "${email}" is not valid.`);
    }
    // VAT Registration No. against the country's formats (Vendor.Table.al:2594, VATRegistrationNoFormat.Table.al:85-130, :279-305).
    const vat = str(row.taxRegistrationNumber ?? '').toUpperCase();
    const formatCountry = country === '' ? str(company.companyInformation.country ?? '') : country;
    const formats = company.vatRegistrationFormats.get(formatCountry) ?? [];
    const changed =
      before === undefined ||
      before.taxRegistrationNumber !== row.taxRegistrationNumber ||
      before.country !== row.country;
    if (changed && vat !== '' && formats.length > 0 && !formats.some((f) => matchesVatFormat(vat, f))) {
      throw dialog(
        `The entered VAT Registration number for Vendor ${str(row.number)} is not in agreement with the format specified for Country/Region Code ${formatCountry}.\nThe following formats are acceptable: ${formats.join(', ')}`,
      );
    }
  }

  private applyVendorFields(company: CompanyState, row: Row, fields: Row): void {
    for (const [key, value] of Object.entries(fields)) {
      if (key === 'currencyCode' && typeof value === 'string') {
        const currency = this.resolveCurrency(company, value);
        row.currencyCode = currency.code;
        row.currencyId = currency.id;
      } else if (key === 'paymentTermsId' && typeof value === 'string') {
        if (value !== EMPTY_GUID && company.paymentTerms.get(value) === undefined) {
          throw dialog('The "paymentTermsId" does not match to a Payment Term.');
        }
        row.paymentTermsId = value;
      } else {
        row[key] = value;
      }
    }
  }

  updateVendor(company: CompanyState, id: string, body: Record<string, unknown>): Row {
    const row = company.vendors.get(id);
    if (row === undefined) throw notFound('Vendor', id);
    const fields = validateFields(body, VENDOR_FIELDS, VENDOR_READ_ONLY, 'vendor');
    checkRenumber(company.vendors, 'Vendor', row, fields.number);
    const updated: Row & { id: string } = { ...row, id: str(row.id) };
    this.applyVendorFields(company, updated, fields);
    this.validateVendor(company, updated, row);
    updated.lastModifiedDateTime = this.nowIso();
    company.vendors.put(updated);
    this.options.onChange(company.id, 'vendors', updated.id, 'updated');
    return updated;
  }

  createItem(company: CompanyState, body: Record<string, unknown>): Row {
    const fields = validateFields(body, ITEM_FIELDS, ITEM_READ_ONLY, 'item');
    const number = insertNumber(company.items, 'Item', fields.number, () => {
      const next = str(company.series.item);
      company.series.item += 1;
      return next;
    });
    const id = randomUUID();
    const row: Row & { id: string } = {
      id,
      number,
      displayName: '',
      displayName2: '',
      type: 'Inventory',
      itemCategoryId: EMPTY_GUID,
      itemCategoryCode: '',
      blocked: false,
      gtin: '',
      inventory: 0,
      unitPrice: 0,
      priceIncludesTax: false,
      unitCost: 0,
      taxGroupId: EMPTY_GUID,
      taxGroupCode: '',
      baseUnitOfMeasureId: EMPTY_GUID,
      baseUnitOfMeasureCode: '',
      generalProductPostingGroupId: EMPTY_GUID,
      generalProductPostingGroupCode: 'RETAIL',
      inventoryPostingGroupId: EMPTY_GUID,
      inventoryPostingGroupCode: 'RESALE',
      lastModifiedDateTime: this.nowIso(),
    };
    this.applyItemFields(company, row, fields);
    row.number = number;
    company.items.put(row);
    this.options.onChange(company.id, 'items', id, 'created');
    return row;
  }

  private applyItemFields(company: CompanyState, row: Row, fields: Row): void {
    for (const [key, value] of Object.entries(fields)) {
      if (key === 'taxGroupCode' && typeof value === 'string') {
        const group = value === '' ? undefined : company.taxGroups.find((t) => t.code === value);
        if (value !== '' && group === undefined) throw dialog('The "taxGroupCode" does not match to a Tax Group.');
        row.taxGroupCode = value;
        row.taxGroupId = group === undefined ? EMPTY_GUID : str(group.id);
      } else if (key === 'baseUnitOfMeasureCode' && typeof value === 'string') {
        const unit = value === '' ? undefined : company.unitsOfMeasure.find((u) => u.code === value);
        if (value !== '' && unit === undefined)
          throw dialog('The "baseUnitOfMeasureCode" does not match to a Unit of Measure.');
        row.baseUnitOfMeasureCode = value;
        row.baseUnitOfMeasureId = unit === undefined ? EMPTY_GUID : str(unit.id);
      } else {
        row[key] = value;
      }
    }
  }

  updateItem(company: CompanyState, id: string, body: Record<string, unknown>): Row {
    const row = company.items.get(id);
    if (row === undefined) throw notFound('Item', id);
    const fields = validateFields(body, ITEM_FIELDS, ITEM_READ_ONLY, 'item');
    checkRenumber(company.items, 'Item', row, fields.number);
    const updated: Row & { id: string } = { ...row, id: str(row.id) };
    this.applyItemFields(company, updated, fields);
    updated.lastModifiedDateTime = this.nowIso();
    company.items.put(updated);
    this.options.onChange(company.id, 'items', updated.id, 'updated');
    return updated;
  }

  // ------------------------------------------------------------------ reference data (seeding only)

  addAccount(company: CompanyState, input: AddAccountInput): Row {
    return company.accounts.put({
      id: randomUUID(),
      number: input.number.toUpperCase(),
      displayName: input.displayName,
      category: input.category ?? 'Expense',
      subCategory: input.subCategory ?? '',
      blocked: input.blocked ?? false,
      accountType: input.accountType ?? 'Posting',
      directPosting: input.directPosting ?? true,
      netChange: 0,
      consolidationTranslationMethod: 'Average Rate (Manual)',
      consolidationDebitAccount: '',
      consolidationCreditAccount: '',
      excludeFromConsolidation: false,
      lastModifiedDateTime: this.nowIso(),
    });
  }

  addDimension(
    company: CompanyState,
    code: string,
    values: ReadonlyArray<string | { code: string; displayName?: string }>,
    displayName?: string,
  ): Row {
    const upper = code.toUpperCase();
    // Dimension codes are unique in BC: adding values to an existing code extends that dimension.
    const dimension =
      company.dimensions.find((d) => d.code === upper) ??
      company.dimensions.put({
        id: randomUUID(),
        code: upper,
        displayName: displayName ?? upper,
        consolidationCode: '',
        lastModifiedDateTime: this.nowIso(),
      });
    for (const value of values) {
      const v = typeof value === 'string' ? { code: value } : value;
      company.dimensionValues.put({
        id: randomUUID(),
        code: v.code.toUpperCase(),
        dimensionId: str(dimension.id),
        displayName: v.displayName ?? v.code,
        consolidationCode: '',
        lastModifiedDateTime: this.nowIso(),
      });
    }
    return dimension;
  }

  addTaxGroup(company: CompanyState, code: string, ratePercent: number, displayName?: string): Row {
    const upper = code.toUpperCase();
    company.taxRates.set(upper, ratePercent);
    return company.taxGroups.put({
      id: randomUUID(),
      code: upper,
      displayName: displayName ?? upper,
      taxType: 'Sales Tax',
      lastModifiedDateTime: this.nowIso(),
    });
  }

  addCurrency(company: CompanyState, code: string, displayName?: string): Row {
    const upper = code.toUpperCase();
    return company.currencies.put({
      id: randomUUID(),
      code: upper,
      displayName: displayName ?? upper,
      symbol: '',
      amountDecimalPlaces: '2:2',
      amountRoundingPrecision: 0.01,
      lastModifiedDateTime: this.nowIso(),
    });
  }

  addPaymentTerm(
    company: CompanyState,
    code: string,
    options: { displayName?: string; dueDateCalculation?: string } = {},
  ): Row {
    const upper = code.toUpperCase();
    return company.paymentTerms.put({
      id: randomUUID(),
      code: upper,
      displayName: options.displayName ?? upper,
      dueDateCalculation: options.dueDateCalculation ?? '',
      discountDateCalculation: '',
      discountPercent: 0,
      calculateDiscountOnCreditMemos: false,
      lastModifiedDateTime: this.nowIso(),
    });
  }

  addUnitOfMeasure(company: CompanyState, code: string, displayName?: string): Row {
    const upper = code.toUpperCase();
    return company.unitsOfMeasure.put({
      id: randomUUID(),
      code: upper,
      displayName: displayName ?? upper,
      internationalStandardCode: '',
      symbol: '',
      lastModifiedDateTime: this.nowIso(),
    });
  }

  addCountry(company: CompanyState, code: string, displayName: string, vatFormats: readonly string[] = []): Row {
    const upper = code.toUpperCase();
    if (vatFormats.length > 0) company.vatRegistrationFormats.set(upper, [...vatFormats]);
    return (
      company.countriesRegions.find((c) => c.code === upper) ??
      company.countriesRegions.put({
        id: randomUUID(),
        code: upper,
        displayName,
        addressFormat: 'City+Post Code',
        lastModifiedDateTime: this.nowIso(),
      })
    );
  }

  /**
   * GET defaultDimensions (APIV2DefaultDimensions.Page.al:25-60): every Default Dimension row of the company.
   * Parent Type has only Customer, Item, Vendor and Employee (DefaultDimensionParentType.Enum.al:17-49) and
   * ParentId is set only for those tables (DefaultDimension.Table.al:1257-1290), so a G/L account's defaults
   * are listed with a blank parent type and an empty parent id: visible, but not whose they are.
   */
  defaultDimensionList(company: CompanyState): Row[] {
    const rows: Row[] = [];
    for (const [recordId, fields] of company.tableFields) {
      const parentType = company.vendors.get(recordId)
        ? 'Vendor'
        : company.items.get(recordId)
          ? 'Item'
          : company.accounts.get(recordId)
            ? ' '
            : undefined;
      if (parentType === undefined) continue;
      for (const d of this.defaultDimensionRows(company, fields.defaultDimensions ?? [])) {
        rows.push({
          id: stableGuid(`${recordId}|${str(d.id)}`),
          parentType,
          parentId: parentType === ' ' ? EMPTY_GUID : recordId,
          dimensionId: str(d.id),
          dimensionCode: str(d.code),
          dimensionValueId: str(d.valueId),
          dimensionValueCode: str(d.valueCode),
          postingValidation: ' ',
          lastModifiedDateTime: this.nowIso(),
        });
      }
    }
    return rows;
  }

  /** The base-table fields of a record (created empty on first use). */
  tableFieldsOf(company: CompanyState, id: string): TableFields {
    let fields = company.tableFields.get(id);
    if (fields === undefined) company.tableFields.set(id, (fields = {}));
    return fields;
  }

  setLocalCurrency(company: CompanyState, code: string): void {
    company.localCurrency = code.toUpperCase();
    company.companyInformation.currencyCode = company.localCurrency;
  }

  // ------------------------------------------------------------------ purchase invoices

  /** reference §1.5 / §3 / §4: deep insert of header, lines and line dimensions, all or nothing. */
  createPurchaseInvoice(company: CompanyState, body: Record<string, unknown>): Row {
    return this.createPurchaseDocument(company, INVOICE_KIND, body);
  }

  /** The same deep insert on `purchaseCreditMemos` (APIV2PurchaseCreditMemos.Page.al OnInsertRecord :603-610). */
  createPurchaseCreditMemo(company: CompanyState, body: Record<string, unknown>): Row {
    return this.createPurchaseDocument(company, CREDIT_MEMO_KIND, body);
  }

  private createPurchaseDocument(company: CompanyState, kind: PurchaseDocKind, body: Record<string, unknown>): Row {
    const linesInput = body[kind.linesSet];
    const headerDimsInput = body.dimensionSetLines;
    const header = validateFields(body, kind.headerFields, kind.readOnly, kind.entityType, [
      kind.linesSet,
      'dimensionSetLines',
    ]);
    const appliesTo = this.appliesToInvoice(company, header);
    // Vendor (S-PI): vendorId or vendorNumber is mandatory.
    let vendor: Row | undefined;
    if (typeof header.vendorId === 'string' && header.vendorId !== EMPTY_GUID) {
      vendor = company.vendors.get(header.vendorId);
      if (vendor === undefined) throw dialog('The vendor cannot be found.');
    } else if (typeof header.vendorNumber === 'string' && header.vendorNumber !== '') {
      vendor = company.vendors.find((v) => v.number === header.vendorNumber);
      if (vendor === undefined) throw dialog('The vendor cannot be found.');
    } else {
      throw dialog('A "vendorNumber" or a "vendorID" must be provided.');
    }
    if (vendor.blocked === 'All') {
      throw dialog(
        `You cannot create this type of document when Vendor ${str(vendor.number)} is blocked with type All`,
      );
    }
    const currency = this.resolveCurrency(
      company,
      typeof header.currencyCode === 'string' ? header.currencyCode : str(vendor.currencyCode ?? ''),
    );
    for (const field of [kind.dateField, 'postingDate', 'dueDate']) {
      const value = header[field];
      if (typeof value === 'string' && !(/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)))) {
        throw new BcSimError(
          400,
          'BadRequest',
          `Cannot convert the literal '${value}' to the expected type 'Edm.Date'.`,
        );
      }
    }
    if (typeof header.discountAmount === 'number' && header.discountAmount !== 0) {
      throw dialog('The simulator does not support invoice discount amounts.');
    }
    const vendorFields = company.tableFields.get(str(vendor.id)) ?? {};
    // W1 validates the buy-from vendor's Gen. Bus. Posting Group unless sales tax is on (PurchaseHeader.Table.al:121-122).
    if (company.taxModel !== 'NA' && (vendorFields.genBusPostingGroup ?? '') === '') {
      throw mustHaveValue('Gen. Bus. Posting Group', 'Vendor', `No.=${str(vendor.number)}`);
    }
    // Pay-to: the header's, else the vendor's Pay-to Vendor No., else the vendor (APIV2PurchaseInvoices.Page.al:143-174).
    let payTo: Row = vendor;
    const payToNumber =
      typeof header.payToVendorNumber === 'string' && header.payToVendorNumber !== ''
        ? header.payToVendorNumber
        : (vendorFields.payToVendorNumber ?? '');
    if (typeof header.payToVendorId === 'string' && header.payToVendorId !== EMPTY_GUID) {
      payTo = company.vendors.get(header.payToVendorId) ?? throwDialog('The pay-to vendor cannot be found.');
    } else if (payToNumber !== '') {
      payTo =
        company.vendors.find((v) => v.number === payToNumber) ?? throwDialog('The pay-to vendor cannot be found.');
    }
    if (payTo.blocked === 'All') {
      throw dialog(`You cannot create this type of document when Vendor ${str(payTo.number)} is blocked with type All`);
    }
    // The pay-to vendor must have a Vendor Posting Group (PurchaseHeader.Table.al:257).
    if ((company.tableFields.get(str(payTo.id))?.vendorPostingGroup ?? '') === '') {
      throw mustHaveValue('Vendor Posting Group', 'Vendor', `No.=${str(payTo.number)}`);
    }
    const taxContext: TaxContext = {
      vatBusPostingGroup: vendorFields.vatBusPostingGroup ?? '',
      taxAreaCode: vendorFields.taxAreaCode ?? '',
      taxLiable: vendor.taxLiable === true,
    };
    const dateValue = header[kind.dateField];
    const invoiceDate = typeof dateValue === 'string' ? dateValue : dateOnly(this.options.now());
    const postingDate = typeof header.postingDate === 'string' ? header.postingDate : invoiceDate;
    const dueDate = typeof header.dueDate === 'string' ? header.dueDate : this.dueDate(company, vendor, invoiceDate);
    const pricesIncludeTax = header.pricesIncludeTax === true;
    // NA sales tax refuses prices including tax on a document with a tax area (SalesTaxCalculate.Codeunit.al:987).
    if (company.taxModel === 'NA' && pricesIncludeTax && taxContext.taxAreaCode !== '') {
      throw fieldValidation(
        `Prices Including VAT must be equal to 'No'  in Purchase Header: Document Type=${kind.documentType}, No.=${str(company.series[kind.draftSeries])}. Current value is 'Yes'.`,
      );
    }
    // Without an exchange rate the header's Currency Factor stays 0 (PurchaseHeader.Table.al:4080-4085), and
    // each line's SetPurchHeader tests it (PurchaseLine.Table.al:4948-4951).
    const linesGiven = Array.isArray(linesInput) && linesInput.length > 0;
    if (currency.code !== '' && company.currenciesWithoutRate.has(currency.code) && linesGiven) {
      throw mustHaveValue(
        'Currency Factor',
        'Purchase Header',
        `Document Type=${kind.documentType}, No.=${str(company.series[kind.draftSeries])}`,
      );
    }

    const id = randomUUID();
    // The header's dimensions start from the vendor's defaults (PurchaseHeader CreateDim via
    // DimensionManagement.Codeunit.al:926-998); one sent again fails the insert (APIV2DimensionSetLines.Page.al:282-285).
    const vendorDefaults = this.defaultDimensionRows(company, vendorFields.defaultDimensions ?? []);
    const headerDims = this.resolveDimensionSet(company, headerDimsInput, id, kind.headerDimParent, vendorDefaults);

    if (linesInput !== undefined && !Array.isArray(linesInput)) {
      throw new BcSimError(400, 'BadRequest', 'Invalid Request Body');
    }
    const lines: Array<Row & { id: string }> = [];
    const lineDims = new Map<string, Row[]>();
    const sequences = new Set<number>();
    let nextSequence = 10000;
    for (const rawLine of (linesInput ?? []) as unknown[]) {
      if (typeof rawLine !== 'object' || rawLine === null || Array.isArray(rawLine)) {
        throw new BcSimError(400, 'BadRequest', 'Invalid Request Body');
      }
      const lineBody = rawLine as Record<string, unknown>;
      const line = validateFields(
        lineBody,
        kind.lineFields,
        ['id', 'amountExcludingTax', 'amountIncludingTax', 'totalTaxAmount', 'taxPercent'],
        kind.lineEntityType,
        ['dimensionSetLines'],
      );
      const sequence = typeof line.sequence === 'number' ? line.sequence : nextSequence;
      if (sequences.has(sequence)) throw dialog('You cannot insert a line with a duplicate sequence number.');
      sequences.add(sequence);
      nextSequence = Math.max(nextSequence, sequence) + 10000;
      const lineId = randomUUID();
      const built = this.buildLine(company, id, lineId, sequence, line, pricesIncludeTax, taxContext);
      lines.push(built);
      lineDims.set(
        lineId,
        this.resolveDimensionSet(
          company,
          lineBody.dimensionSetLines,
          lineId,
          kind.lineDimParent,
          this.lineInheritedDimensions(company, headerDims, built),
        ),
      );
    }

    const totals = lines.reduce(
      (acc, line) => ({
        excl: acc.excl + Number(line.amountExcludingTax),
        tax: acc.tax + Number(line.totalTaxAmount),
        incl: acc.incl + Number(line.amountIncludingTax),
      }),
      { excl: 0, tax: 0, incl: 0 },
    );
    const number = str(company.series[kind.draftSeries]);
    company.series[kind.draftSeries] += 1;
    const now = this.nowIso();
    const row: Row & { id: string } = pageRow(kind, {
      id,
      number,
      postingDate,
      [kind.dateField]: invoiceDate,
      dueDate,
      [kind.externalField]: typeof header[kind.externalField] === 'string' ? header[kind.externalField] : '',
      ...(kind === CREDIT_MEMO_KIND ? { invoiceNumber: appliesTo } : {}),
      vendorId: str(vendor.id),
      vendorNumber: str(vendor.number),
      vendorName: str(vendor.displayName),
      payToName: str(payTo.displayName),
      payToContact: '',
      payToVendorId: str(payTo.id),
      payToVendorNumber: str(payTo.number),
      shipToName: typeof header.shipToName === 'string' ? header.shipToName : '',
      shipToContact: typeof header.shipToContact === 'string' ? header.shipToContact : '',
      buyFromAddressLine1: str(vendor.addressLine1 ?? ''),
      buyFromAddressLine2: str(vendor.addressLine2 ?? ''),
      buyFromCity: str(vendor.city ?? ''),
      buyFromCountry: str(vendor.country ?? ''),
      buyFromState: str(vendor.state ?? ''),
      buyFromPostCode: str(vendor.postalCode ?? ''),
      shipToAddressLine1: '',
      shipToAddressLine2: '',
      shipToCity: '',
      shipToCountry: '',
      shipToState: '',
      shipToPostCode: '',
      payToAddressLine1: str(payTo.addressLine1 ?? ''),
      payToAddressLine2: str(payTo.addressLine2 ?? ''),
      payToCity: str(payTo.city ?? ''),
      payToCountry: str(payTo.country ?? ''),
      payToState: str(payTo.state ?? ''),
      payToPostCode: str(payTo.postalCode ?? ''),
      shortcutDimension1Code: '',
      shortcutDimension2Code: '',
      currencyId: currency.id,
      currencyCode: currency.code,
      orderId: EMPTY_GUID,
      orderNumber: '',
      purchaser: typeof header.purchaser === 'string' ? header.purchaser : '',
      pricesIncludeTax,
      discountAmount: 0,
      discountAppliedBeforeTax: true,
      totalAmountExcludingTax: round2(totals.excl),
      totalTaxAmount: round2(totals.tax),
      totalAmountIncludingTax: round2(totals.incl),
      status: 'Draft',
      lastModifiedDateTime: now,
    });
    // Everything validated: commit all at once (a failure above leaves nothing behind).
    company[kind.entitySet].put(row);
    company.tableFields.set(id, { ...taxContextFields(taxContext) });
    company.dimensionSetLines.set(id, headerDims);
    for (const line of lines) {
      company[kind.linesSet].put(pageLine(kind, line));
      company.dimensionSetLines.set(line.id, lineDims.get(line.id) ?? []);
    }
    this.options.onChange(company.id, kind.entitySet, id, 'created');
    if (company.deepInsertAnswer === 'header-only') {
      return { ...row, totalAmountExcludingTax: 0, totalTaxAmount: 0, totalAmountIncludingTax: 0 };
    }
    return row;
  }

  /**
   * A credit memo's Applies-to Doc. No. from `invoiceId` (a posted invoice, else "does not match",
   * APIV2PurchaseCreditMemos.Page.al:464-490, label :647) or `invoiceNumber` (:492-508; both given must name the
   * same invoice, label :646). Blank when neither is given.
   */
  private appliesToInvoice(company: CompanyState, header: Row): string {
    const byId = typeof header.invoiceId === 'string' && header.invoiceId !== EMPTY_GUID ? header.invoiceId : undefined;
    const byNumber = typeof header.invoiceNumber === 'string' ? header.invoiceNumber : '';
    if (byId === undefined) return byNumber;
    const invoice = company.purchaseInvoices.get(byId);
    if (invoice === undefined || invoice.status === 'Draft')
      throw dialog('The "invoiceId" does not match to an Invoice.');
    if (byNumber !== '' && byNumber !== invoice.number) {
      throw dialog('The "invoiceId" and "invoiceNumber" do not match to a specific Invoice.');
    }
    return str(invoice.number);
  }

  /** Default dimensions as dimension set rows (codes upper-cased; unknown ones are a seeding mistake). */
  private defaultDimensionRows(company: CompanyState, defaults: readonly DefaultDimension[]): Row[] {
    return defaults.map((d) => {
      const dimension = company.dimensions.find((x) => x.code === d.code.toUpperCase());
      const value = company.dimensionValues.find(
        (v) => v.dimensionId === dimension?.id && v.code === d.valueCode.toUpperCase(),
      );
      if (dimension === undefined || value === undefined)
        throw new Error(`default dimension ${d.code}=${d.valueCode} is not seeded`);
      return {
        id: str(dimension.id),
        code: str(dimension.code),
        consolidationCode: '',
        displayName: str(dimension.displayName),
        valueId: str(value.id),
        valueCode: str(value.code),
        valueConsolidationCode: '',
        valueDisplayName: str(value.displayName),
      };
    });
  }

  /**
   * A line starts with the header's set, then adds the account's or item's defaults for dimensions the header
   * does not have; without Default Dimension Priorities the header's value stays
   * (DimensionManagement.Codeunit.al:955-998, PurchaseLine.Table.al:6346-6364).
   */
  private lineInheritedDimensions(company: CompanyState, headerDims: readonly Row[], line: Row): Row[] {
    const objectId =
      line.lineType === 'Item' ? str(line.itemId) : line.lineType === 'Account' ? str(line.accountId) : '';
    const defaults = this.defaultDimensionRows(company, company.tableFields.get(objectId)?.defaultDimensions ?? []);
    return [...headerDims, ...defaults.filter((d) => !headerDims.some((h) => h.id === d.id))];
  }

  private dueDate(company: CompanyState, vendor: Row, invoiceDate: string): string {
    const terms =
      typeof vendor.paymentTermsId === 'string' ? company.paymentTerms.get(vendor.paymentTermsId) : undefined;
    const formula = typeof terms?.dueDateCalculation === 'string' ? terms.dueDateCalculation : '';
    const match = /^(\d+)([DM])$/i.exec(formula);
    if (!match) return invoiceDate;
    const date = new Date(`${invoiceDate}T00:00:00Z`);
    const amount = Number(match[1]);
    if (match[2]?.toUpperCase() === 'D') date.setUTCDate(date.getUTCDate() + amount);
    else date.setUTCMonth(date.getUTCMonth() + amount);
    return dateOnly(date.getTime());
  }

  /** The checks BC runs when a line's No. is validated (and again at posting). */
  private checkLineObject(company: CompanyState, lineType: string, number: string): Row | undefined {
    if (lineType === 'Account') {
      const account = company.accounts.find((a) => a.number === number);
      if (account === undefined) throw dialog('Account does not exist.');
      if (account.accountType !== 'Posting') {
        throw fieldValidation(
          `Account Type must be equal to 'Posting'  in G/L Account: No.=${number}. Current value is '${str(account.accountType)}'.`,
        );
      }
      if (account.blocked === true) {
        throw fieldValidation(`Blocked must be equal to 'No'  in G/L Account: No.=${number}. Current value is 'Yes'.`);
      }
      if (account.directPosting !== true) {
        throw fieldValidation(
          `Direct Posting must have a value in G/L Account: No.=${number}. It cannot be zero or empty.`,
        );
      }
      return account;
    }
    if (lineType === 'Item') {
      const item = company.items.find((i) => i.number === number);
      if (item === undefined) throw dialog('Item does not exist.');
      if (item.blocked === true) {
        throw fieldValidation(`Blocked must be equal to 'No'  in Item: No.=${number}. Current value is 'Yes'.`);
      }
      return item;
    }
    return undefined;
  }

  private buildLine(
    company: CompanyState,
    documentId: string,
    lineId: string,
    sequence: number,
    line: Row,
    pricesIncludeTax: boolean,
    taxContext: TaxContext,
  ): Row & { id: string } {
    let lineType = typeof line.lineType === 'string' ? line.lineType : undefined;
    let number = typeof line.lineObjectNumber === 'string' ? line.lineObjectNumber : '';
    if (typeof line.itemId === 'string' && typeof line.accountId === 'string') {
      throw dialog('Both "itemId" and "accountId" are specified. Specify only one of them.');
    }
    if (typeof line.itemId === 'string') {
      const item = company.items.get(line.itemId);
      if (item === undefined) throw dialog('Item does not exist.');
      lineType = 'Item';
      number = str(item.number);
    }
    if (typeof line.accountId === 'string') {
      const account = company.accounts.get(line.accountId);
      if (account === undefined) throw dialog('Account does not exist.');
      lineType = 'Account';
      number = str(account.number);
    }
    lineType ??= number === '' ? 'Comment' : 'Account';
    if (lineType !== 'Comment' && lineType !== 'Account' && lineType !== 'Item') {
      throw dialog(`The simulator does not support lines of type ${lineType}.`);
    }
    const object = lineType === 'Comment' ? undefined : this.checkLineObject(company, lineType, number);
    const objectFields = object === undefined ? {} : (company.tableFields.get(str(object.id)) ?? {});
    // Purchasing Blocked items cannot be bought (PurchaseLine.Table.al:4772-4776, label :4264).
    if (lineType === 'Item' && objectFields.purchasingBlocked === true) {
      throw dialog(
        `You cannot purchase Item ${number} because the Purchasing Blocked check box is selected on the Item card.`,
      );
    }
    let unitCode = typeof line.unitOfMeasureCode === 'string' ? line.unitOfMeasureCode : '';
    if ((unitCode !== '' || typeof line.unitOfMeasureId === 'string') && lineType !== 'Item') {
      throw dialog('Unit of Measure can be set only for lines with type Item.');
    }
    if (unitCode !== '' && !company.unitsOfMeasure.find((u) => u.code === unitCode)) {
      throw dialog('The "unitOfMeasureCode" does not match to a Unit of Measure.');
    }
    const baseUnit = str(object?.baseUnitOfMeasureCode ?? '');
    const itemUnits = objectFields.itemUnitsOfMeasure ?? new Map([[baseUnit, 1]]);
    // Item lines take the Purch. Unit of Measure, else the base unit (PurchaseLine.Table.al:4828-4831); a unit
    // sent must be one of the item's units (Item Unit of Measure).
    if (lineType === 'Item' && unitCode === '') unitCode = objectFields.purchUnitOfMeasure ?? baseUnit;
    if (lineType === 'Item' && unitCode !== '' && !itemUnits.has(unitCode)) {
      throw new BcSimError(
        400,
        'Internal_InvalidTableRelation',
        `The field Unit of Measure Code of table Purchase Line contains a value (${unitCode}) that cannot be found in the related table (Item Unit of Measure).`,
      );
    }
    let taxCode = typeof line.taxCode === 'string' ? line.taxCode : '';
    // The line takes the item's (or, in W1 and NA, the account's) tax or VAT product group when none is sent
    // (PurchaseLine.Table.al:4748-4749, :4794-4795).
    if (taxCode === '' && lineType === 'Item') taxCode = str(object?.taxGroupCode ?? '');
    if (taxCode === '' && company.taxModel !== 'flat' && object !== undefined) {
      taxCode = objectFields.vatProdPostingGroup ?? '';
    }
    if (taxCode !== '' && !company.taxRates.has(taxCode)) {
      throw new BcSimError(
        400,
        'Internal_InvalidTableRelation',
        `The field Tax Group Code of table Purchase Line contains a value (${taxCode}) that cannot be found in the related table (Tax Group).`,
      );
    }
    const rate = lineType === 'Comment' ? 0 : this.lineTaxRate(company, taxContext, taxCode);
    const quantity = typeof line.quantity === 'number' ? line.quantity : 0;
    const unitCost =
      typeof line.unitCost === 'number' ? line.unitCost : lineType === 'Item' ? Number(object?.unitCost ?? 0) : 0;
    const discountPercent = typeof line.discountPercent === 'number' ? line.discountPercent : 0;
    if (discountPercent < 0 || discountPercent > 100) {
      throw dialog(`Line Discount % must be between 0 and 100 in Purchase Line: Line No.=${sequence}.`);
    }
    const gross = round2(quantity * unitCost);
    const discountAmount =
      typeof line.discountAmount === 'number' && typeof line.discountPercent !== 'number'
        ? round2(line.discountAmount)
        : round2((gross * discountPercent) / 100);
    const lineAmount = round2(gross - discountAmount);
    let excl: number;
    let incl: number;
    if (pricesIncludeTax) {
      incl = lineAmount;
      excl = round2(incl / (1 + rate / 100));
    } else {
      excl = lineAmount;
      incl = round2(excl + round2((excl * rate) / 100));
    }
    const tax = round2(incl - excl);
    return {
      id: lineId,
      documentId,
      sequence,
      itemId: lineType === 'Item' ? str(object?.id ?? EMPTY_GUID) : EMPTY_GUID,
      accountId: lineType === 'Account' ? str(object?.id ?? EMPTY_GUID) : EMPTY_GUID,
      lineType,
      lineObjectNumber: number,
      description: typeof line.description === 'string' ? line.description : str(object?.displayName ?? ''),
      description2: typeof line.description2 === 'string' ? line.description2 : '',
      unitOfMeasureId: EMPTY_GUID,
      unitOfMeasureCode: unitCode,
      unitCost,
      quantity,
      discountAmount,
      discountPercent: gross === 0 ? discountPercent : round2((discountAmount / gross) * 100),
      discountAppliedBeforeTax: true,
      amountExcludingTax: excl,
      taxCode,
      taxPercent: rate,
      totalTaxAmount: tax,
      amountIncludingTax: incl,
      invoiceDiscountAllocation: 0,
      netAmount: excl,
      netTaxAmount: tax,
      netAmountIncludingTax: incl,
      expectedReceiptDate: typeof line.expectedReceiptDate === 'string' ? line.expectedReceiptDate : '',
      itemVariantId: EMPTY_GUID,
      locationId: EMPTY_GUID,
    };
  }

  /** The line's tax %, by the company's tax model. */
  private lineTaxRate(company: CompanyState, tax: TaxContext, taxCode: string): number {
    if (company.taxModel === 'flat') return taxCode === '' ? 0 : (company.taxRates.get(taxCode) ?? 0);
    if (company.taxModel === 'W1') {
      // VAT % of VAT Posting Setup (VAT Bus. × VAT Prod. Posting Group) (PurchaseLine.Table.al:1563, :10227).
      const rate = company.vatPostingSetup.get(`${tax.vatBusPostingGroup}|${taxCode}`);
      if (rate === undefined) {
        throw new BcSimError(
          404,
          'Internal_RecordNotFound',
          `The VAT Posting Setup does not exist. Identification fields and values: VAT Bus. Posting Group='${tax.vatBusPostingGroup}',VAT Prod. Posting Group='${taxCode}'`,
        );
      }
      return rate;
    }
    // NA: tax only with a tax area on the header (from the vendor, PurchaseHeader.Table.al:132) and a liable vendor.
    if (tax.taxAreaCode === '' || !tax.taxLiable || taxCode === '') return 0;
    return company.taxAreas.get(tax.taxAreaCode)?.get(taxCode) ?? 0;
  }

  /** reference §4.2: (`id` or `code`) and (`valueId` or `valueCode`); lines inherit header dimensions. */
  private resolveDimensionSet(
    company: CompanyState,
    input: unknown,
    parentId: string,
    parentType: PurchaseDocKind['headerDimParent'] | PurchaseDocKind['lineDimParent'],
    inherited: readonly Row[],
  ): Row[] {
    const set: Row[] = inherited.map((d) => ({ ...d, parentId, parentType }));
    if (input === undefined || input === null) return set;
    if (!Array.isArray(input)) throw new BcSimError(400, 'BadRequest', 'Invalid Request Body');
    for (const raw of input as unknown[]) {
      if (typeof raw !== 'object' || raw === null) throw new BcSimError(400, 'BadRequest', 'Invalid Request Body');
      const entry = raw as Record<string, unknown>;
      for (const key of Object.keys(entry)) {
        if (
          !['id', 'code', 'valueId', 'valueCode', 'displayName', 'valueDisplayName'].includes(key) &&
          !key.startsWith('@odata.')
        ) {
          throw new BcSimError(
            400,
            'BadRequest',
            `The property '${key}' does not exist on type 'Microsoft.NAV.dimensionSetLine'. Make sure to only use property names that are defined by the type.`,
          );
        }
      }
      const code = typeof entry.code === 'string' ? entry.code.trim().toUpperCase() : '';
      const dimId = typeof entry.id === 'string' ? entry.id.toLowerCase() : '';
      if (code === '' && dimId === '') throw dialog('The "id" or "code" field must be filled in.');
      const valueCode = typeof entry.valueCode === 'string' ? entry.valueCode.trim().toUpperCase() : '';
      const valueId = typeof entry.valueId === 'string' ? entry.valueId.toLowerCase() : '';
      if (valueCode === '' && valueId === '') throw dialog('The "valueId" or "valueCode" field must be filled in.');
      const dimension = dimId !== '' ? company.dimensions.get(dimId) : company.dimensions.find((d) => d.code === code);
      if (dimension === undefined) {
        throw dialog(
          dimId !== '' ? 'The "id" does not match to a Dimension.' : 'The "code" does not match to a Dimension.',
        );
      }
      if (dimId !== '' && code !== '' && dimension.code !== code) {
        throw dialog('The "id" and "code" fields do not match to a specific Dimension.');
      }
      const value =
        valueId !== ''
          ? company.dimensionValues.get(valueId)
          : company.dimensionValues.find((v) => v.dimensionId === dimension.id && v.code === valueCode);
      if (value === undefined || value.dimensionId !== dimension.id) {
        throw dialog(
          valueId !== ''
            ? 'The "valueId" does not match to a Dimension Value.'
            : 'The "valueCode" does not match to a Dimension Value.',
        );
      }
      if (set.some((d) => d.id === dimension.id)) {
        throw dialog(
          'The dimension set line already exists. Check existing dimension set lines and the default dimension set lines on the parent.',
        );
      }
      set.push({
        id: str(dimension.id),
        code: str(dimension.code),
        consolidationCode: '',
        parentId,
        parentType,
        displayName: str(dimension.displayName),
        valueId: str(value.id),
        valueCode: str(value.code),
        valueConsolidationCode: '',
        valueDisplayName: str(value.displayName),
      });
    }
    return set;
  }

  linesOf(company: CompanyState, invoiceId: string, kind: PurchaseDocKind = INVOICE_KIND): Row[] {
    return company[kind.linesSet]
      .all()
      .filter((l) => l.documentId === invoiceId)
      .sort((a, b) => Number(a.sequence) - Number(b.sequence));
  }

  /** reference §3.3 and §8.2: `Microsoft.NAV.post`. */
  postPurchaseInvoice(company: CompanyState, id: string): void {
    this.postPurchaseDocument(company, INVOICE_KIND, id);
  }

  /** `Microsoft.NAV.post` of a draft credit memo (APIV2PurchaseCreditMemos.Page.al:876-887). */
  postPurchaseCreditMemo(company: CompanyState, id: string): void {
    this.postPurchaseDocument(company, CREDIT_MEMO_KIND, id);
  }

  private postPurchaseDocument(company: CompanyState, kind: PurchaseDocKind, id: string): void {
    const document = company[kind.entitySet].get(id);
    const noun = kind === INVOICE_KIND ? 'invoice' : 'credit memo';
    if (document === undefined) throw new BcSimError(404, 'Internal_RecordNotFound', `The ${noun} cannot be found.`);
    // APIV2PurchaseCreditMemos.Page.al:812-819 (label :649) and the invoice page's equivalent.
    if (document.status !== 'Draft') throw dialog(`The action can be applied to a draft ${noun} only.`);
    const lines = this.linesOf(company, str(document.id), kind);
    const external = str(document[kind.externalField] ?? '');
    // PurchPost.Codeunit.al:1000-1013: Vendor Invoice No. / Vendor Cr. Memo No. when the setup makes it mandatory.
    if (company.extDocNoMandatory && external === '') {
      const field = kind === INVOICE_KIND ? 'Vendor Invoice No.' : 'Vendor Cr. Memo No.';
      throw dialog(
        `You need to enter the document number of the document from the vendor in the ${field} field, so that this document stays linked to the original.`,
      );
    }
    // An enabled approval workflow keeps an unapproved document from posting (ApprovalsMgmt.Codeunit.al:1507-1508, label :70).
    if (company.purchaseApprovalWorkflow) {
      throw dialog(
        `Purchase ${kind.documentType} ${str(document.number)} must be approved and released before you can perform this action.`,
      );
    }
    this.checkPostable(company, document, lines);
    const payTo = str(document.payToVendorNumber);
    // PurchPost.Codeunit.al:1267-1268: the external number is checked per vendor and document type (label :342).
    if (
      (company.extDocNoMandatory || external !== '') &&
      company.postedLedger.some(
        (e) =>
          e.vendorNumber === payTo && e.externalDocumentNumber === external && e.documentType === kind.documentType,
      )
    ) {
      throw dialog(`Purchase ${kind.documentType} ${external} already exists for this vendor.`);
    }
    const total = Number(document.totalAmountIncludingTax ?? 0);
    const applied = kind === CREDIT_MEMO_KIND ? this.applyCreditMemo(company, document, total) : 0;
    const postedNumber = str(company.series[kind.postedSeries]);
    company.series[kind.postedSeries] += 1;
    company.postedLedger.push({
      vendorNumber: payTo,
      externalDocumentNumber: external,
      invoiceNumber: postedNumber,
      documentType: kind.documentType,
      documentId: str(document.id),
      currencyCode: str(document.currencyCode ?? ''),
      remainingAmount: round2(total - applied),
    });
    // The id stays the draft's SystemId; the number becomes the posted number (S-AGG). A credit memo fully used by
    // its application is closed, hence Paid (GraphMgtPurchCrMemo.Codeunit.al:546-550).
    company[kind.entitySet].put({
      ...document,
      id: str(document.id),
      number: postedNumber,
      status: applied !== 0 && round2(total - applied) === 0 ? 'Paid' : 'Open',
      lastModifiedDateTime: this.nowIso(),
    });
    this.options.onChange(company.id, kind.entitySet, str(document.id), 'updated');
  }

  /** The checks every purchase document passes before posting: dates, lines, quantities. */
  private checkPostable(company: CompanyState, document: Row, lines: readonly Row[]): void {
    // The posting date must be inside the allowed range (PurchPost.Codeunit.al:8711, label :459).
    const postingDate = str(document.postingDate);
    const allowed = company.allowedPostingDates;
    if (
      (allowed.from !== undefined && postingDate < allowed.from) ||
      (allowed.to !== undefined && postingDate > allowed.to)
    ) {
      throw dialog('Posting Date is not within your range of allowed posting dates.');
    }
    for (const line of lines) {
      if (line.lineType !== 'Comment') this.checkLineObject(company, str(line.lineType), str(line.lineObjectNumber));
    }
    if (!lines.some((l) => l.lineType !== 'Comment' && Number(l.quantity) !== 0)) {
      throw dialog('There is nothing to post because the document does not contain a quantity or amount.');
    }
  }

  /**
   * Applies a credit memo to the posted invoice its Applies-to Doc. No. names, and returns the amount applied.
   * The invoice's vendor ledger entry must be open, of the same vendor (GenJnlPostLine.Codeunit.al:4912-4917:
   * FindFirst fails otherwise) and in the same currency (:4925-4926). The amount applied is the smaller of the two
   * remaining amounts (FindAmtForAppln, :3368-3400); an entry whose remaining amount reaches 0 is closed (:3552,
   * :3572), and a closed invoice reads as Paid (PurchInvAggregator.Codeunit.al:575-576).
   */
  private applyCreditMemo(company: CompanyState, memo: Row, total: number): number {
    const appliesTo = str(memo.invoiceNumber ?? '');
    if (appliesTo === '') return 0;
    const entry = company.postedLedger.find(
      (e) =>
        e.documentType === 'Invoice' &&
        e.invoiceNumber === appliesTo &&
        e.vendorNumber === str(memo.payToVendorNumber) &&
        e.remainingAmount !== 0,
    );
    if (entry === undefined) {
      throw dialog(
        `There is no Vendor Ledger Entry within the filter. Filters: Document No.: ${appliesTo}, Document Type: Invoice, Vendor No.: ${str(memo.payToVendorNumber)}, Open: Yes`,
      );
    }
    if (entry.currencyCode !== str(memo.currencyCode ?? '')) {
      throw dialog('All entries in one application must be in the same currency.');
    }
    const applied = round2(Math.min(entry.remainingAmount, total));
    entry.remainingAmount = round2(entry.remainingAmount - applied);
    this.markPaidWhenClosed(company, entry);
    return applied;
  }

  /** A payment of a posted invoice (a bank payment made in BC): reduces what is open, Paid when nothing is left. */
  payPurchaseInvoice(company: CompanyState, id: string, amount?: number): void {
    const entry = company.postedLedger.find((e) => e.documentType === 'Invoice' && e.documentId === id.toLowerCase());
    if (entry === undefined) throw notFound('Purch. Inv. Entity Aggregate', id);
    entry.remainingAmount = round2(entry.remainingAmount - (amount ?? entry.remainingAmount));
    this.markPaidWhenClosed(company, entry);
  }

  /** A closed invoice entry reads as Paid (PurchInvAggregator.Codeunit.al:575-576). */
  private markPaidWhenClosed(company: CompanyState, entry: { documentId: string; remainingAmount: number }): void {
    const invoice = company.purchaseInvoices.get(entry.documentId);
    if (invoice === undefined || entry.remainingAmount !== 0) return;
    company.purchaseInvoices.put({
      ...invoice,
      id: entry.documentId,
      status: 'Paid',
      lastModifiedDateTime: this.nowIso(),
    });
    this.options.onChange(company.id, 'purchaseInvoices', entry.documentId, 'updated');
  }

  /** What is still open on a posted invoice or credit memo (Remaining Amount of its vendor ledger entry). */
  remainingAmount(company: CompanyState, documentId: string): number | undefined {
    return company.postedLedger.find((e) => e.documentId === documentId.toLowerCase())?.remainingAmount;
  }

  /**
   * `Microsoft.NAV.cancel` of a posted credit memo (APIV2PurchaseCreditMemos.Page.al:889-898): a corrective
   * invoice reverses it, so what it applied is open again on the invoice and the memo reads Canceled
   * (:830-833; PurchCrMemoEntityStatus.Enum.al:24). Cancelling twice is refused (label :660).
   */
  cancelPurchaseCreditMemo(company: CompanyState, id: string): void {
    const memo = company.purchaseCreditMemos.get(id);
    if (memo === undefined) throw new BcSimError(404, 'Internal_RecordNotFound', 'The credit memo cannot be found.');
    if (memo.status === 'Draft') throw dialog('The action can be applied to a posted credit memo only.');
    if (memo.status === 'Canceled')
      throw dialog('The credit memo cannot be cancelled because it has already been canceled.');
    const own = company.postedLedger.find((e) => e.documentId === str(memo.id));
    const invoice = company.postedLedger.find(
      (e) => e.documentType === 'Invoice' && e.invoiceNumber === str(memo.invoiceNumber ?? ''),
    );
    if (own !== undefined && invoice !== undefined) {
      const applied = round2(Number(memo.totalAmountIncludingTax ?? 0) - own.remainingAmount);
      invoice.remainingAmount = round2(invoice.remainingAmount + applied);
      const row = company.purchaseInvoices.get(invoice.documentId);
      if (row !== undefined && applied !== 0)
        company.purchaseInvoices.put({ ...row, id: invoice.documentId, status: 'Open' });
    }
    if (own !== undefined) own.remainingAmount = 0;
    company.purchaseCreditMemos.put({
      ...memo,
      id: str(memo.id),
      status: 'Canceled',
      lastModifiedDateTime: this.nowIso(),
    });
    this.options.onChange(company.id, 'purchaseCreditMemos', str(memo.id), 'updated');
  }

  /**
   * PATCH of a credit memo draft's application: `invoiceId` / `invoiceNumber` validated as on insert
   * (APIV2PurchaseCreditMemos.Page.al:464-508); the empty GUID clears Applies-to Doc. No. (:473-479). A posted memo
   * cannot be modified (GraphMgtPurchCrMemo.Codeunit.al:395-396, label :30). The connector patches nothing else.
   */
  updatePurchaseCreditMemo(company: CompanyState, id: string, body: Record<string, unknown>): Row {
    const memo = company.purchaseCreditMemos.get(id);
    if (memo === undefined) throw notFound('Purch. Cr. Memo Entity Buffer', id);
    if (memo.status !== 'Draft') throw dialog('The credit memo has been posted and can no longer be modified.');
    const fields = validateFields(body, CREDIT_MEMO_KIND.headerFields, CREDIT_MEMO_KIND.readOnly, 'purchaseCreditMemo');
    const unsupported = Object.keys(fields).filter((k) => k !== 'invoiceId' && k !== 'invoiceNumber');
    if (unsupported.length > 0)
      throw new Error(`simulator: PATCH of credit memo ${unsupported.join(', ')} is not built`);
    const updated: Row & { id: string } = {
      ...memo,
      id: str(memo.id),
      invoiceNumber: this.appliesToInvoice(company, fields),
      lastModifiedDateTime: this.nowIso(),
    };
    company.purchaseCreditMemos.put(updated);
    this.options.onChange(company.id, 'purchaseCreditMemos', updated.id, 'updated');
    return updated;
  }

  /** PATCH of a purchase invoice header: drafts only (posted ones are read-only). */
  updatePurchaseInvoice(company: CompanyState, id: string, body: Record<string, unknown>): Row {
    const invoice = company.purchaseInvoices.get(id);
    if (invoice === undefined) throw notFound('Purch. Inv. Entity Aggregate', id);
    if (invoice.status !== 'Draft') throw dialog('The invoice has been posted and can no longer be modified.');
    const fields = validateFields(
      body,
      HEADER_FIELDS,
      [
        'id',
        'number',
        'vendorId',
        'vendorNumber',
        'status',
        'totalAmountExcludingTax',
        'totalTaxAmount',
        'totalAmountIncludingTax',
        'lastModifiedDateTime',
      ],
      'purchaseInvoice',
    );
    const updated: Row & { id: string } = { ...invoice, id: str(invoice.id) };
    for (const key of [
      'vendorInvoiceNumber',
      'invoiceDate',
      'postingDate',
      'dueDate',
      'shipToName',
      'shipToContact',
      'purchaser',
    ]) {
      const value = fields[key];
      if (value !== undefined) updated[key] = value;
    }
    updated.lastModifiedDateTime = this.nowIso();
    company.purchaseInvoices.put(updated);
    this.options.onChange(company.id, 'purchaseInvoices', updated.id, 'updated');
    return updated;
  }

  /** POST on paymentTerms, currencies, taxGroups or unitsOfMeasure: `code` is the key. */
  createReference(company: CompanyState, entitySet: string, table: EntityTable, body: Record<string, unknown>): Row {
    const rules = REFERENCE_FIELDS[entitySet] ?? {};
    const fields = validateFields(body, rules, REFERENCE_READ_ONLY, ENTITY_TYPE_NAMES[entitySet] ?? entitySet);
    const code = str(fields.code ?? '');
    if (code === '') throw mustHaveValue('Code', entitySet, "Code=''");
    if (table.find((r) => r.code === code)) {
      throw sameKeyExists(entitySet, `Code='${code}'`);
    }
    const defaults: Row = Object.fromEntries(
      Object.entries(rules).map(([key, rule]) => [
        key,
        rule.type === 'number' ? 0 : rule.type === 'boolean' ? false : '',
      ]),
    );
    const row = table.put({
      ...defaults,
      ...fields,
      id: randomUUID(),
      displayName: str(fields.displayName ?? code),
      lastModifiedDateTime: this.nowIso(),
    });
    if (entitySet === 'taxGroups') {
      row.taxType = company.taxModel === 'W1' ? 'VAT' : 'Sales Tax';
      company.taxRates.set(code, 0);
    }
    return row;
  }

  /** PATCH on the same pages. */
  updateReference(entitySet: string, table: EntityTable, id: string, body: Record<string, unknown>): Row {
    const row = table.get(id);
    if (row === undefined) throw notFound(ENTITY_TYPE_NAMES[entitySet] ?? entitySet, id);
    const fields = validateFields(
      body,
      REFERENCE_FIELDS[entitySet] ?? {},
      REFERENCE_READ_ONLY,
      ENTITY_TYPE_NAMES[entitySet] ?? entitySet,
    );
    if (fields.code !== undefined && fields.code !== row.code && table.find((r) => r.code === fields.code)) {
      throw sameKeyExists(entitySet, `Code='${str(fields.code)}'`);
    }
    return table.put({ ...row, ...fields, id: str(row.id), lastModifiedDateTime: this.nowIso() });
  }

  /** POST of a line on a draft (APIV2PurchaseInvoiceLines.Page.al): the same rules as a line of the deep insert. */
  createPurchaseInvoiceLine(company: CompanyState, invoiceId: string, body: Record<string, unknown>): Row {
    const invoice = this.draftOf(company, invoiceId);
    const line = validateFields(
      body,
      LINE_FIELDS,
      ['id', 'amountExcludingTax', 'amountIncludingTax', 'totalTaxAmount', 'taxPercent'],
      'purchaseInvoiceLine',
      ['dimensionSetLines'],
    );
    const existing = this.linesOf(company, str(invoice.id));
    const sequence =
      typeof line.sequence === 'number'
        ? line.sequence
        : Math.max(0, ...existing.map((l) => Number(l.sequence))) + 10000;
    if (existing.some((l) => Number(l.sequence) === sequence)) {
      throw dialog('You cannot insert a line with a duplicate sequence number.');
    }
    const headerFields = company.tableFields.get(str(invoice.id)) ?? {};
    const vendor = company.vendors.get(str(invoice.vendorId));
    const taxContext: TaxContext = {
      vatBusPostingGroup: headerFields.vatBusPostingGroup ?? '',
      taxAreaCode: headerFields.taxAreaCode ?? '',
      taxLiable: vendor?.taxLiable === true,
    };
    const built = this.buildLine(
      company,
      str(invoice.id),
      randomUUID(),
      sequence,
      line,
      invoice.pricesIncludeTax === true,
      taxContext,
    );
    const dims = this.resolveDimensionSet(
      company,
      body.dimensionSetLines,
      built.id,
      'Purchase Invoice Line',
      this.lineInheritedDimensions(company, company.dimensionSetLines.get(str(invoice.id)) ?? [], built),
    );
    company.purchaseInvoiceLines.put(built);
    company.dimensionSetLines.set(built.id, dims);
    this.refreshTotals(company, invoice);
    return built;
  }

  /** PATCH of a draft's line: quantity, cost, discount and description (the line's object stays). */
  updatePurchaseInvoiceLine(company: CompanyState, lineId: string, body: Record<string, unknown>): Row {
    const existing = company.purchaseInvoiceLines.get(lineId);
    if (existing === undefined) throw notFound('Purch. Inv. Line Aggregate', lineId);
    const invoice = this.draftOf(company, str(existing.documentId));
    const fields = validateFields(
      body,
      LINE_FIELDS,
      ['id', 'amountExcludingTax', 'amountIncludingTax', 'totalTaxAmount', 'taxPercent'],
      'purchaseInvoiceLine',
    );
    if (fields.lineObjectNumber !== undefined && fields.lineObjectNumber !== existing.lineObjectNumber) {
      throw dialog('The value for "lineObjectNumber" cannot be modified.');
    }
    if (fields.sequence !== undefined && fields.sequence !== existing.sequence) {
      throw dialog('The value for sequence cannot be modified. Delete and insert the line again.');
    }
    const merged: Row = { ...existing, ...fields };
    const headerFields = company.tableFields.get(str(invoice.id)) ?? {};
    const vendor = company.vendors.get(str(invoice.vendorId));
    const rebuilt = this.buildLine(
      company,
      str(invoice.id),
      str(existing.id),
      Number(existing.sequence),
      {
        lineType: str(existing.lineType),
        lineObjectNumber: str(existing.lineObjectNumber),
        description: str(merged.description),
        quantity: Number(merged.quantity),
        unitCost: Number(merged.unitCost),
        discountPercent: Number(merged.discountPercent),
        taxCode: str(merged.taxCode),
        ...(str(merged.unitOfMeasureCode) !== '' ? { unitOfMeasureCode: str(merged.unitOfMeasureCode) } : {}),
      },
      invoice.pricesIncludeTax === true,
      {
        vatBusPostingGroup: headerFields.vatBusPostingGroup ?? '',
        taxAreaCode: headerFields.taxAreaCode ?? '',
        taxLiable: vendor?.taxLiable === true,
      },
    );
    company.purchaseInvoiceLines.put(rebuilt);
    this.refreshTotals(company, invoice);
    return rebuilt;
  }

  /**
   * POST of a dimension set line on a draft's line: a dimension already in the set (inherited defaults
   * included) fails (APIV2DimensionSetLines.Page.al:172-197, :282-285).
   */
  createDimensionSetLine(company: CompanyState, lineId: string, body: Record<string, unknown>): Row {
    const { line, kind } = this.draftLine(company, lineId);
    const current = company.dimensionSetLines.get(str(line.id)) ?? [];
    const set = this.resolveDimensionSet(company, [body], str(line.id), kind.lineDimParent, current);
    company.dimensionSetLines.set(str(line.id), set);
    return set[set.length - 1] ?? {};
  }

  /** PATCH of a line's dimension value; the dimension itself cannot change (APIV2DimensionSetLines.Page.al:201-216). */
  updateDimensionSetLine(
    company: CompanyState,
    lineId: string,
    dimensionId: string,
    body: Record<string, unknown>,
  ): Row {
    const { line, kind } = this.draftLine(company, lineId);
    const current = company.dimensionSetLines.get(str(line.id)) ?? [];
    const index = current.findIndex((d) => d.id === dimensionId.toLowerCase());
    const entry = current[index];
    if (entry === undefined) throw notFound('Dimension Set Line Buffer', dimensionId);
    for (const key of ['id', 'code']) {
      const value = body[key];
      if (typeof value === 'string' && value.toUpperCase() !== str(entry[key]).toUpperCase()) {
        throw dialog('The "id" and "code" fields cannot be modified.');
      }
    }
    const rest = current.filter((_, i) => i !== index);
    const [updated] = this.resolveDimensionSet(
      company,
      [{ code: str(entry.code), ...pickValue(body) }],
      str(line.id),
      kind.lineDimParent,
      [],
    );
    if (updated === undefined) throw dialog('The "valueId" or "valueCode" field must be filled in.');
    current.splice(0, current.length, ...rest.slice(0, index), updated, ...rest.slice(index));
    return updated;
  }

  /** A line of a draft invoice or credit memo (both line pages are views of Purch. Inv. Line Aggregate). */
  private draftLine(company: CompanyState, lineId: string): { line: Row; kind: PurchaseDocKind } {
    for (const kind of [INVOICE_KIND, CREDIT_MEMO_KIND]) {
      const line = company[kind.linesSet].get(lineId);
      if (line === undefined) continue;
      const document = company[kind.entitySet].get(str(line.documentId));
      if (document === undefined) throw notFound('Purch. Inv. Entity Aggregate', str(line.documentId));
      if (document.status !== 'Draft') throw dialog('The invoice has been posted and can no longer be modified.');
      return { line, kind };
    }
    throw notFound('Purch. Inv. Line Aggregate', lineId);
  }

  private draftOf(company: CompanyState, invoiceId: string): Row {
    const invoice = company.purchaseInvoices.get(invoiceId);
    if (invoice === undefined) throw notFound('Purch. Inv. Entity Aggregate', invoiceId);
    if (invoice.status !== 'Draft') throw dialog('The invoice has been posted and can no longer be modified.');
    return invoice;
  }

  /** The header totals follow every line change (PurchInvAggregator.Codeunit.al:105-127, :753). */
  private refreshTotals(company: CompanyState, invoice: Row): void {
    const lines = this.linesOf(company, str(invoice.id));
    const sum = (field: string): number => round2(lines.reduce((acc, l) => acc + Number(l[field] ?? 0), 0));
    company.purchaseInvoices.put({
      ...invoice,
      id: str(invoice.id),
      totalAmountExcludingTax: sum('amountExcludingTax'),
      totalTaxAmount: sum('totalTaxAmount'),
      totalAmountIncludingTax: sum('amountIncludingTax'),
      lastModifiedDateTime: this.nowIso(),
    });
    this.options.onChange(company.id, 'purchaseInvoices', str(invoice.id), 'updated');
  }

  /** DELETE of a draft (the invoice page's and the credit memo page's OnDeleteRecord, :614-618). */
  deletePurchaseInvoice(company: CompanyState, id: string, kind: PurchaseDocKind = INVOICE_KIND): void {
    const invoice = company[kind.entitySet].get(id);
    if (invoice === undefined) throw notFound('Purch. Inv. Entity Aggregate', id);
    if (invoice.status !== 'Draft') throw dialog('The invoice has been posted and can no longer be modified.');
    for (const line of this.linesOf(company, str(invoice.id), kind)) {
      company[kind.linesSet].rows.delete(str(line.id));
      company.dimensionSetLines.delete(str(line.id));
    }
    company[kind.entitySet].rows.delete(str(invoice.id));
    company.dimensionSetLines.delete(str(invoice.id));
    this.options.onChange(company.id, kind.entitySet, str(invoice.id), 'deleted');
  }
}

export function notFound(table: string, id: string): BcSimError {
  return new BcSimError(
    404,
    'Internal_RecordNotFound',
    `The ${table} does not exist. Identification fields and values: SystemId='{${id.toUpperCase()}}'`,
  );
}

/** The No. an insert gets: the one sent or, when that is blank, the next from the table's number series. */
function insertNumber(table: EntityTable, tableName: string, sent: unknown, nextInSeries: () => string): string {
  const number = typeof sent === 'string' && sent !== '' ? sent : nextInSeries();
  if (table.find((r) => r.number === number)) throw sameKeyExists(tableName, `No.='${number}'`);
  return number;
}

/** A PATCH that changes No. to one another record holds is refused. */
function checkRenumber(table: EntityTable, tableName: string, row: Row, sent: unknown): void {
  if (typeof sent === 'string' && sent !== row.number && table.find((r) => r.number === sent)) {
    throw sameKeyExists(tableName, `No.='${sent}'`);
  }
}

/** An insert, or a rename, onto the primary key another record of the table already holds. */
function sameKeyExists(table: string, key: string): BcSimError {
  return new BcSimError(
    400,
    'Internal_EntityWithSameKeyExists',
    `The record in table ${table} already exists. Identification fields and values: ${key}`,
  );
}

export type { Json };

/** Vendor.Table.al:929-931 via MailManagement.Codeunit.al:191-198: exactly one '@', a local part and a dotted domain. */
function isValidEmail(address: string): boolean {
  const trimmed = address.trim();
  const parts = trimmed.split('@');
  if (parts.length !== 2) return false;
  const [local, domain] = parts as [string, string];
  return /^[^\s@]+$/.test(local) && /^[^\s@.]+(\.[^\s@.]+)+$/.test(domain);
}

/** VATRegistrationNoFormat.Table.al:279-305: same length; `#` a digit, `@` a letter, `?` anything, else equal. */
function matchesVatFormat(value: string, format: string): boolean {
  if (value.length !== format.length) return false;
  for (let i = 0; i < value.length; i += 1) {
    const f = format[i] ?? '';
    const c = value[i] ?? '';
    if (f === '#' ? !/[0-9]/.test(c) : f === '@' ? !/[A-Z]/i.test(c) : f !== '?' && f !== c) return false;
  }
  return true;
}

/** What a line's tax depends on, taken from the vendor when the header is created. */
export interface TaxContext {
  vatBusPostingGroup: string;
  taxAreaCode: string;
  taxLiable: boolean;
}

function taxContextFields(tax: TaxContext): TableFields {
  return { vatBusPostingGroup: tax.vatBusPostingGroup, taxAreaCode: tax.taxAreaCode };
}

function throwDialog(message: string): never {
  throw dialog(message);
}

function pickValue(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (body.valueId !== undefined) out.valueId = body.valueId;
  if (body.valueCode !== undefined) out.valueCode = body.valueCode;
  return out;
}
