/**
 * Pure translation of one Cin7 purchase invoice into a BC deep-insert body (DESIGN §2 Translation).
 * Every reference is resolved against BC reference data and operator mappings; every gap is collected,
 * never guessed, so the record can be parked as `needs-mapping` with the whole list (DESIGN §3.2).
 */
import type { BcPurchaseInvoiceCreate, BcPurchaseInvoiceLineCreate } from '../bc/schemas.js';
import type { InvoiceNumberOrigin, LineMode, TaxModel } from '../core/settings.js';
import type { Cin7AdditionalCharge, Cin7InvoiceLine, Cin7Purchase, Cin7PurchaseInvoice } from '../cin7/schemas.js';
import type { BcReferenceData, MappingIndex } from './reference-data.js';

export interface TranslateOptions {
  lineMode: LineMode;
  /** What to send as vendor invoice number when Cin7's is blank. */
  vendorInvoiceNumberFallback: 'order-number' | 'none';
  /** Who issues Cin7's `InvoiceNumber` (`CIN7_INVOICE_NUMBER_ORIGIN`); default `supplier`. */
  invoiceNumberOrigin?: InvoiceNumberOrigin;
  postingDatePolicy: 'invoice-date' | 'today';
  /** The BC company's tax (`BC_TAX_MODEL`); default `vat`. */
  taxModel?: TaxModel;
  /** Today's date (YYYY-MM-DD) in the company's terms; passed in so translation stays pure. */
  today: string;
  /**
   * False for a page that does not take `pricesIncludeTax` (the credit memo page,
   * APIV2PurchaseCreditMemos.Page.al:403-406): tax-inclusive Cin7 amounts are then sent net of Cin7's own tax,
   * as for sales tax. Default true.
   */
  pricesIncludeTaxWritable?: boolean;
}

export interface TranslateInput {
  purchase: Cin7Purchase;
  invoice: Cin7PurchaseInvoice;
  /** The BC vendor number resolved for the supplier, or undefined when that is a gap. */
  vendorNumber: string | undefined;
  reference: BcReferenceData;
  mappings: MappingIndex;
  /** SKU → Cin7 category, only needed when category dimension rules exist. */
  productCategories?: ReadonlyMap<string, string>;
  /** Upper-cased SKU → the Cin7 product's unit of measure, for item lines. */
  productUnits?: ReadonlyMap<string, string>;
  options: TranslateOptions;
}

/** The dimensions one line of the draft must carry, whether sent in the create or set on the draft after it. */
export interface LineDimensions {
  sequence: number;
  lineObjectNumber: string;
  dimensions: Array<{ code: string; valueCode: string }>;
}

export type TranslateResult =
  | {
      ok: true;
      body: BcPurchaseInvoiceCreate;
      expectedTotal: number;
      vendorInvoiceNumber: string;
      /** Every line's full set of the connector's dimensions; the body sends only those BC will not default. */
      lineDimensions: LineDimensions[];
    }
  | { ok: false; missing: string[] };

/** BC Code[35] (reference §3.1): longer numbers cannot be stored. */
const maxVendorInvoiceNumberLength = 35;
/** BC Text[100] for line descriptions. */
const maxDescriptionLength = 100;

export function toBcPurchaseInvoice(input: TranslateInput): TranslateResult {
  const { purchase, invoice, reference, mappings, options } = input;
  const gaps = new GapList();

  if (input.vendorNumber === undefined) gaps.add(unmatchedVendorGap(purchase));

  const vendorInvoiceNumber = chooseVendorInvoiceNumber(purchase, invoice, options, gaps);
  const currencyCode = resolveCurrency(purchase.SupplierCurrency ?? purchase.BaseCurrency, reference, mappings, gaps);

  const taxInclusive = (purchase.TaxCalculation ?? '').toUpperCase() === 'INCLUSIVE';
  // NA sales tax refuses "prices include tax" (SalesTaxCalculate.Codeunit.al:987): send the net instead.
  const netOfTax = taxInclusive && (options.taxModel === 'sales-tax' || options.pricesIncludeTaxWritable === false);
  const lines: BcPurchaseInvoiceLineCreate[] = [];
  const lineDimensions: LineDimensions[] = [];
  const headerDimensions = dimensionsFor(purchase, undefined, input, gaps);
  const addLine = (line: BcPurchaseInvoiceLineCreate, dimensions: Array<{ code: string; valueCode: string }>) => {
    const sent = dimensionsToSend(line, dimensions, input);
    lines.push({ ...line, ...(sent.length > 0 ? { dimensionSetLines: sent } : {}) });
    lineDimensions.push({ sequence: line.sequence, lineObjectNumber: line.lineObjectNumber, dimensions });
  };
  for (const line of invoice.Lines) {
    const sequence = (lines.length + 1) * 10000;
    const target = resolveProductLine(line, purchase, input, gaps);
    const dimensions = line.SKU ? dimensionsFor(purchase, line.SKU, input, gaps) : headerDimensions;
    const unit = target?.lineType === 'Item' ? resolveUnit(line, target.number, input, gaps) : undefined;
    addLine(
      {
        sequence,
        lineType: target?.lineType ?? 'Account',
        lineObjectNumber: target?.number ?? '',
        description: describeLine(line.Name, line.Comment),
        quantity: line.Quantity,
        ...lineAmounts(line, netOfTax),
        ...(unit !== undefined ? { unitOfMeasureCode: unit } : {}),
        ...optionalTax(resolveTax(line.TaxRule ?? purchase.TaxRule, reference, mappings, gaps)),
      },
      dimensions,
    );
  }
  for (const charge of invoice.AdditionalCharges) {
    const sequence = (lines.length + 1) * 10000;
    const account = resolveAccount(charge.Account, reference, mappings, gaps, `charge "${charge.Description}"`);
    addLine(
      {
        sequence,
        lineType: 'Account',
        lineObjectNumber: account ?? '',
        description: describeLine(charge.Description, charge.Reference),
        quantity: charge.Quantity,
        ...lineAmounts(charge, netOfTax),
        ...optionalTax(resolveTax(charge.TaxRule ?? purchase.TaxRule, reference, mappings, gaps)),
      },
      headerDimensions,
    );
  }
  if (lines.length === 0) gaps.add('invoice:no lines (nothing to post)');

  if (!gaps.isEmpty() || input.vendorNumber === undefined || vendorInvoiceNumber === undefined) {
    return { ok: false, missing: gaps.list() };
  }

  const invoiceDate = datePart(invoice.InvoiceDate) ?? options.today;
  const dueDate = datePart(invoice.InvoiceDueDate);
  const body: BcPurchaseInvoiceCreate = {
    vendorNumber: input.vendorNumber,
    vendorInvoiceNumber,
    invoiceDate,
    postingDate: options.postingDatePolicy === 'today' ? options.today : invoiceDate,
    ...(dueDate !== undefined ? { dueDate } : {}),
    currencyCode: currencyCode ?? '',
    pricesIncludeTax: taxInclusive && !netOfTax,
    purchaseInvoiceLines: lines,
  };
  return { ok: true, body, expectedTotal: invoice.Total, vendorInvoiceNumber, lineDimensions };
}

/** Collects gaps once each, in the order found. */
class GapList {
  private readonly gaps = new Set<string>();
  add(gap: string): void {
    this.gaps.add(gap);
  }
  isEmpty(): boolean {
    return this.gaps.size === 0;
  }
  list(): string[] {
    return [...this.gaps];
  }
}

/** The gap of a purchase whose supplier resolves to no BC vendor (the dry run names it the same way). */
export function unmatchedVendorGap(purchase: Pick<Cin7Purchase, 'Supplier' | 'SupplierID'>): string {
  return (
    `vendor:${purchase.Supplier} ` +
    `(Cin7 supplier ${purchase.SupplierID}: no mapping and no BC vendor with the same tax number or name)`
  );
}

/**
 * Cin7's invoice number (prefixed with the order number when Cin7, not the supplier, issued it), else (when
 * allowed) the order number. Upper-cased because BC stores Code[35] upper-cased, so the duplicate look-up
 * compares like with like.
 */
export function chooseVendorInvoiceNumber(
  purchase: Cin7Purchase,
  invoice: Cin7PurchaseInvoice,
  options: Pick<TranslateOptions, 'vendorInvoiceNumberFallback' | 'invoiceNumberOrigin'>,
  gaps?: GapList,
): string | undefined {
  let number = invoice.InvoiceNumber?.trim();
  if (number && options.invoiceNumberOrigin === 'cin7') number = `${purchase.OrderNumber}/${number}`;
  if (!number && options.vendorInvoiceNumberFallback === 'order-number') {
    // Several invoices without numbers on one purchase must not share a number, or the second is a "duplicate".
    const position = purchase.Invoice.findIndex((i) => i.TaskID === invoice.TaskID);
    number = purchase.Invoice.length > 1 ? `${purchase.OrderNumber}-${position + 1}` : purchase.OrderNumber;
  }
  if (!number) {
    gaps?.add(
      'invoice:supplier invoice number is blank (set it in Cin7, or VENDOR_INVOICE_NUMBER_FALLBACK=order-number)',
    );
    return undefined;
  }
  number = number.toUpperCase();
  if (number.length > maxVendorInvoiceNumberLength) {
    gaps?.add(
      `invoice:supplier invoice number "${number}" ` +
        `is longer than ${maxVendorInvoiceNumberLength} characters (BC limit)`,
    );
    return undefined;
  }
  return number;
}

function resolveCurrency(
  cin7Currency: string | undefined,
  reference: BcReferenceData,
  mappings: MappingIndex,
  gaps: GapList,
): string | undefined {
  if (cin7Currency === undefined || cin7Currency.trim() === '') return '';
  const mapped = mappings.get('currency', cin7Currency);
  const code = (mapped ?? cin7Currency).trim().toUpperCase();
  if (code === '' || code === reference.localCurrencyCode.toUpperCase()) return '';
  if (!reference.currencies.has(code)) {
    gaps.add(`currency:${cin7Currency} (no BC currency ${code})`);
    return undefined;
  }
  return code;
}

function resolveProductLine(
  line: Cin7InvoiceLine,
  purchase: Cin7Purchase,
  input: TranslateInput,
  gaps: GapList,
): { lineType: 'Account' | 'Item'; number: string } | undefined {
  const { reference, mappings, options } = input;
  const sku = line.SKU?.trim();
  const wantItem = options.lineMode === 'item' || options.lineMode === 'auto';
  if (wantItem && sku) {
    const itemNumber = (mappings.get('item', sku) ?? sku).toUpperCase();
    const item = reference.items.get(itemNumber);
    if (item && item.blocked !== true) return { lineType: 'Item', number: item.number };
    if (options.lineMode === 'item') {
      gaps.add(item ? `item:${sku} (BC item ${itemNumber} is blocked)` : `item:${sku} (no BC item ${itemNumber})`);
      return undefined;
    }
  } else if (options.lineMode === 'item') {
    gaps.add(`item:(line "${line.Name}" has no SKU)`);
    return undefined;
  }
  const account = resolveAccount(
    line.Account ?? purchase.InventoryAccount,
    reference,
    mappings,
    gaps,
    `line "${line.Name}"`,
  );
  return account === undefined ? undefined : { lineType: 'Account', number: account };
}

/** A G/L account that exists, is a posting account, allows direct posting and is not blocked. */
function resolveAccount(
  cin7Code: string | undefined,
  reference: BcReferenceData,
  mappings: MappingIndex,
  gaps: GapList,
  where: string,
): string | undefined {
  const code = cin7Code?.trim();
  if (!code) {
    gaps.add(`account:(${where} has no Cin7 account code)`);
    return undefined;
  }
  const number = (mappings.get('account', code) ?? code).trim();
  const account = reference.accounts.get(number);
  if (!account) {
    gaps.add(`account:${code} (no BC G/L account ${number})`);
    return undefined;
  }
  const problems: string[] = [];
  if ((account.accountType ?? 'Posting') !== 'Posting') problems.push(`account type is ${account.accountType}`);
  if (account.directPosting === false) problems.push('direct posting is off');
  if (account.blocked === true) problems.push('blocked');
  if (problems.length > 0) {
    gaps.add(`account:${code} (BC G/L account ${number}: ${problems.join(', ')})`);
    return undefined;
  }
  return account.number;
}

function resolveTax(
  taxRule: string | undefined,
  reference: BcReferenceData,
  mappings: MappingIndex,
  gaps: GapList,
): string | undefined {
  const name = taxRule?.trim();
  if (!name) return undefined;
  const mapped = mappings.get('tax', name);
  const wanted = (mapped ?? name).toUpperCase();
  const byCode = reference.taxCodes.get(wanted);
  if (byCode) return byCode.code;
  if (mapped === undefined) {
    // Default rule: the BC tax code whose code or name equals the Cin7 rule name, case-insensitive.
    for (const tax of reference.taxCodes.values()) {
      if (tax.displayName?.toUpperCase() === wanted) return tax.code;
    }
  }
  gaps.add(`tax:${name} (no BC tax code ${mapped ?? name})`);
  return undefined;
}

/** Unit-cost precision BC keeps by default (General Ledger Setup "Unit-Amount Decimal Places" 2:5). */
const unitCostDecimals = 5;

/**
 * Unit cost and discount of one line. As Cin7 has them, unless `netOfTax`: then the unit cost is Cin7's
 * tax-inclusive line total less Cin7's own line tax, per unit, with the discount already in it, so BC's line
 * amount equals Cin7's net to the cent (exactly for quantities below 1,000; beyond, the 0.000005 unit-cost
 * rounding can reach a cent, which the total reconciliation reports).
 */
export function lineAmounts(
  line: Pick<Cin7InvoiceLine | Cin7AdditionalCharge, 'Quantity' | 'Price' | 'Discount' | 'Tax' | 'Total'>,
  netOfTax: boolean,
): { unitCost: number; discountPercent?: number } {
  if (!netOfTax) return { unitCost: line.Price, ...(line.Discount ? { discountPercent: line.Discount } : {}) };
  const net = round(line.Total - line.Tax, 2);
  if (line.Quantity === 0) return { unitCost: line.Price };
  return { unitCost: round(net / line.Quantity, unitCostDecimals) };
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round((value + Number.EPSILON) * factor) / factor;
}

function optionalTax(taxCode: string | undefined): { taxCode?: string } {
  return taxCode === undefined ? {} : { taxCode };
}

/**
 * Dimension values for the header (sku undefined) or one product line. More specific rules win per
 * dimension: default < location < category < supplier. Every value is checked against BC.
 */
function dimensionsFor(
  purchase: Cin7Purchase,
  sku: string | undefined,
  input: TranslateInput,
  gaps: GapList,
): Array<{ code: string; valueCode: string }> {
  const { mappings, reference } = input;
  const chosen = new Map<string, string>();
  const apply = (rules: Array<{ code: string; value: string }>) => {
    for (const rule of rules) chosen.set(rule.code, rule.value);
  };
  apply(mappings.dimensions('dimension-default', '*'));
  if (purchase.Location) apply(mappings.dimensions('dimension-location', purchase.Location));
  const category = sku === undefined ? undefined : input.productCategories?.get(sku);
  if (category) apply(mappings.dimensions('dimension-category', category));
  apply(mappings.dimensions('dimension-supplier', purchase.Supplier));
  const result: Array<{ code: string; valueCode: string }> = [];
  for (const [code, value] of chosen) {
    const values = reference.dimensions.get(code);
    if (!values) {
      gaps.add(`dimension:${code} (no BC dimension ${code})`);
      continue;
    }
    if (!values.has(value)) {
      gaps.add(`dimension:${code}=${value} (no BC dimension value ${value} for ${code})`);
      continue;
    }
    result.push({ code, valueCode: value });
  }
  return result;
}

/**
 * The dimensions a line can carry in the deep insert: BC gives a new line the vendor's defaults (through the
 * header) and the item's or G/L account's, and a dimension sent again fails the whole insert
 * (APIV2DimensionSetLines.Page.al, LoadLinesFromId). So a dimension BC defaults, or may default (a G/L
 * account's defaults are listed without saying whose), is left to the check of the draft after the create.
 */
function dimensionsToSend(
  line: BcPurchaseInvoiceLineCreate,
  dimensions: ReadonlyArray<{ code: string; valueCode: string }>,
  input: TranslateInput,
): Array<{ code: string; valueCode: string }> {
  const defaults = input.reference.defaultDimensions;
  if (defaults === undefined) return [...dimensions];
  const vendor = input.vendorNumber === undefined ? undefined : defaults.vendors.get(input.vendorNumber);
  const item = line.lineType === 'Item' ? defaults.items.get(line.lineObjectNumber.toUpperCase()) : undefined;
  return dimensions.filter(
    (d) =>
      !vendor?.has(d.code) && !item?.has(d.code) && !(line.lineType === 'Account' && defaults.unattributed.has(d.code)),
  );
}

/**
 * The BC unit for an item line, so BC does not take the item's purchase unit (PurchaseLine.Table.al:4828-4831)
 * while Cin7 counted in the product's unit: the Cin7 product's UOM mapped (a `unit` row maps a BC code to a
 * Cin7 name) or matched by code or display name. A unit that resolves to nothing is a gap, never guessed.
 */
function resolveUnit(
  line: Cin7InvoiceLine,
  itemNumber: string,
  input: TranslateInput,
  gaps: GapList,
): string | undefined {
  const { reference, mappings } = input;
  const sku = line.SKU?.trim() ?? '';
  const cin7Unit = input.productUnits?.get(sku.toUpperCase())?.trim();
  if (cin7Unit === undefined || cin7Unit === '') {
    gaps.add(`unit:${sku} (the Cin7 product has no unit of measure to send for BC item ${itemNumber})`);
    return undefined;
  }
  const mapped = mappings.sourceOf('unit', cin7Unit);
  const units = reference.unitsOfMeasure;
  const wanted = (mapped ?? cin7Unit).toUpperCase();
  const byCode = units?.get(wanted);
  if (byCode) return byCode.code;
  if (mapped === undefined && units) {
    for (const unit of units.values()) if (unit.displayName?.toUpperCase() === wanted) return unit.code;
  }
  gaps.add(`unit:${cin7Unit} (line "${line.Name}": no BC unit of measure ${mapped ?? cin7Unit})`);
  return undefined;
}

function describeLine(name: string, extra: string | undefined): string {
  const text = extra && extra.trim() ? `${name} (${extra.trim()})` : name;
  return text.length > maxDescriptionLength ? `${text.slice(0, maxDescriptionLength - 1)}…` : text;
}

function datePart(iso: string | undefined): string | undefined {
  return iso === undefined ? undefined : iso.slice(0, 10);
}
