/**
 * The Cin7 Core simulator's in-memory data. Dates are kept as `Date`; `render.ts` turns them into the mixed
 * string formats Cin7 sends (reference/cin7-core-api.md §2).
 */

export interface SimAddress {
  ID: string;
  Line1: string;
  Line2?: string;
  City?: string;
  State?: string;
  Postcode?: string;
  Country: string;
  Type: 'Billing' | 'Business' | 'Shipping';
  DefaultForType: boolean;
}

export interface SimContact {
  ID: string;
  Name: string;
  Phone?: string;
  Email?: string;
  Website?: string;
  Default: boolean;
}

export interface SimSupplier {
  ID: string;
  Name: string;
  Currency: string;
  PaymentTerm: string;
  AccountPayable: string;
  TaxRule: string;
  /** Reference §4: mixed case `Active` / `Deprecated`. */
  Status: 'Active' | 'Deprecated';
  TaxNumber: string;
  Discount: number;
  Comments: string;
  Addresses: SimAddress[];
  Contacts: SimContact[];
  CreatedDate: Date;
  LastModifiedOn: Date;
}

export interface SimProduct {
  ID: string;
  SKU: string;
  Name: string;
  Category: string;
  Type: 'Stock' | 'Service';
  CostingMethod: string;
  UOM: string;
  /** Reference §5: `Active`, `Setup required` or `Deprecated`. */
  Status: string;
  Barcode: string;
  PriceTier1: number;
  CreatedDate: Date;
  LastModifiedOn: Date;
}

/** The priced part an invoice line and an additional charge have in common. */
export interface SimAmounts {
  Quantity: number;
  Price: number;
  Discount: number;
  Tax: number;
  TaxRule: string;
  Account: string;
  Total: number;
}

export interface SimLine extends SimAmounts {
  ProductID: string | null;
  SKU: string | null;
  Name: string;
  Comment: string;
}

export interface SimCharge extends SimAmounts {
  Description: string;
  Reference: string;
}

export type SimInvoiceStatus = 'DRAFT' | 'AUTHORISED' | 'VOIDED' | 'PAID';

export interface SimInvoice {
  TaskID: string;
  InvoicingAndReceivingNumber: number;
  InvoiceNumber: string;
  InvoiceDate: Date;
  InvoiceDueDate: Date;
  Status: SimInvoiceStatus;
  Lines: SimLine[];
  AdditionalCharges: SimCharge[];
  TotalBeforeTax: number;
  Tax: number;
  Total: number;
  Paid: number;
}

/** Credit note statuses (openapi.yaml:1611): there is no PAID. */
export type SimCreditNoteStatus = 'DRAFT' | 'AUTHORISED' | 'VOIDED';

/** One `CreditNote[]` stage (openapi.yaml:1604-1617; `CreditNoteInvoiceNumber` as in the example at :3788). */
export interface SimCreditNote {
  TaskID: string;
  CreditNoteNumber: string;
  /** The credited invoice's `InvoiceNumber`; blank when the credit note names none. */
  CreditNoteInvoiceNumber: string;
  CreditNoteDate: Date;
  Status: SimCreditNoteStatus;
  Lines: SimLine[];
  AdditionalCharges: SimCharge[];
  /** Refunds received from the supplier (Purchase Payment Line Model, example at openapi.yaml:3818-3825). */
  Refunds: Array<{ Amount: number; DatePaid: Date }>;
  TotalBeforeTax: number;
  Tax: number;
  Total: number;
}

export interface SimPurchase {
  ID: string;
  SupplierID: string;
  Supplier: string;
  Contact: string;
  Phone: string;
  InventoryAccount: string;
  BlindReceipt: boolean;
  Approach: string;
  BaseCurrency: string;
  SupplierCurrency: string;
  CurrencyRate: number;
  TaxRule: string;
  TaxCalculation: 'Inclusive' | 'Exclusive';
  Terms: string;
  RequiredBy: Date | null;
  Location: string;
  Note: string;
  OrderNumber: string;
  OrderDate: Date;
  /** Open string (reference §3.3). Kept in step with the invoices by the helpers unless set explicitly. */
  Status: string;
  Type: 'Simple Purchase' | 'Advanced Purchase' | 'Service Purchase';
  IsServiceOnly: boolean;
  /** `Invoice[]` in /advanced-purchase; a simple purchase has at most one, whose TaskID is the purchase ID. */
  Invoices: SimInvoice[];
  /** `CreditNote[]` in /advanced-purchase. */
  CreditNotes: SimCreditNote[];
  CreatedDate: Date;
  LastUpdatedDate: Date;
}

export interface SimAccount {
  Code: string;
  Name: string;
  Type: string;
  Class: string;
  Status: string;
  Description: string;
}

export interface SimTaxRule {
  ID: string;
  Name: string;
  Account: string;
  TaxInclusive: boolean;
  TaxPercent: number;
  IsActive: boolean;
  IsTaxForSale: boolean;
  IsTaxForPurchase: boolean;
}

/** A tax rule; what `input` leaves out is account 820, tax-exclusive, 0 %, active, for sales and purchases. */
export function taxRule(ID: string, input: Pick<SimTaxRule, 'Name'> & Partial<SimTaxRule>): SimTaxRule {
  const { Name, ...given } = input;
  return {
    ID,
    Name,
    Account: '820',
    TaxInclusive: false,
    TaxPercent: 0,
    IsActive: true,
    IsTaxForSale: true,
    IsTaxForPurchase: true,
    ...given,
  };
}

export interface SimPaymentTerm {
  ID: string;
  Name: string;
  Duration: number;
  Method: string;
  IsActive: boolean;
  IsDefault: boolean;
}

export interface SimNamed {
  ID: string;
  Name: string;
}

export interface SimLocation extends SimNamed {
  IsDefault: boolean;
  Deprecated: boolean;
}

export type SimWebhookAuth = 'noauth' | 'basicauth' | 'bearerauth';

export interface SimWebhook {
  ID: string;
  Type: string;
  Name: string;
  IsActive: boolean;
  ExternalURL: string;
  ExternalAuthorizationType: SimWebhookAuth;
  ExternalUserName: string | null;
  ExternalPassword: string | null;
  ExternalBearerToken: string | null;
  ExternalHeaders: Array<{ Key: string; Value: string }>;
}

export interface Cin7SimState {
  me: { Company: string; Currency: string; TimeZone: string; TaxCalculationMethod: string };
  purchases: SimPurchase[];
  suppliers: SimSupplier[];
  products: SimProduct[];
  accounts: SimAccount[];
  taxRules: SimTaxRule[];
  paymentTerms: SimPaymentTerm[];
  locations: SimLocation[];
  categories: SimNamed[];
  units: SimNamed[];
  webhooks: SimWebhook[];
}

/** The friendly names Cin7 gives webhook types (read-only `Name`). Reference §7.2. */
export const webhookTypeNames: Readonly<Record<string, string>> = {
  'Purchase/OrderAuthorised': 'Purchase order has been authorised',
  'Purchase/InvoiceAuthorised': 'Purchase invoice has been authorised',
  'Purchase/StockReceivedAuthorised': 'Purchase stock received has been authorised',
  'Purchase/CreditNoteAuthorised': 'Purchase credit note has been authorised',
  'Purchase/Updated': 'Purchase has been updated',
  'Supplier/Updated': 'Supplier has been updated',
  'Customer/Updated': 'Customer has been updated',
  'Product/Updated': 'Product has been updated',
  'Stock/AvailableStockLevelChanged': 'Available stock level has been changed',
  'Sale/Created': 'Sale has been created',
  'Sale/OrderAuthorised': 'Sale order has been authorised',
  'Sale/InvoiceAuthorised': 'Sale invoice has been authorised',
};

/** A GUID from a seeded source so runs repeat exactly. */
export function makeGuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((parseInt(hex[16] ?? '8', 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** The reference data a fresh tenant has in the documentation examples (accounts, tax rules, terms...). */
export function createDefaultState(random: () => number): Cin7SimState {
  const id = (): string => makeGuid(random);
  return {
    me: { Company: 'Demo Company (Simulated)', Currency: 'USD', TimeZone: 'UTC', TaxCalculationMethod: 'Row Total' },
    purchases: [],
    suppliers: [],
    products: [],
    accounts: [
      { Code: '200', Name: 'Sales', Type: 'REVENUE', Class: 'REVENUE', Status: 'ACTIVE', Description: '' },
      { Code: '630', Name: 'Inventory', Type: 'CURRENT', Class: 'ASSET', Status: 'ACTIVE', Description: '' },
      { Code: '712', Name: 'Bank', Type: 'BANK', Class: 'ASSET', Status: 'ACTIVE', Description: '' },
      { Code: '715', Name: 'Inventory Control', Type: 'CURRENT', Class: 'ASSET', Status: 'ACTIVE', Description: '' },
      {
        Code: '800',
        Name: 'Accounts Payable',
        Type: 'CURRLIAB',
        Class: 'LIABILITY',
        Status: 'ACTIVE',
        Description: '',
      },
      { Code: '820', Name: 'Sales Tax', Type: 'CURRLIAB', Class: 'LIABILITY', Status: 'ACTIVE', Description: '' },
      { Code: '429', Name: 'General Expenses', Type: 'EXPENSE', Class: 'EXPENSE', Status: 'ACTIVE', Description: '' },
    ],
    taxRules: [
      taxRule(id(), { Name: 'Tax on Purchases', TaxPercent: 10, IsTaxForSale: false }),
      taxRule(id(), { Name: 'Tax Exempt' }),
      taxRule(id(), { Name: 'Tax on Sales', TaxPercent: 10, IsTaxForPurchase: false }),
    ],
    paymentTerms: [
      { ID: id(), Name: '30 days', Duration: 30, Method: 'number of days', IsActive: true, IsDefault: true },
      { ID: id(), Name: '14 days', Duration: 14, Method: 'number of days', IsActive: true, IsDefault: false },
    ],
    locations: [{ ID: id(), Name: 'Main Warehouse', IsDefault: true, Deprecated: false }],
    categories: [{ ID: id(), Name: 'General' }],
    units: [{ ID: id(), Name: 'Item' }],
    webhooks: [],
  };
}
