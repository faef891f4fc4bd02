/** Builders for Cin7 purchases and BC reference data, shaped from reference/cin7-core-api.md §3.7. */
import { randomUUID } from 'node:crypto';
import type { BcAccount } from '../../src/bc/schemas.js';
import type {
  Cin7InvoiceLine,
  Cin7Purchase,
  Cin7PurchaseCreditNote,
  Cin7PurchaseInvoice,
} from '../../src/cin7/schemas.js';
import type { BcReferenceData } from '../../src/mapping/reference-data.js';

export function buildLine(overrides: Partial<Cin7InvoiceLine> = {}): Cin7InvoiceLine {
  return {
    ProductID: randomUUID(),
    SKU: 'OLIVE-OIL-1L',
    Name: 'Extra virgin olive oil 1 L',
    Quantity: 12,
    Price: 8.5,
    Discount: 0,
    Tax: 10.2,
    TaxRule: 'Tax on Purchases',
    Account: '5000',
    Comment: undefined,
    Total: 102,
    ...overrides,
  };
}

export function buildInvoice(overrides: Partial<Cin7PurchaseInvoice> = {}): Cin7PurchaseInvoice {
  return {
    TaskID: randomUUID(),
    InvoiceNumber: 'INV-1001',
    InvoiceDate: '2026-11-20T00:00:00.000Z',
    InvoiceDueDate: '2026-12-20T00:00:00.000Z',
    Status: 'AUTHORISED',
    Lines: [buildLine()],
    AdditionalCharges: [],
    TotalBeforeTax: 102,
    Tax: 10.2,
    Total: 112.2,
    Paid: undefined,
    ...overrides,
  };
}

export function buildCreditNote(overrides: Partial<Cin7PurchaseCreditNote> = {}): Cin7PurchaseCreditNote {
  return {
    TaskID: randomUUID(),
    CreditNoteNumber: 'CR-1001',
    CreditNoteInvoiceNumber: 'INV-1001',
    CreditNoteDate: '2026-11-25T00:00:00.000Z',
    Status: 'AUTHORISED',
    Lines: [buildLine()],
    AdditionalCharges: [],
    Refunds: [],
    Unstock: [],
    TotalBeforeTax: 102,
    Tax: 10.2,
    Total: 112.2,
    ...overrides,
  };
}

export function buildPurchase(overrides: Partial<Cin7Purchase> = {}): Cin7Purchase {
  const id = overrides.ID ?? randomUUID();
  return {
    ID: id,
    SupplierID: randomUUID(),
    Supplier: 'Tuscan Groves Ltd',
    Approach: 'INVOICE',
    BlindReceipt: false,
    BaseCurrency: 'USD',
    SupplierCurrency: 'USD',
    CurrencyRate: 1,
    TaxRule: 'Tax on Purchases',
    TaxCalculation: 'Exclusive',
    Terms: '30 days',
    Location: 'Main Warehouse',
    Note: undefined,
    InventoryAccount: '5000',
    OrderNumber: 'PO-00042',
    OrderDate: '2026-11-01T00:00:00.000Z',
    Status: 'INVOICED',
    Type: 'Advanced Purchase',
    CombinedInvoiceStatus: 'INVOICED',
    LastUpdatedDate: '2026-11-20T10:00:00.000Z',
    Invoice: [buildInvoice()],
    CreditNote: [],
    ...overrides,
  };
}

export function buildAccount(overrides: Partial<BcAccount> = {}): BcAccount {
  return {
    id: randomUUID(),
    number: '5000',
    displayName: 'Purchases',
    category: 'Cost of Goods Sold',
    accountType: 'Posting',
    directPosting: true,
    blocked: false,
    ...overrides,
  };
}

export function buildReference(overrides: Partial<BcReferenceData> = {}): BcReferenceData {
  const accounts = [buildAccount(), buildAccount({ number: '6100', displayName: 'Freight in' })];
  return {
    localCurrencyCode: 'USD',
    accounts: new Map(accounts.map((a) => [a.number, a])),
    items: new Map(),
    taxCodes: new Map([
      ['TAX ON PURCHASES', { code: 'TAX ON PURCHASES', displayName: 'Tax on Purchases' }],
      ['GST', { code: 'GST', displayName: 'Goods and services tax 10%' }],
    ]),
    currencies: new Set(['EUR', 'GBP']),
    dimensions: new Map([
      ['AREA', new Set(['EAST', 'WEST'])],
      ['DEPARTMENT', new Set(['PURCHASING', 'SALES'])],
    ]),
    vendors: new Map(),
    ...overrides,
  };
}
