/**
 * Cin7's docs disagree on who issues a purchase invoice's `InvoiceNumber` (openapi.yaml:1594 says
 * "auto-generated"; the purchase list says "issued by Supplier"). `invoiceNumberOrigin` picks the reading.
 */
import { describe, expect, it } from 'vitest';
import { defaultSyncSettings } from '../../src/core/settings.js';
import { chooseVendorInvoiceNumber } from '../../src/mapping/to-bc-purchase-invoice.js';
import { buildInvoice, buildPurchase } from '../support/build-purchase.js';
import { addAuthorisedPurchase, addSupplierWithVendor } from '../support/seed.js';
import { announceInvoice, bcInvoices, firstInvoice, sandboxPerTest } from '../support/invariant-sandbox.js';

describe('vendor invoice number by invoice number origin', () => {
  const invoice = buildInvoice({ InvoiceNumber: 'inv-00103/2' });
  const purchase = buildPurchase({ OrderNumber: 'PO-00102', Invoice: [invoice] });
  const fallback = { vendorInvoiceNumberFallback: 'order-number' } as const;

  it('when no origin is set, then the documented default is supplier', () => {
    expect(defaultSyncSettings.invoiceNumberOrigin).toBe('supplier');
  });

  it("when the number is the supplier's own, then BC gets it as it is (upper-cased)", () => {
    expect(chooseVendorInvoiceNumber(purchase, invoice, { ...fallback, invoiceNumberOrigin: 'supplier' })).toBe(
      'INV-00103/2',
    );
  });

  it("when Cin7 issues the number, then BC gets it behind the order number, so it cannot equal a supplier's own number", () => {
    expect(chooseVendorInvoiceNumber(purchase, invoice, { ...fallback, invoiceNumberOrigin: 'cin7' })).toBe(
      'PO-00102/INV-00103/2',
    );
  });

  it('when Cin7 issues the number and the invoice has none, then the order-number fallback applies unchanged', () => {
    const blank = buildInvoice({ InvoiceNumber: undefined });
    expect(
      chooseVendorInvoiceNumber(buildPurchase({ OrderNumber: 'PO-00102', Invoice: [blank] }), blank, {
        ...fallback,
        invoiceNumberOrigin: 'cin7',
      }),
    ).toBe('PO-00102');
  });
});

describe('CIN7_INVOICE_NUMBER_ORIGIN end to end', () => {
  const start = sandboxPerTest();

  it.each([
    ['cin7', (order: string, number: string) => `${order}/${number}`],
    ['supplier', (_order: string, number: string) => number],
  ] as const)(
    'when CIN7_INVOICE_NUMBER_ORIGIN is %s, then the BC invoice carries the vendor invoice number that origin calls for',
    async (origin, expected) => {
      // Arrange
      const sb = await start({ env: { CIN7_INVOICE_NUMBER_ORIGIN: origin } });
      const { supplier } = addSupplierWithVendor(sb);
      const purchase = addAuthorisedPurchase(sb, supplier.ID, {}, { InvoiceNumber: 'INV-00103' });

      // Act
      await announceInvoice(sb, purchase);
      await sb.settle();

      // Assert
      const number = firstInvoice(purchase).InvoiceNumber ?? '';
      expect(number).toBe('INV-00103');
      expect(bcInvoices(sb).map((i) => [i.status, i.vendorInvoiceNumber])).toEqual([
        ['Open', expected(purchase.OrderNumber, number).toUpperCase()],
      ]);
    },
  );
});
