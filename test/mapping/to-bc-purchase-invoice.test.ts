import { describe, expect, it } from 'vitest';
import { MappingIndex } from '../../src/mapping/reference-data.js';
import { toBcPurchaseInvoice, type TranslateInput } from '../../src/mapping/to-bc-purchase-invoice.js';
import type { Mapping } from '../../src/core/ports/stores.js';
import { buildAccount, buildInvoice, buildLine, buildPurchase, buildReference } from '../support/build-purchase.js';

function translate(overrides: Partial<TranslateInput> = {}, mappings: Mapping[] = []) {
  const purchase = overrides.purchase ?? buildPurchase();
  return toBcPurchaseInvoice({
    purchase,
    invoice: overrides.invoice ?? purchase.Invoice[0]!,
    vendorNumber: 'vendorNumber' in overrides ? overrides.vendorNumber : 'V00010',
    reference: overrides.reference ?? buildReference(),
    mappings: overrides.mappings ?? new MappingIndex(mappings),
    options: {
      lineMode: 'account',
      vendorInvoiceNumberFallback: 'order-number',
      postingDatePolicy: 'invoice-date',
      today: '2026-11-28',
      ...overrides.options,
    },
    ...(overrides.productCategories ? { productCategories: overrides.productCategories } : {}),
    ...(overrides.productUnits ? { productUnits: overrides.productUnits } : {}),
  });
}

describe('toBcPurchaseInvoice', () => {
  it('when every reference resolves by default, then the body carries vendor, dates, account lines with unitCost and tax', () => {
    const result = translate();
    expect(result).toMatchObject({
      ok: true,
      expectedTotal: 112.2,
      vendorInvoiceNumber: 'INV-1001',
      body: {
        vendorNumber: 'V00010',
        vendorInvoiceNumber: 'INV-1001',
        invoiceDate: '2026-11-20',
        postingDate: '2026-11-20',
        dueDate: '2026-12-20',
        currencyCode: '',
        pricesIncludeTax: false,
        purchaseInvoiceLines: [
          {
            sequence: 10000,
            lineType: 'Account',
            lineObjectNumber: '5000',
            quantity: 12,
            unitCost: 8.5,
            taxCode: 'TAX ON PURCHASES',
          },
        ],
      },
    });
  });

  it('when several mappings are missing, then every gap is listed at once and no body is produced', () => {
    const purchase = buildPurchase({
      SupplierCurrency: 'JPY',
      Invoice: [buildInvoice({ Lines: [buildLine({ Account: '715' }), buildLine({ TaxRule: 'Zero rated imports' })] })],
    });
    const result = translate({ purchase, vendorNumber: undefined }, [
      { kind: 'dimension-default', source: '*', target: 'AREA=NORTH' },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.missing).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^vendor:Tuscan Groves Ltd/),
        expect.stringMatching(/^currency:JPY/),
        expect.stringMatching(/^account:715 /),
        expect.stringMatching(/^tax:Zero rated imports/),
        expect.stringMatching(/^dimension:AREA=NORTH/),
      ]),
    );
    expect(result.missing).toHaveLength(5);
  });

  it.each([
    [{ accountType: 'Heading' }, /account type is Heading/],
    [{ directPosting: false }, /direct posting is off/],
    [{ blocked: true }, /blocked/],
  ])('when the BC account is %j, then it is a gap, not a guess', (patch, message) => {
    const reference = buildReference({ accounts: new Map([['5000', buildAccount(patch)]]) });
    const result = translate({ reference });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.missing[0]).toMatch(message);
  });

  it('when an account mapping exists, then it overrides the same-number default', () => {
    const result = translate({}, [{ kind: 'account', source: '5000', target: '6100' }]);
    expect(result.ok && result.body.purchaseInvoiceLines[0]?.lineObjectNumber).toBe('6100');
  });

  it('when the supplier bills in a foreign currency BC knows, then the currency code is sent', () => {
    const result = translate({ purchase: buildPurchase({ SupplierCurrency: 'eur' }) });
    expect(result.ok && result.body.currencyCode).toBe('EUR');
  });

  it('when the purchase is tax-inclusive, then prices are sent as including tax', () => {
    const result = translate({ purchase: buildPurchase({ TaxCalculation: 'Inclusive' }) });
    expect(result.ok && result.body.pricesIncludeTax).toBe(true);
  });

  it('when there is a freight charge, then it becomes an account line with its own account', () => {
    const purchase = buildPurchase({
      Invoice: [
        buildInvoice({
          AdditionalCharges: [
            {
              Description: 'Freight',
              Reference: 'CON-7',
              Quantity: 1,
              Price: 45,
              Discount: 0,
              Tax: 4.5,
              TaxRule: 'GST',
              Account: '6100',
              Total: 49.5,
            },
          ],
        }),
      ],
    });
    const result = translate({ purchase });
    expect(result.ok && result.body.purchaseInvoiceLines[1]).toMatchObject({
      sequence: 20000,
      lineType: 'Account',
      lineObjectNumber: '6100',
      description: 'Freight (CON-7)',
      unitCost: 45,
      taxCode: 'GST',
    });
  });

  it('when line mode is auto and only one SKU is a BC item, then that line is an item line and the other an account line', () => {
    const reference = buildReference({
      items: new Map([
        ['OLIVE-OIL-1L', { id: 'i1', number: 'OLIVE-OIL-1L', displayName: 'Olive oil', blocked: false }],
      ]),
      unitsOfMeasure: new Map([['PCS', { code: 'PCS', displayName: 'Piece' }]]),
    });
    const purchase = buildPurchase({
      Invoice: [buildInvoice({ Lines: [buildLine(), buildLine({ SKU: 'UNKNOWN-SKU' })] })],
    });
    const result = translate({
      purchase,
      reference,
      productUnits: new Map([['OLIVE-OIL-1L', 'PCS']]),
      options: {
        lineMode: 'auto',
        vendorInvoiceNumberFallback: 'none',
        postingDatePolicy: 'invoice-date',
        today: '2026-11-28',
      },
    });
    expect(result.ok && result.body.purchaseInvoiceLines.map((l) => [l.lineType, l.lineObjectNumber])).toEqual([
      ['Item', 'OLIVE-OIL-1L'],
      ['Account', '5000'],
    ]);
  });

  it('when line mode is item and a SKU has no BC item, then it is a gap', () => {
    const result = translate({
      options: {
        lineMode: 'item',
        vendorInvoiceNumberFallback: 'none',
        postingDatePolicy: 'invoice-date',
        today: '2026-11-28',
      },
    });
    expect(!result.ok && result.missing).toEqual(['item:OLIVE-OIL-1L (no BC item OLIVE-OIL-1L)']);
  });

  it('when dimension rules apply, then the more specific rule wins per dimension and every line carries them', () => {
    const result = translate({ productCategories: new Map([['OLIVE-OIL-1L', 'Oils']]) }, [
      { kind: 'dimension-default', source: '*', target: 'AREA=EAST' },
      { kind: 'dimension-default', source: '*', target: 'DEPARTMENT=SALES' },
      { kind: 'dimension-location', source: 'main warehouse', target: 'AREA=WEST' },
      { kind: 'dimension-category', source: 'Oils', target: 'DEPARTMENT=PURCHASING' },
    ]);
    expect(result.ok && result.body.purchaseInvoiceLines[0]?.dimensionSetLines).toEqual([
      { code: 'AREA', valueCode: 'WEST' },
      { code: 'DEPARTMENT', valueCode: 'PURCHASING' },
    ]);
  });

  it('when the supplier invoice number is blank, then the order number is used, numbered per invoice on multi-invoice purchases', () => {
    const first = buildInvoice({ InvoiceNumber: undefined });
    const second = buildInvoice({ InvoiceNumber: '' });
    const purchase = buildPurchase({ OrderNumber: 'po-00077', Invoice: [first, second] });
    expect(translate({ purchase, invoice: second }).ok && translate({ purchase, invoice: second })).toMatchObject({
      vendorInvoiceNumber: 'PO-00077-2',
    });
    expect(
      translate({ purchase: buildPurchase({ OrderNumber: 'PO-1', Invoice: [first] }), invoice: first }),
    ).toMatchObject({ vendorInvoiceNumber: 'PO-1' });
  });

  it('when the supplier invoice number is blank and no fallback is allowed, then it is a gap', () => {
    const invoice = buildInvoice({ InvoiceNumber: '  ' });
    const result = translate({
      purchase: buildPurchase({ Invoice: [invoice] }),
      invoice,
      options: {
        lineMode: 'account',
        vendorInvoiceNumberFallback: 'none',
        postingDatePolicy: 'invoice-date',
        today: '2026-11-28',
      },
    });
    expect(!result.ok && result.missing[0]).toMatch(/^invoice:supplier invoice number is blank/);
  });

  it("when the supplier invoice number exceeds 35 characters, then it is a gap naming BC's limit", () => {
    const invoice = buildInvoice({ InvoiceNumber: 'X'.repeat(36) });
    const result = translate({ purchase: buildPurchase({ Invoice: [invoice] }), invoice });
    expect(!result.ok && result.missing[0]).toMatch(/longer than 35 characters/);
  });

  it('when the posting date policy is today, then the posting date is today and the invoice date is kept', () => {
    const result = translate({
      options: {
        lineMode: 'account',
        vendorInvoiceNumberFallback: 'none',
        postingDatePolicy: 'today',
        today: '2026-11-28',
      },
    });
    expect(result.ok && [result.body.invoiceDate, result.body.postingDate]).toEqual(['2026-11-20', '2026-11-28']);
  });

  it('when a line description is longer than BC allows, then it is cut to 100 characters', () => {
    const invoice = buildInvoice({ Lines: [buildLine({ Name: 'N'.repeat(150) })] });
    const result = translate({ purchase: buildPurchase({ Invoice: [invoice] }), invoice });
    expect(result.ok && result.body.purchaseInvoiceLines[0]?.description).toHaveLength(100);
  });

  describe('default dimensions (BC sets them itself; sending one again fails the deep insert)', () => {
    const rules: Mapping[] = [
      { kind: 'dimension-default', source: '*', target: 'AREA=EAST' },
      { kind: 'dimension-default', source: '*', target: 'DEPARTMENT=SALES' },
    ];
    const sent = (result: ReturnType<typeof translate>) =>
      result.ok ? result.body.purchaseInvoiceLines.map((l) => l.dimensionSetLines ?? []) : undefined;
    const planned = (result: ReturnType<typeof translate>) =>
      result.ok ? result.lineDimensions.map((l) => l.dimensions) : undefined;
    const both = [
      { code: 'AREA', valueCode: 'EAST' },
      { code: 'DEPARTMENT', valueCode: 'SALES' },
    ];

    it('when the vendor defaults a rule dimension, agreeing or not, then the line leaves it out and still plans it', () => {
      for (const value of ['EAST', 'WEST']) {
        const reference = buildReference({
          defaultDimensions: {
            vendors: new Map([['V00010', new Map([['AREA', value]])]]),
            items: new Map(),
            unattributed: new Set(),
          },
        });
        const result = translate({ reference }, rules);
        expect(sent(result)).toEqual([[{ code: 'DEPARTMENT', valueCode: 'SALES' }]]);
        expect(planned(result)).toEqual([both]);
      }
    });

    it('when some G/L account defaults a dimension (whose, BC does not say), then account lines leave it out', () => {
      const reference = buildReference({
        defaultDimensions: { vendors: new Map(), items: new Map(), unattributed: new Set(['DEPARTMENT']) },
      });
      const result = translate({ reference }, rules);
      expect(sent(result)).toEqual([[{ code: 'AREA', valueCode: 'EAST' }]]);
      expect(planned(result)).toEqual([both]);
    });

    it("when an item defaults a dimension, then only that item's lines leave it out", () => {
      const reference = buildReference({
        items: new Map([['OLIVE-OIL-1L', { id: 'i1', number: 'OLIVE-OIL-1L', displayName: 'Olive oil' }]]),
        unitsOfMeasure: new Map([['PCS', { code: 'PCS' }]]),
        defaultDimensions: {
          vendors: new Map(),
          items: new Map([['OLIVE-OIL-1L', new Map([['AREA', 'WEST']])]]),
          unattributed: new Set(['AREA']),
        },
      });
      const purchase = buildPurchase({
        Invoice: [buildInvoice({ Lines: [buildLine(), buildLine({ SKU: 'OTHER' })] })],
      });
      const result = translate(
        {
          purchase,
          reference,
          productUnits: new Map([['OLIVE-OIL-1L', 'PCS']]),
          options: {
            lineMode: 'auto',
            vendorInvoiceNumberFallback: 'none',
            postingDatePolicy: 'invoice-date',
            today: '2026-11-28',
          },
        },
        rules,
      );
      expect(sent(result)).toEqual([
        [{ code: 'DEPARTMENT', valueCode: 'SALES' }],
        [{ code: 'DEPARTMENT', valueCode: 'SALES' }],
      ]);
      expect(planned(result)).toEqual([both, both]);
    });

    it('when no default dimensions are known, then every rule dimension is sent in the deep insert', () => {
      expect(sent(translate({}, rules))).toEqual([both]);
    });
  });

  describe('units of measure on item lines', () => {
    const itemReference = buildReference({
      items: new Map([
        ['OLIVE-OIL-1L', { id: 'i1', number: 'OLIVE-OIL-1L', displayName: 'Olive oil', baseUnitOfMeasureCode: 'PCS' }],
      ]),
      unitsOfMeasure: new Map([
        ['PCS', { code: 'PCS', displayName: 'Piece' }],
        ['BOX', { code: 'BOX', displayName: 'Box of 12' }],
      ]),
    });
    const itemOptions = {
      lineMode: 'item' as const,
      vendorInvoiceNumberFallback: 'order-number' as const,
      postingDatePolicy: 'invoice-date' as const,
      today: '2026-11-28',
    };
    const unitOf = (result: ReturnType<typeof translate>) =>
      result.ok ? result.body.purchaseInvoiceLines[0]?.unitOfMeasureCode : result.missing;

    it("when the Cin7 product counts in a unit BC knows by name, then the line sends BC's code for it", () => {
      const result = translate({
        reference: itemReference,
        options: itemOptions,
        productUnits: new Map([['OLIVE-OIL-1L', 'box of 12']]),
      });
      expect(unitOf(result)).toBe('BOX');
    });

    it('when a unit mapping names the BC code for the Cin7 unit, then the mapping wins', () => {
      const result = translate(
        { reference: itemReference, options: itemOptions, productUnits: new Map([['OLIVE-OIL-1L', 'Carton']]) },
        [{ kind: 'unit', source: 'BOX', target: 'Carton' }],
      );
      expect(unitOf(result)).toBe('BOX');
    });

    it("when the Cin7 unit matches no BC unit, then it is a gap, not the item's purchase unit", () => {
      const result = translate({
        reference: itemReference,
        options: itemOptions,
        productUnits: new Map([['OLIVE-OIL-1L', 'Pallet']]),
      });
      expect(unitOf(result)).toEqual(['unit:Pallet (line "Extra virgin olive oil 1 L": no BC unit of measure Pallet)']);
    });

    it('when the Cin7 product has no unit, then it is a gap', () => {
      const result = translate({ reference: itemReference, options: itemOptions });
      expect(unitOf(result)).toEqual([
        'unit:OLIVE-OIL-1L (the Cin7 product has no unit of measure to send for BC item OLIVE-OIL-1L)',
      ]);
    });

    it('when the line is an account line, then no unit is sent', () => {
      expect(unitOf(translate({ productUnits: new Map([['OLIVE-OIL-1L', 'Pallet']]) }))).toBeUndefined();
    });
  });
});
