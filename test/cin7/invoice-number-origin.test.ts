/**
 * Cin7's docs disagree on who issues a purchase invoice's `InvoiceNumber` (openapi.yaml:1594 says
 * "auto-generated"; the purchase list says "issued by Supplier"). `invoiceNumberOrigin` picks the reading.
 */
import { describe, expect, it } from 'vitest';
import { defaultSyncSettings } from '../../src/core/settings.js';
import { chooseVendorInvoiceNumber } from '../../src/mapping/to-bc-purchase-invoice.js';
import { buildInvoice, buildPurchase } from '../support/build-purchase.js';

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
