/**
 * zod shapes of what Cin7 Core returns (reference/cin7-core-api.md). API field names are kept as Cin7 spells
 * them. Unknown fields are tolerated (stripped); a missing required field is a validation error.
 */
import { z } from 'zod';

const isoNoZone = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const dayMonthYear = /^(\d{2})\/(\d{2})\/(\d{4})$/;

/**
 * Parses every date format Cin7 uses (reference §2): ISO with or without `Z` (no zone means UTC),
 * date-only `yyyy-MM-dd`, and `dd/MM/yyyy` in webhook payloads. Returns an ISO string in UTC, or undefined.
 */
export function parseCin7Date(value: string): string | undefined {
  const trimmed = value.trim();
  const iso = isoNoZone.exec(trimmed);
  if (iso) {
    const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone] = iso;
    if (!isCalendarDate(y, mo, d)) return undefined;
    const text = `${y}-${mo}-${d}T${h}:${mi}:${s}${frac.slice(0, 4)}${zone === undefined ? 'Z' : zone}`;
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
  }
  const dmy = dayMonthYear.exec(trimmed);
  if (dmy) {
    const [, d, mo, y] = dmy;
    if (!isCalendarDate(y, mo, d)) return undefined;
    const ms = Date.parse(`${y}-${mo}-${d}T00:00:00Z`);
    return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
  }
  return undefined;
}

/** V8 rolls `2018-02-31` over to 3 March instead of rejecting it; a finance date must not move silently. */
function isCalendarDate(year: string | undefined, month: string | undefined, day: string | undefined): boolean {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** A Cin7 date-time: accepted in any documented format, emitted as an ISO UTC string. */
export const Cin7Date = z.string().transform((value, ctx) => {
  const parsed = parseCin7Date(value);
  if (parsed === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `not a date Cin7 is known to send: ${JSON.stringify(value.slice(0, 40))}`,
    });
    return z.NEVER;
  }
  return parsed;
});
export const OptionalCin7Date = z
  .union([Cin7Date, z.literal(''), z.null(), z.undefined()])
  .transform((v) => (v === '' || v === null ? undefined : v))
  .optional();

/** Cin7 sends some numbers as strings (`"10.0000000000"`); accept both. */
export const Cin7Number = z.union([
  z.number(),
  z
    .string()
    .regex(/^-?\d+(\.\d+)?$/)
    .transform(Number),
]);
const OptionalText = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined)
  .optional();

/** A number Cin7 may leave out or send as null: absent either way. */
const OptionalNumber = Cin7Number.nullish()
  .transform((v) => v ?? undefined)
  .optional();

/** A list Cin7 may leave out or send as null: empty either way. */
function listOrEmpty<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .nullish()
    .transform((v) => v ?? []);
}

// ------------------------------------------------------------------------------------------------ purchases

export const Cin7PurchaseListRow = z.object({
  ID: z.string(),
  OrderNumber: z.string(),
  Status: z.string(),
  Supplier: OptionalText,
  SupplierID: OptionalText,
  InvoiceNumber: OptionalText,
  InvoiceStatus: OptionalText,
  CombinedInvoiceStatus: OptionalText,
  Type: OptionalText,
  LastUpdatedDate: OptionalCin7Date,
});
export type Cin7PurchaseListRow = z.infer<typeof Cin7PurchaseListRow>;

/**
 * The priced part that Purchase Invoice Line Model and Purchase Invoice Additional Charge Model document
 * alike (openapi.yaml:1066-1080 and 1082-1094): price, discount, tax, tax rule, account and line total.
 */
const Cin7PricedLine = z.object({
  Price: Cin7Number,
  Discount: Cin7Number.nullish().transform((v) => v ?? 0),
  Tax: Cin7Number.nullish().transform((v) => v ?? 0),
  TaxRule: OptionalText,
  Account: OptionalText,
  Total: Cin7Number,
});

export const Cin7InvoiceLine = Cin7PricedLine.extend({
  ProductID: OptionalText,
  SKU: OptionalText,
  Name: z.string(),
  Quantity: Cin7Number,
  Comment: OptionalText,
});
export type Cin7InvoiceLine = z.infer<typeof Cin7InvoiceLine>;

export const Cin7AdditionalCharge = Cin7PricedLine.extend({
  Description: z.string(),
  Reference: OptionalText,
  Quantity: Cin7Number.nullish().transform((v) => v ?? 1),
});
export type Cin7AdditionalCharge = z.infer<typeof Cin7AdditionalCharge>;

/**
 * What an invoice stage and a credit note stage of GET advanced-purchase document alike: the task, its status,
 * lines and additional charges of the same two models, and the totals before and of tax (openapi.yaml:1587-1617).
 */
const Cin7PurchaseStage = z.object({
  TaskID: z.string(),
  Status: z.string(),
  Lines: listOrEmpty(Cin7InvoiceLine),
  AdditionalCharges: listOrEmpty(Cin7AdditionalCharge),
  TotalBeforeTax: OptionalNumber,
  Tax: OptionalNumber,
});

/** One invoice stage of GET advanced-purchase (openapi.yaml:1587-1602, Advanced Purchase Invoice Model). */
export const Cin7PurchaseInvoice = Cin7PurchaseStage.extend({
  InvoiceNumber: OptionalText,
  InvoiceDate: OptionalCin7Date,
  InvoiceDueDate: OptionalCin7Date,
  Total: Cin7Number,
  Paid: OptionalNumber,
});
export type Cin7PurchaseInvoice = z.infer<typeof Cin7PurchaseInvoice>;

/**
 * One credit note stage of GET advanced-purchase (openapi.yaml:1604-1617, Advanced Purchase Credit Note Model;
 * `CreditNoteInvoiceNumber`, the credited invoice's `InvoiceNumber`, is in the example at openapi.yaml:3788 though
 * not in the model table). Status is NOT AVAILABLE, DRAFT, AUTHORISED or VOIDED, never PAID (openapi.yaml:1611).
 * `Refunds` (money the supplier paid back) and `Unstock` are read only to say they are not posted (README).
 */
export const Cin7PurchaseCreditNote = Cin7PurchaseStage.extend({
  CreditNoteNumber: OptionalText,
  CreditNoteInvoiceNumber: OptionalText,
  CreditNoteDate: OptionalCin7Date,
  Refunds: listOrEmpty(z.object({ Amount: OptionalNumber })),
  Unstock: listOrEmpty(z.object({ SKU: OptionalText, Quantity: OptionalNumber })),
  // A voided credit note comes back with no lines and zero totals; a placeholder's total is 0 too.
  Total: Cin7Number.nullish().transform((v) => v ?? 0),
});
export type Cin7PurchaseCreditNote = z.infer<typeof Cin7PurchaseCreditNote>;

/**
 * Cin7 fills an empty stage list with one stand-in whose status is NOT AVAILABLE ("not ready for
 * processing"), whose TaskID is the purchase ID and whose number and totals are empty (openapi.yaml:1751-1764;
 * status values at openapi.yaml:1595). It is not an invoice: dropped here, so a purchase without an invoice
 * reads as one with no invoice stage, and no ledger row is ever keyed by the stand-in's TaskID.
 */
function isPlaceholderStage(stage: { Status: string }): boolean {
  return stage.Status.trim().toUpperCase() === 'NOT AVAILABLE';
}

/** A stage list of GET /advanced-purchase: absent or null is empty, and the stand-in stage is dropped. */
function stageList<S extends { Status: string }>(stage: z.ZodType<S>) {
  return listOrEmpty(stage).transform((stages) => stages.filter((one) => !isPlaceholderStage(one)));
}

/** GET /advanced-purchase: every stage list, `Invoice` included, is an array (openapi.yaml:1750). */
export const Cin7Purchase = z.object({
  ID: z.string(),
  SupplierID: z.string(),
  Supplier: z.string(),
  Approach: OptionalText.transform((v) => v?.toUpperCase()),
  BlindReceipt: z.boolean().nullish(),
  BaseCurrency: OptionalText,
  SupplierCurrency: OptionalText,
  CurrencyRate: OptionalNumber,
  TaxRule: OptionalText,
  TaxCalculation: OptionalText,
  Terms: OptionalText,
  Location: OptionalText,
  Note: OptionalText,
  InventoryAccount: OptionalText,
  OrderNumber: z.string(),
  OrderDate: OptionalCin7Date,
  Status: z.string(),
  Type: OptionalText,
  CombinedInvoiceStatus: OptionalText,
  LastUpdatedDate: OptionalCin7Date,
  Invoice: stageList(Cin7PurchaseInvoice),
  /** The same stand-in rule as `Invoice` (openapi.yaml:1734-1747): a purchase without credit notes has none here. */
  CreditNote: stageList(Cin7PurchaseCreditNote),
});
export type Cin7Purchase = z.infer<typeof Cin7Purchase>;

// ------------------------------------------------------------------------------------------------ suppliers

export const Cin7Address = z.object({
  ID: OptionalText,
  Line1: OptionalText,
  Line2: OptionalText,
  City: OptionalText,
  State: OptionalText,
  Postcode: OptionalText,
  Country: OptionalText,
  Type: OptionalText,
  DefaultForType: z.boolean().nullish(),
});
export type Cin7Address = z.infer<typeof Cin7Address>;

export const Cin7Contact = z.object({
  ID: OptionalText,
  Name: OptionalText,
  Phone: OptionalText,
  MobilePhone: OptionalText,
  Email: OptionalText,
  Website: OptionalText,
  Default: z.boolean().nullish(),
});
export type Cin7Contact = z.infer<typeof Cin7Contact>;

export const Cin7Supplier = z.object({
  ID: z.string(),
  Name: z.string(),
  Currency: OptionalText,
  PaymentTerm: OptionalText,
  AccountPayable: OptionalText,
  TaxRule: OptionalText,
  TaxNumber: z
    .union([z.string(), z.number(), z.null(), z.undefined()])
    .transform((v) => (v === null || v === undefined || v === '' ? undefined : String(v))),
  Status: OptionalText,
  Discount: OptionalNumber,
  Comments: OptionalText,
  LastModifiedOn: OptionalCin7Date,
  Addresses: listOrEmpty(Cin7Address),
  Contacts: listOrEmpty(Cin7Contact),
});
export type Cin7Supplier = z.infer<typeof Cin7Supplier>;

/** What we send to POST/PUT /supplier (ID only on PUT). */
export interface Cin7SupplierInput {
  ID?: string;
  Name: string;
  Currency: string;
  PaymentTerm: string;
  AccountPayable: string;
  TaxRule: string;
  Status: 'Active' | 'Deprecated';
  TaxNumber?: string;
  Addresses?: Array<{
    ID?: string;
    Line1: string;
    Line2?: string;
    City?: string;
    State?: string;
    Postcode?: string;
    Country: string;
    Type: 'Billing' | 'Business' | 'Shipping';
    DefaultForType?: boolean;
  }>;
  Contacts?: Array<{ ID?: string; Name: string; Phone?: string; Email?: string; Website?: string; Default?: boolean }>;
}

// ------------------------------------------------------------------------------------------------ products

export const Cin7Product = z.object({
  ID: z.string(),
  SKU: z.string(),
  Name: z.string(),
  Category: OptionalText,
  Type: OptionalText,
  CostingMethod: OptionalText,
  UOM: OptionalText,
  Status: OptionalText,
  Barcode: OptionalText,
  PriceTier1: OptionalNumber,
  LastModifiedOn: OptionalCin7Date,
});
export type Cin7Product = z.infer<typeof Cin7Product>;

/** What we send to POST/PUT /product (ID only on PUT; Type is read-only on PUT). */
export interface Cin7ProductInput {
  ID?: string;
  SKU: string;
  Name: string;
  Category: string;
  Type?: 'Stock' | 'Service';
  CostingMethod: string;
  UOM: string;
  Status: 'Active' | 'Deprecated';
  Barcode?: string;
  PriceTier1?: number;
}

// ------------------------------------------------------------------------------------------------ reference data

export const Cin7Account = z.object({
  Code: z.string(),
  Name: z.string(),
  Type: OptionalText,
  Class: OptionalText,
  Status: OptionalText,
});
export type Cin7Account = z.infer<typeof Cin7Account>;

export const Cin7TaxRule = z.object({
  ID: OptionalText,
  Name: z.string(),
  TaxInclusive: z.boolean().nullish(),
  TaxPercent: OptionalNumber,
  IsActive: z.boolean().nullish(),
  IsTaxForPurchase: z.boolean().nullish(),
});
export type Cin7TaxRule = z.infer<typeof Cin7TaxRule>;

export const Cin7PaymentTerm = z.object({
  ID: OptionalText,
  Name: z.string(),
  Duration: OptionalNumber,
  Method: OptionalText,
  IsActive: z.boolean().nullish(),
});
export type Cin7PaymentTerm = z.infer<typeof Cin7PaymentTerm>;

export const Cin7NamedRef = z.object({ ID: OptionalText, Name: z.string() });
export type Cin7NamedRef = z.infer<typeof Cin7NamedRef>;

export const Cin7Me = z.object({
  Company: OptionalText,
  Currency: OptionalText,
  TimeZone: OptionalText,
});
export type Cin7Me = z.infer<typeof Cin7Me>;

// ------------------------------------------------------------------------------------------------ webhooks

/**
 * A webhook as GET/POST/PUT /webhooks return it. Those answers carry credentials in clear: `ExternalPassword`,
 * `ExternalBearerToken` and the values of `ExternalHeaders` (openapi.yaml:62025-62049 and the example at
 * openapi.yaml:28610-28618). None is declared here, so parsing drops them (zod strips unknown keys) and no
 * webhook value the connector logs, stores or reports can hold a secret (I7).
 */
export const Cin7Webhook = z.object({
  ID: z.string(),
  Type: z.string(),
  Name: OptionalText,
  IsActive: z.boolean(),
  ExternalURL: z.string(),
  ExternalAuthorizationType: OptionalText,
});
export type Cin7Webhook = z.infer<typeof Cin7Webhook>;

/** What we send to POST /webhooks (openapi.yaml:62179-62198) and PUT /webhooks (openapi.yaml:62091-62114, with ID). */
export interface Cin7WebhookInput {
  ID?: string;
  Type: string;
  IsActive: boolean;
  ExternalURL: string;
  /** dear-inventory-apikey-ruby.yaml:4883 (nnhansg/dear-openapi): `noauth`, `basicauth` or `bearerauth`. */
  ExternalAuthorizationType: 'noauth' | 'basicauth' | 'bearerauth';
  ExternalUserName?: string;
  ExternalPassword?: string;
  ExternalBearerToken?: string;
  /** Extra headers sent with every delivery, as `{Key, Value}` pairs (openapi.yaml:62015-62024). */
  ExternalHeaders?: Array<{ Key: string; Value: string }>;
}

// ------------------------------------------------------------------------------------------------ envelopes and errors

/**
 * A paged list envelope `{Total, Page, <ListKey>: [...]}` (reference §2). Rows stay `unknown` here so the
 * client can parse each one on its own and name the record that does not fit.
 */
export function Cin7PageEnvelope(listKey: string) {
  return z.looseObject({ Total: Cin7Number, Page: Cin7Number.nullish() }).transform((envelope, ctx) => {
    const rows: unknown = envelope[listKey];
    if (rows === undefined || rows === null) return { Total: envelope.Total, rows: [] as unknown[] };
    if (!Array.isArray(rows)) {
      ctx.addIssue({ code: 'custom', path: [listKey], message: 'expected an array' });
      return z.NEVER;
    }
    return { Total: envelope.Total, rows: rows as unknown[] };
  });
}

/** `{"Webhooks":[...]}`: GET, POST, PUT and DELETE /webhooks (reference §7.1); not paged. */
export const Cin7WebhookEnvelope = z.object({
  Webhooks: listOrEmpty(z.unknown()),
});

/** Cin7's error model (reference §1.3), bare or as the items of an array. */
export const Cin7ErrorItem = z.object({
  ErrorCode: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]),
  Exception: z.string().nullish(),
});
export type Cin7ErrorItem = z.infer<typeof Cin7ErrorItem>;
