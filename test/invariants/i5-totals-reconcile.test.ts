/**
 * Invariant 5: totals reconcile (DESIGN §3.5). BC's total of the draft is compared with Cin7's invoice total
 * before posting; a difference above AMOUNT_TOLERANCE keeps the draft unposted as `amount-mismatch`.
 */
import { describe, expect, it } from 'vitest';
import { addAuthorisedPurchase, addSupplierWithVendor } from '../support/seed.js';
import { announceInvoice, bcInvoices, postRequests, sandboxPerTest } from '../support/invariant-sandbox.js';

describe('I5: totals reconcile before posting', () => {
  const start = sandboxPerTest();

  // Cin7 charges 10 % on 169.50 (186.45); BC's tax group charges 12 % (189.84): 3.39 apart.

  it("I5: when BC computes a total beyond AMOUNT_TOLERANCE from Cin7's, then the record is amount-mismatch and the draft is kept unposted", async () => {
    // Arrange
    const sb = await start({ reference: { purchaseTaxPercent: 12 }, env: { AMOUNT_TOLERANCE: '0.01' } });
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);

    // Act
    await announceInvoice(sb, purchase);
    await sb.settle();

    // Assert
    const [entry] = await sb.ledger('purchase-invoice');
    expect(entry?.state).toBe('amount-mismatch');
    expect(entry?.reason).toMatch(/BC total 189\.84 differs from Cin7 total 186\.45 by 3\.39/);
    expect(bcInvoices(sb).map((i) => [i.status, i.totalAmountIncludingTax])).toEqual([['Draft', 189.84]]);
    expect(postRequests(sb)).toBe(0);
  });

  it("I5: when BC's total differs from Cin7's within AMOUNT_TOLERANCE, then the invoice is posted", async () => {
    // Arrange
    const sb = await start({ reference: { purchaseTaxPercent: 12 }, env: { AMOUNT_TOLERANCE: '3.5' } });
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);

    // Act
    await announceInvoice(sb, purchase);
    await sb.settle();

    // Assert
    expect((await sb.ledger('purchase-invoice')).map((e) => e.state)).toEqual(['posted']);
    expect(bcInvoices(sb).map((i) => i.status)).toEqual(['Open']);
  });

  describe("when the create's answer does not carry the lines' totals (header-only)", () => {
    it('I5: when the lines agree with Cin7, then the total is taken from the read after the create and the invoice is posted', async () => {
      // Arrange
      const sb = await start({ env: { AMOUNT_TOLERANCE: '0.01' } });
      sb.bc.setDeepInsertAnswer('header-only');
      const { supplier } = addSupplierWithVendor(sb);
      const purchase = addAuthorisedPurchase(sb, supplier.ID);

      // Act
      await announceInvoice(sb, purchase);
      await sb.settle();

      // Assert
      expect((await sb.ledger('purchase-invoice')).map((e) => e.state)).toEqual(['posted']);
      expect(bcInvoices(sb).map((i) => [i.status, i.totalAmountIncludingTax])).toEqual([['Open', 186.45]]);
    });

    it('I5: when the lines disagree with Cin7, then the mismatch is still seen and the draft kept unposted', async () => {
      // Arrange
      const sb = await start({ reference: { purchaseTaxPercent: 12 }, env: { AMOUNT_TOLERANCE: '0.01' } });
      sb.bc.setDeepInsertAnswer('header-only');
      const { supplier } = addSupplierWithVendor(sb);
      const purchase = addAuthorisedPurchase(sb, supplier.ID);

      // Act
      await announceInvoice(sb, purchase);
      await sb.settle();

      // Assert
      const [entry] = await sb.ledger('purchase-invoice');
      expect(entry?.state).toBe('amount-mismatch');
      expect(entry?.reason).toMatch(/BC total 189\.84 differs from Cin7 total 186\.45 by 3\.39/);
      expect(postRequests(sb)).toBe(0);
    });
  });
});
