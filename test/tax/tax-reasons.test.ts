/** The reasons that name the BC tax setup to fix: a missing VAT Posting Setup row, a tax-only mismatch. */
import { describe, expect, it } from 'vitest';
import { BcPurchaseInvoice } from '../../src/bc/schemas.js';
import { reasons, vatSetupGap, type TaxCheck } from '../../src/sync/purchase/reasons.js';

describe('tax reasons', () => {
  const draft = (totals: Partial<BcPurchaseInvoice>): BcPurchaseInvoice =>
    BcPurchaseInvoice.parse({ id: 'd1', number: '1001', status: 'Draft', ...totals });
  const check = (overrides: Partial<TaxCheck> = {}): TaxCheck => ({
    model: 'vat',
    vendorNumber: 'V00010',
    cin7Tax: 16.95,
    cin7TotalBeforeTax: 169.5,
    taxCodes: ['TAX ON PURCHASES'],
    ...overrides,
  });

  it('when BC says a VAT Posting Setup row is missing, then the gap names both posting groups', () => {
    const gap = vatSetupGap(
      "The VAT Posting Setup does not exist. Identification fields and values: VAT Bus. Posting Group='EU',VAT Prod. Posting Group='REDUCED'",
    );

    expect(gap).toMatch(/^tax:VAT Posting Setup EU × REDUCED \(/);
  });

  it('when BC refuses for another reason, then it is not a VAT setup gap', () => {
    expect(
      vatSetupGap('The field Tax Group Code of table Purchase Line contains a value (X) that cannot be found'),
    ).toBe(undefined);
  });

  it('when only VAT differs in a VAT company, then the mismatch names the VAT Posting Setup of the vendor and groups', () => {
    const reason = reasons.amountMismatch(
      draft({ totalAmountExcludingTax: 169.5, totalTaxAmount: 25.43, totalAmountIncludingTax: 194.93 }),
      186.45,
      0.01,
      check(),
    );

    expect(reason).toBe(
      'BC total 194.93 differs from Cin7 total 186.45 by 8.48 (tolerance 0.01); the difference is VAT (BC tax 25.43, ' +
        "Cin7 tax 16.95): in BC, check VAT Posting Setup for vendor V00010's VAT Bus. Posting Group with VAT Prod. " +
        "Posting Group TAX ON PURCHASES (its VAT % must match Cin7's tax rule); draft 1001 kept, not posted",
    );
  });

  it('when BC charged no sales tax, then the mismatch says the vendor needs a Tax Area', () => {
    const reason = reasons.amountMismatch(
      draft({ totalAmountExcludingTax: 169.5, totalTaxAmount: 0, totalAmountIncludingTax: 169.5 }),
      186.45,
      0.01,
      check({ model: 'sales-tax' }),
    );

    expect(reason).toContain('BC charged none, so vendor V00010 needs a Tax Area and Tax Liable in BC');
  });

  it("when BC charged another sales tax, then the mismatch names the tax area's rates to check", () => {
    const reason = reasons.amountMismatch(
      draft({ totalAmountExcludingTax: 169.5, totalTaxAmount: 20.34, totalAmountIncludingTax: 189.84 }),
      186.45,
      0.01,
      check({ model: 'sales-tax' }),
    );

    expect(reason).toContain("check the rates of vendor V00010's Tax Area for tax group TAX ON PURCHASES");
  });

  it('when the amounts before tax differ too, then the mismatch blames no tax setup', () => {
    const reason = reasons.amountMismatch(
      draft({ totalAmountExcludingTax: 150, totalTaxAmount: 15, totalAmountIncludingTax: 165 }),
      186.45,
      0.01,
      check(),
    );

    expect(reason).toBe(
      'BC total 165.00 differs from Cin7 total 186.45 by 21.45 (tolerance 0.01); draft 1001 kept, not posted',
    );
  });
});
