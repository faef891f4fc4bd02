/**
 * The pure tax translation: how a Cin7 invoice's amounts become BC lines in a VAT or a sales-tax company, and
 * how the company's model is configured (`BC_TAX_MODEL`).
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadSettings } from '../../src/config/settings.js';
import { defaultSyncSettings } from '../../src/core/settings.js';
import { MappingIndex } from '../../src/mapping/reference-data.js';
import { lineAmounts, toBcPurchaseInvoice, type TranslateOptions } from '../../src/mapping/to-bc-purchase-invoice.js';
import { buildInvoice, buildLine, buildPurchase, buildReference } from '../support/build-purchase.js';
import { requiredSettings } from '../support/settings-env.js';

/** A tax-inclusive Cin7 purchase: 12 × 8.50 (102.00 incl. 9.27 tax) and 3 × 9.99 less 10 % (26.97 incl. 2.45). */
function inclusivePurchase() {
  const lines = [
    buildLine({ Quantity: 12, Price: 8.5, Tax: 9.27, Total: 102 }),
    buildLine({ Quantity: 3, Price: 9.99, Discount: 10, Tax: 2.45, Total: 26.97 }),
  ];
  return buildPurchase({
    TaxCalculation: 'Inclusive',
    Invoice: [buildInvoice({ Lines: lines, TotalBeforeTax: 117.25, Tax: 11.72, Total: 128.97 })],
  });
}

function translate(purchase: ReturnType<typeof buildPurchase>, taxModel: TranslateOptions['taxModel']) {
  return toBcPurchaseInvoice({
    purchase,
    invoice: purchase.Invoice[0]!,
    vendorNumber: 'V00010',
    reference: buildReference(),
    mappings: new MappingIndex([]),
    options: {
      lineMode: 'account',
      vendorInvoiceNumberFallback: 'order-number',
      postingDatePolicy: 'invoice-date',
      today: '2026-11-28',
      ...(taxModel ? { taxModel } : {}),
    },
  });
}

describe('tax-inclusive invoices by BC tax model', () => {
  it('when the company uses VAT, then a tax-inclusive invoice keeps Cin7 prices and discounts with prices including tax', () => {
    const result = translate(inclusivePurchase(), 'vat');

    expect(result.ok && result.body.pricesIncludeTax).toBe(true);
    expect(result.ok && result.body.purchaseInvoiceLines.map((l) => [l.unitCost, l.discountPercent])).toEqual([
      [8.5, undefined],
      [9.99, 10],
    ]);
  });

  it('when no tax model is given, then translation behaves as VAT (the BC_TAX_MODEL default)', () => {
    const result = translate(inclusivePurchase(), undefined);

    expect(result.ok && result.body.pricesIncludeTax).toBe(true);
    expect(defaultSyncSettings.taxModel).toBe('vat');
  });

  it("when the company uses sales tax, then a tax-inclusive invoice is sent tax-exclusive with Cin7's net per unit and no discount", () => {
    const result = translate(inclusivePurchase(), 'sales-tax');

    expect(result.ok && result.body.pricesIncludeTax).toBe(false);
    expect(
      result.ok && result.body.purchaseInvoiceLines.map((l) => [l.quantity, l.unitCost, l.discountPercent]),
    ).toEqual([
      [12, 7.7275, undefined],
      [3, 8.17333, undefined],
    ]);
  });

  it('when the company uses sales tax, then a tax-exclusive invoice is sent as Cin7 has it', () => {
    const result = translate(buildPurchase({ TaxCalculation: 'Exclusive' }), 'sales-tax');

    expect(result.ok && result.body.pricesIncludeTax).toBe(false);
    expect(result.ok && result.body.purchaseInvoiceLines.map((l) => l.unitCost)).toEqual([8.5]);
  });
});

describe('lineAmounts', () => {
  it.each([
    // quantity, Cin7 tax-inclusive total, Cin7 tax
    [1, 10, 0.91],
    [3, 26.97, 2.45],
    [7, 100, 9.09],
    [12, 102, 9.27],
    [999, 12345.67, 1122.33],
    [0.5, 4.99, 0.45],
  ])(
    'when quantity %s totals %s including %s tax, then quantity × unit cost rounds back to the net to the cent',
    (quantity, total, tax) => {
      const { unitCost } = lineAmounts({ Quantity: quantity, Price: 0, Discount: 0, Tax: tax, Total: total }, true);

      expect(Math.round(quantity * unitCost * 100) / 100).toBe(Math.round((total - tax) * 100) / 100);
    },
  );

  it('when the quantity is zero, then the unit cost is the Cin7 price (the line amounts to nothing either way)', () => {
    expect(lineAmounts({ Quantity: 0, Price: 5, Discount: 0, Tax: 0, Total: 0 }, true)).toEqual({ unitCost: 5 });
  });
});

describe('BC_TAX_MODEL', () => {
  it('when it is absent, then the company is taken as VAT', () => {
    expect(loadSettings(requiredSettings).behaviour.taxModel).toBe('vat');
  });

  it('when it is sales-tax, then the settings say so', () => {
    expect(loadSettings({ ...requiredSettings, BC_TAX_MODEL: 'sales-tax' }).behaviour.taxModel).toBe('sales-tax');
  });

  it('when it is anything else, then start-up fails naming the setting', () => {
    expect(() => loadSettings({ ...requiredSettings, BC_TAX_MODEL: 'NA' })).toThrow(ConfigError);
    expect(() => loadSettings({ ...requiredSettings, BC_TAX_MODEL: 'NA' })).toThrow(/BC_TAX_MODEL/);
  });
});
