/**
 * The purchase flow in a VAT company (W1: VAT Posting Setup) and a sales-tax company (NA: tax area), end to
 * end: Cin7 webhook → queue → runJob → BC simulator. Cin7 charges its "Tax on Purchases" rule at 10 %.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Row } from '../sandbox/bc/odata-query.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { runJob } from '../../src/sync/jobs/run-job.js';
import { allHandlers } from '../../src/sync/jobs/handlers.js';
import {
  announceInvoice,
  bcInvoices,
  createRequests,
  firstInvoice,
  postRequests,
  purchaseEnvelope,
} from '../support/invariant-sandbox.js';
import { addAuthorisedPurchase } from '../support/seed.js';
import {
  addTaxedSupplier,
  domesticVatBusGroup,
  startTaxSandbox,
  type RealTaxModel,
  type TaxSandboxOptions,
} from '../support/tax-sandbox.js';

function linesOf(sandbox: Sandbox, invoice: Row | undefined): Row[] {
  return [...sandbox.bc.data.purchaseInvoiceLines.rows.values()]
    .filter((line) => invoice !== undefined && line.documentId === invoice.id)
    .sort((a, b) => Number(a.sequence) - Number(b.sequence));
}

describe('purchase flow by BC tax model', () => {
  let sandbox: Sandbox | undefined;
  async function start(model: RealTaxModel, options: TaxSandboxOptions = {}): Promise<Sandbox> {
    sandbox = await startTaxSandbox(model, options);
    return sandbox;
  }
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  async function syncOne(
    sb: Sandbox,
    model: RealTaxModel,
    options: { taxInclusive?: boolean; taxArea?: boolean } = {},
  ) {
    const { supplier, vendorNumber } = addTaxedSupplier(sb, model, { taxArea: options.taxArea ?? true });
    const purchase = addAuthorisedPurchase(
      sb,
      supplier.ID,
      options.taxInclusive ? { TaxCalculation: 'Inclusive' } : {},
    );
    await announceInvoice(sb, purchase);
    await sb.settle();
    const [entry] = await sb.ledger('purchase-invoice');
    return { purchase, vendorNumber, entry, cin7: firstInvoice(purchase) };
  }

  describe('W1 (VAT)', () => {
    it('when a tax-exclusive invoice is coded to a VAT product posting group with VAT Posting Setup, then BC charges its VAT % and the invoice posts at the Cin7 total', async () => {
      const sb = await start('W1');
      const { entry, cin7 } = await syncOne(sb, 'W1');

      expect(entry?.state).toBe('posted');
      const [invoice] = bcInvoices(sb);
      expect(invoice).toMatchObject({ status: 'Open', pricesIncludeTax: false, totalAmountIncludingTax: cin7.Total });
      expect(linesOf(sb, invoice).map((l) => [l.taxCode, l.taxPercent])).toEqual([
        ['TAX ON PURCHASES', 10],
        ['TAX ON PURCHASES', 10],
      ]);
    });

    it('when a tax-inclusive invoice arrives, then it is sent with prices including VAT and posts at the Cin7 total', async () => {
      const sb = await start('W1');
      const { entry, cin7 } = await syncOne(sb, 'W1', { taxInclusive: true });

      expect(entry?.state).toBe('posted');
      expect(bcInvoices(sb)[0]).toMatchObject({
        status: 'Open',
        pricesIncludeTax: true,
        totalAmountIncludingTax: cin7.Total,
      });
    });

    it("when VAT Posting Setup lacks the vendor's VAT business group × the line's VAT product group, then the record is needs-mapping naming both and BC holds nothing", async () => {
      const sb = await start('W1', { withoutVatSetupFor: ['TAX ON PURCHASES'] });
      const { entry } = await syncOne(sb, 'W1');

      expect(entry?.state).toBe('needs-mapping');
      expect(entry?.missing).toEqual([
        expect.stringContaining(`VAT Posting Setup ${domesticVatBusGroup} × TAX ON PURCHASES`),
      ]);
      expect(entry?.reason).toMatch(
        /VAT Bus\. Posting Group 'DOMESTIC' and VAT Prod\. Posting Group 'TAX ON PURCHASES'/,
      );
      expect(bcInvoices(sb)).toEqual([]);
      expect(createRequests(sb)).toBe(1);
    });

    it('when the missing VAT Posting Setup is added in BC and the record replayed, then the invoice posts once', async () => {
      const sb = await start('W1', { withoutVatSetupFor: ['TAX ON PURCHASES'] });
      const { purchase } = await syncOne(sb, 'W1');
      sb.bc.addVatPostingSetup(domesticVatBusGroup, 'TAX ON PURCHASES', 10);

      await runJob(purchaseEnvelope(purchase, { trigger: 'replay', version: 'replay-1' }), sb.deps, allHandlers);
      await sb.settle();

      expect((await sb.ledger('purchase-invoice')).map((e) => e.state)).toEqual(['posted']);
      expect(bcInvoices(sb).map((i) => i.status)).toEqual(['Open']);
    });

    it('when VAT Posting Setup has another VAT % than Cin7 charged, then the record is amount-mismatch naming the VAT setup to check and the draft is not posted', async () => {
      const sb = await start('W1', { vatPercent: 15 });
      const { entry, vendorNumber } = await syncOne(sb, 'W1');

      expect(entry?.state).toBe('amount-mismatch');
      expect(entry?.reason).toContain('the difference is VAT (BC tax 25.43, Cin7 tax 16.95)');
      expect(entry?.reason).toContain(
        `VAT Posting Setup for vendor ${vendorNumber}'s VAT Bus. Posting Group with VAT Prod. Posting Group TAX ON PURCHASES`,
      );
      expect(bcInvoices(sb).map((i) => i.status)).toEqual(['Draft']);
      expect(postRequests(sb)).toBe(0);
    });
  });

  describe('NA (sales tax)', () => {
    it('when a tax-exclusive invoice comes from a vendor with a tax area, then BC charges the area rate and the invoice posts at the Cin7 total', async () => {
      const sb = await start('NA');
      const { entry, cin7 } = await syncOne(sb, 'NA');

      expect(entry?.state).toBe('posted');
      expect(bcInvoices(sb)[0]).toMatchObject({
        status: 'Open',
        pricesIncludeTax: false,
        totalAmountIncludingTax: cin7.Total,
      });
    });

    it("when a tax-inclusive invoice arrives, then it is sent tax-exclusive (Cin7's net per unit) and posts at the Cin7 total to the cent", async () => {
      const sb = await start('NA');
      const { entry, cin7 } = await syncOne(sb, 'NA', { taxInclusive: true });

      expect(entry?.state).toBe('posted');
      const [invoice] = bcInvoices(sb);
      expect(invoice).toMatchObject({
        status: 'Open',
        pricesIncludeTax: false,
        totalAmountExcludingTax: cin7.TotalBeforeTax,
        totalAmountIncludingTax: cin7.Total,
      });
      // 12 × 8.50 = 102.00 including 9.27 tax → 92.73 net; 6 × 11.25 = 67.50 including 6.14 → 61.36.
      expect(linesOf(sb, invoice).map((l) => [l.quantity, l.unitCost, l.amountExcludingTax])).toEqual([
        [12, 7.7275, 92.73],
        [6, 10.22667, 61.36],
      ]);
    });

    it('when the vendor has no tax area, then BC charges no tax and the record is amount-mismatch naming the vendor and the Tax Area to set', async () => {
      const sb = await start('NA');
      const { entry, vendorNumber } = await syncOne(sb, 'NA', { taxArea: false });

      expect(entry?.state).toBe('amount-mismatch');
      expect(entry?.reason).toContain(
        `BC charged none, so vendor ${vendorNumber} needs a Tax Area and Tax Liable in BC`,
      );
      expect(bcInvoices(sb).map((i) => [i.status, i.totalTaxAmount])).toEqual([['Draft', 0]]);
      expect(postRequests(sb)).toBe(0);
    });

    it('when BC_TAX_MODEL says vat in a sales-tax company and a tax-inclusive invoice arrives, then BC refuses it and the reason says to set BC_TAX_MODEL=sales-tax', async () => {
      const sb = await start('NA', { env: { BC_TAX_MODEL: 'vat' } });
      const { entry } = await syncOne(sb, 'NA', { taxInclusive: true });

      expect(entry?.state).toBe('failed');
      expect(entry?.reason).toMatch(/Prices Including VAT must be equal to 'No'.*set BC_TAX_MODEL=sales-tax/);
      expect(bcInvoices(sb)).toEqual([]);
    });
  });
});
