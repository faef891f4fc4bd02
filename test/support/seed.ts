/**
 * Seeds both simulators so Cin7's defaults (accounts 200…820, "Tax on Purchases" 10 %, USD) resolve in BC
 * by the default matching rules, then adds suppliers with their BC vendors and purchases with invoices.
 */
import type { Sandbox } from '../sandbox/sandbox.js';
import type { AddInvoiceInput, AddPurchaseInput } from '../sandbox/cin7/simulator.js';

export interface SeedReferenceOptions {
  /** BC's rate for the "Tax on Purchases" tax group (default 10, Cin7's rate). */
  purchaseTaxPercent?: number;
}

export function seedMatchingReference(sandbox: Sandbox, options: SeedReferenceOptions = {}): void {
  const { bc } = sandbox;
  bc.setLocalCurrency('USD');
  for (const [number, displayName] of [
    ['200', 'Sales'],
    ['429', 'General expenses'],
    ['630', 'Inventory purchases'],
    ['712', 'Bank'],
    ['715', 'Stock in transit'],
    ['820', 'Freight in'],
  ] as const) {
    bc.addAccount({ number, displayName, accountType: 'Posting', directPosting: true });
  }
  bc.addAccount({
    number: '800',
    displayName: 'Accounts payable (control)',
    accountType: 'Posting',
    directPosting: false,
  });
  bc.addTaxGroup('TAX ON PURCHASES', options.purchaseTaxPercent ?? 10, 'Tax on Purchases');
  bc.addTaxGroup('TAX EXEMPT', 0, 'Tax Exempt');
  bc.addCurrency('EUR', 'Euro');
  bc.addDimension('AREA', ['EAST', 'WEST']);
  bc.addDimension('DEPARTMENT', ['PURCHASING', 'SALES']);
}

let supplierCounter = 0;
let taxNumberCounter = 0;

/** A Cin7 supplier and a BC vendor with the same tax number (the default match). */
export function addSupplierWithVendor(
  sandbox: Sandbox,
  name = `Supplier ${++supplierCounter}`,
  options: { vendor?: boolean; currency?: string } = {},
) {
  // Unique even when names share their first letters (the default match must find exactly one vendor).
  const taxNumber = `TX-${name.replace(/\W/g, '').toUpperCase().slice(0, 10)}-${++taxNumberCounter}`;
  const supplier = sandbox.cin7.addSupplier({
    Name: name,
    TaxNumber: taxNumber,
    ...(options.currency ? { Currency: options.currency } : {}),
  });
  const vendor =
    options.vendor === false
      ? undefined
      : sandbox.bc.addVendor({ displayName: name, taxRegistrationNumber: taxNumber });
  return { supplier, vendor };
}

/** A purchase with one authorised invoice of two lines and (optionally) freight. */
export function addAuthorisedPurchase(
  sandbox: Sandbox,
  supplierId: string,
  overrides: Partial<AddPurchaseInput> = {},
  invoice: Partial<AddInvoiceInput> = {},
) {
  return sandbox.cin7.addPurchase({
    SupplierID: supplierId,
    invoices: [
      {
        Status: 'AUTHORISED',
        Lines: [
          { SKU: 'OIL-1L', Name: 'Olive oil 1 L', Quantity: 12, Price: 8.5 },
          { SKU: 'VIN-500', Name: 'Balsamic vinegar 500 ml', Quantity: 6, Price: 11.25 },
        ],
        ...invoice,
      },
    ],
    ...overrides,
  });
}
