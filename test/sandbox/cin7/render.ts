/**
 * Turns simulator state into the JSON Cin7 sends, with the date formats deliberately mixed the way the
 * documentation examples mix them (reference/cin7-core-api.md §2), so the client's date parsing is exercised.
 */
import type { SimCreditNote, SimInvoice, SimLine, SimProduct, SimPurchase, SimSupplier, SimWebhook } from './state.js';

type Json = Record<string, unknown>;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `2018-04-19T04:03:06.52Z`: UTC with `Z`, trailing zeros of the fraction dropped. */
export function isoZ(d: Date): string {
  return d.toISOString().replace(/\.?0+Z$/, 'Z');
}

/** `2012-11-14T13:28:33.363`: the documented format, UTC without a zone. */
export function isoNoZone(d: Date): string {
  return d.toISOString().slice(0, 23);
}

/** `2021-11-02T11:44:45.21`: UTC without a zone, trailing zeros dropped. */
export function isoNoZoneTrimmed(d: Date): string {
  return d
    .toISOString()
    .slice(0, 23)
    .replace(/\.?0+$/, '');
}

/** `2018-04-05T00:00:00`: how document dates (OrderDate, InvoiceDate) come. */
export function midnight(d: Date): string {
  return `${d.toISOString().slice(0, 10)}T00:00:00`;
}

/** `2025-10-27`: date-only, seen in webhook payloads. */
export function dateOnly(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** `29/01/2018`: dd/MM/yyyy, seen for document dates in webhook payloads. */
export function dayMonthYear(d: Date): string {
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}

const activeInvoices = (p: SimPurchase): SimInvoice[] => p.Invoices.filter((i) => i.Status !== 'VOIDED');

export function combinedInvoiceStatus(p: SimPurchase): string {
  const live = activeInvoices(p);
  const done = live.filter((i) => i.Status === 'AUTHORISED' || i.Status === 'PAID');
  if (done.length === 0) return 'NOT INVOICED';
  return done.length === live.length ? 'INVOICED' : 'PARTIALLY INVOICED';
}

function combinedPaymentStatus(p: SimPurchase): string {
  const live = activeInvoices(p);
  if (live.length > 0 && live.every((i) => i.Status === 'PAID')) return 'PAID';
  return 'UNPAID';
}

/** The invoice the list row shows: the newest one that is not voided. */
function headlineInvoice(p: SimPurchase): SimInvoice | undefined {
  const live = activeInvoices(p);
  return live[live.length - 1];
}

/** A row of GET purchaseList (reference §3.2). */
export function purchaseListRow(p: SimPurchase): Json {
  const inv = headlineInvoice(p);
  return {
    ID: p.ID,
    BlindReceipt: p.BlindReceipt,
    OrderNumber: p.OrderNumber,
    Status: p.Status,
    OrderDate: midnight(p.OrderDate),
    InvoiceDate: inv ? midnight(inv.InvoiceDate) : null,
    Supplier: p.Supplier,
    SupplierID: p.SupplierID,
    InvoiceNumber: inv?.InvoiceNumber ?? '',
    InvoiceAmount: activeInvoices(p).reduce((sum, i) => sum + i.Total, 0),
    PaidAmount: activeInvoices(p).reduce((sum, i) => sum + i.Paid, 0),
    InvoiceDueDate: inv ? midnight(inv.InvoiceDueDate) : null,
    RequiredBy: p.RequiredBy ? midnight(p.RequiredBy) : null,
    BaseCurrency: p.BaseCurrency,
    SupplierCurrency: p.SupplierCurrency,
    CreditNoteNumber: p.CreditNotes.at(-1)?.CreditNoteNumber ?? '',
    OrderStatus: 'AUTHORISED',
    StockReceivedStatus: 'NOT AVAILABLE',
    UnstockStatus: 'NOT AVAILABLE',
    InvoiceStatus: inv?.Status ?? 'NOT AVAILABLE',
    CreditNoteStatus: p.CreditNotes.at(-1)?.Status ?? 'NOT AVAILABLE',
    LastUpdatedDate: isoNoZoneTrimmed(p.LastUpdatedDate),
    CombinedReceivingStatus: 'NOT RECEIVED',
    CombinedInvoiceStatus: combinedInvoiceStatus(p),
    CombinedPaymentStatus: combinedPaymentStatus(p),
    Type: p.Type,
    IsServiceOnly: p.IsServiceOnly,
    DropShipTaskID: null,
  };
}

const emptyAddress = {
  DisplayAddressLine1: null,
  DisplayAddressLine2: null,
  Line1: null,
  Line2: null,
  City: null,
  State: null,
  Postcode: null,
  Country: null,
};

/** The purchase header shared by /advanced-purchase and the `Purchase/Updated` webhook. */
function purchaseHeader(p: SimPurchase): Json {
  return {
    ID: p.ID,
    SupplierID: p.SupplierID,
    Supplier: p.Supplier,
    Contact: p.Contact,
    Phone: p.Phone,
    InventoryAccount: p.InventoryAccount,
    BlindReceipt: p.BlindReceipt,
    Approach: p.Approach,
    // Reference §8.8: addresses often come back null.
    BillingAddress: emptyAddress,
    ShippingAddress: { ...emptyAddress, ShipToOther: false, Company: null },
    BaseCurrency: p.BaseCurrency,
    SupplierCurrency: p.SupplierCurrency,
    TaxRule: p.TaxRule,
    TaxCalculation: p.TaxCalculation,
    Terms: p.Terms,
    RequiredBy: p.RequiredBy ? midnight(p.RequiredBy) : null,
    Location: p.Location,
    Note: p.Note,
    OrderNumber: p.OrderNumber,
    OrderDate: midnight(p.OrderDate),
    Status: p.Status,
    Type: p.Type,
    CombinedInvoiceStatus: combinedInvoiceStatus(p),
    CombinedPaymentStatus: combinedPaymentStatus(p),
    CombinedReceivingStatus: 'NOT RECEIVED',
    IsServiceOnly: p.IsServiceOnly,
    RelatedDropShipSaleTask: null,
    CurrencyRate: p.CurrencyRate,
    LastUpdatedDate: isoZ(p.LastUpdatedDate),
    AdditionalAttributes: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`AdditionalAttribute${i + 1}`, ''])),
  };
}

function invoiceLine(line: SimLine): Json {
  return { ...line };
}

function orderStage(p: SimPurchase): Json {
  const source = p.Invoices[0];
  const lines = (source?.Lines ?? []).map(({ Account: _account, ...rest }) => ({ ...rest, SupplierSKU: '' }));
  return {
    Status: 'AUTHORISED',
    Memo: '',
    Lines: lines,
    AdditionalCharges: (source?.AdditionalCharges ?? []).map(({ Account: _account, ...rest }) => rest),
    Prepayments: [],
    TotalBeforeTax: source?.TotalBeforeTax ?? 0,
    Tax: source?.Tax ?? 0,
    Total: source?.Total ?? 0,
  };
}

function invoiceStage(inv: SimInvoice): Json {
  return {
    TaskID: inv.TaskID,
    InvoicingAndReceivingNumber: inv.InvoicingAndReceivingNumber,
    InvoiceNumber: inv.InvoiceNumber,
    InvoiceDate: midnight(inv.InvoiceDate),
    InvoiceDueDate: midnight(inv.InvoiceDueDate),
    Status: inv.Status,
    Lines: inv.Lines.map(invoiceLine),
    AdditionalCharges: inv.AdditionalCharges.map((c) => ({ ...c })),
    Payments: [],
    TotalBeforeTax: inv.TotalBeforeTax,
    Tax: inv.Tax,
    Total: inv.Total,
    Paid: inv.Paid,
  };
}

/**
 * The stand-in Cin7 sends in `Invoice` while a purchase has no invoice: status NOT AVAILABLE, the purchase ID
 * as TaskID, an empty number, no dates and zero amounts (openapi.yaml:1751-1764, advancedPurchase_post example).
 */
function placeholderInvoice(p: SimPurchase): Json {
  return {
    AdditionalCharges: [],
    InvoiceDate: null,
    InvoiceDueDate: null,
    InvoiceNumber: '',
    InvoicingAndReceivingNumber: 0,
    Lines: [],
    Paid: 0,
    Payments: [],
    Status: 'NOT AVAILABLE',
    TaskID: p.ID,
    Tax: 0,
    Total: 0,
    TotalBeforeTax: 0,
  };
}

/**
 * A credit note stage as the example at openapi.yaml:3785-3860 shows it: invoice-model lines, `Refunds` as
 * payment lines, `Unstock` (not modelled: empty). A voided one has no lines and zero totals (state does that).
 */
function creditNoteStage(note: SimCreditNote): Json {
  return {
    TaskID: note.TaskID,
    CreditNoteNumber: note.CreditNoteNumber,
    CreditNoteInvoiceNumber: note.CreditNoteInvoiceNumber,
    CreditNoteDate: midnight(note.CreditNoteDate),
    Status: note.Status,
    Lines: note.Lines.map(invoiceLine),
    AdditionalCharges: note.AdditionalCharges.map((c) => ({ ...c })),
    Refunds: note.Refunds.map((r) => ({ Amount: r.Amount, DatePaid: midnight(r.DatePaid), CurrencyRate: 1 })),
    Unstock: [],
    TotalBeforeTax: note.TotalBeforeTax,
    Tax: note.Tax,
    Total: note.Total,
  };
}

/** The same stand-in in `CreditNote` (openapi.yaml:1734-1746) while the purchase has no credit note. */
function placeholderCreditNote(p: SimPurchase): Json {
  return {
    AdditionalCharges: [],
    CreditNoteDate: null,
    CreditNoteInvoiceNumber: '',
    CreditNoteNumber: '',
    Lines: [],
    Refunds: [],
    Status: 'NOT AVAILABLE',
    TaskID: p.ID,
    Tax: 0,
    Total: 0,
    TotalBeforeTax: 0,
    Unstock: [],
  };
}

/** GET advanced-purchase: stages are arrays (reference §3.4, §3.7), never empty (openapi.yaml:1734, 1751). */
export function advancedPurchase(p: SimPurchase): Json {
  return {
    ...purchaseHeader(p),
    Order: orderStage(p),
    StockReceived: [],
    Invoice: p.Invoices.length === 0 ? [placeholderInvoice(p)] : p.Invoices.map(invoiceStage),
    CreditNote: p.CreditNotes.length === 0 ? [placeholderCreditNote(p)] : p.CreditNotes.map(creditNoteStage),
    ManualJournals: [],
    PutAway: [],
    InventoryMovements: [],
    Attachments: [],
  };
}

/** `Purchase/Updated` webhook item: the header without lines, document dates in webhook formats. */
export function purchaseWebhookItem(p: SimPurchase): Json {
  return {
    ...purchaseHeader(p),
    OrderDate: dayMonthYear(p.OrderDate),
    RequiredBy: p.RequiredBy ? dateOnly(p.RequiredBy) : null,
  };
}

/**
 * A supplier with exactly the fields of the GET supplier example (openapi.yaml:28297 onwards) plus the `ID` of
 * addresses and contacts (Supplier/Customer Address and Contact Models, openapi.yaml:1476, 1490); the
 * customer-only fields (Carrier, SalesRepresentative, AccountReceivable, openapi.yaml:236-241) are not sent.
 */
export function supplierJson(s: SimSupplier): Json {
  return {
    ID: s.ID,
    Name: s.Name,
    Currency: s.Currency,
    PaymentTerm: s.PaymentTerm,
    Discount: s.Discount,
    TaxRule: s.TaxRule,
    Comments: s.Comments,
    AccountPayable: s.AccountPayable,
    // Reference §8.7: typed Int in the docs, sent as a string (or null when empty).
    TaxNumber: s.TaxNumber === '' ? null : s.TaxNumber,
    AttributeSet: null,
    ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`AdditionalAttribute${i + 1}`, null])),
    Status: s.Status,
    LastModifiedOn: isoZ(s.LastModifiedOn),
    Addresses: s.Addresses.map((a) => ({
      Line2: null,
      City: null,
      State: null,
      Postcode: null,
      ...a,
    })),
    Contacts: s.Contacts.map((c) => ({
      Phone: '',
      Fax: '',
      MobilePhone: '',
      Email: '',
      Website: '',
      Comment: '',
      IncludeInEmail: false,
      ...c,
    })),
  };
}

/** `Supplier/Updated` webhook item (reference §7.3). */
export function supplierWebhookItem(s: SimSupplier): Json {
  const { Addresses, Contacts, ...header } = supplierJson(s);
  return { Supplier: { ...header, LastModifiedOn: isoNoZone(s.LastModifiedOn) }, Addresses, Contacts };
}

/** A product with exactly the fields of the POST product answer example (openapi.yaml:9360 onwards). */
export function productJson(p: SimProduct): Json {
  return {
    ID: p.ID,
    SKU: p.SKU,
    Name: p.Name,
    Category: p.Category,
    Brand: '',
    Type: p.Type,
    CostingMethod: p.CostingMethod,
    DropShipMode: 'No Drop Ship',
    DefaultLocation: '',
    Length: 0,
    Width: 0,
    Height: 0,
    Weight: 0,
    UOM: p.UOM,
    Barcode: p.Barcode,
    MinimumBeforeReorder: 0,
    ReorderQuantity: 0,
    PriceTier1: p.PriceTier1,
    ...Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`PriceTier${i + 2}`, 0])),
    PriceTiers: { 'Tier 1': p.PriceTier1 },
    AverageCost: 0,
    ShortDescription: null,
    InternalNote: null,
    Description: null,
    Status: p.Status,
    Sellable: true,
    LastModifiedOn: isoNoZone(p.LastModifiedOn),
    Suppliers: [],
    ReorderLevels: [],
    BillOfMaterialsProducts: [],
    BillOfMaterialsServices: [],
    Movements: [],
    Attachments: [],
  };
}

/** `Product/Updated` webhook item: the header with `Event`, without the child lists (reference §7.3). */
export function productWebhookItem(p: SimProduct, event: string): Json {
  const header = productJson(p);
  for (const key of [
    'Suppliers',
    'ReorderLevels',
    'BillOfMaterialsProducts',
    'BillOfMaterialsServices',
    'Movements',
    'Attachments',
  ]) {
    delete header[key];
  }
  return { Event: event, ...header, CreatedDate: dateOnly(p.CreatedDate) };
}

export function webhookJson(w: SimWebhook): Json {
  return { ...w, ExternalHeaders: w.ExternalHeaders.map((h) => ({ ...h })) };
}
