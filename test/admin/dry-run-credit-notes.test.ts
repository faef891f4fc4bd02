import { afterEach, describe, expect, inject, it } from 'vitest';
import { dryRunSync } from '../../src/sync/admin/dry-run.js';
import { startSandbox, type Sandbox } from '../sandbox/sandbox.js';
import { addAuthorisedPurchase, addSupplierWithVendor, seedMatchingReference } from '../support/seed.js';

describe('sync --dry-run: credit notes', () => {
  let sandbox: Sandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });

  it('when a tax-inclusive purchase has an authorised and a draft credit note, then the first previews as the net-priced memo a sync would create and the draft as skipped, writing nothing', async () => {
    const sb = (sandbox = await startSandbox({ azuriteConnectionString: inject('azuriteConnectionString') }));
    seedMatchingReference(sb);
    const { supplier } = addSupplierWithVendor(sb, 'Returns Ltd');
    const purchase = addAuthorisedPurchase(sb, supplier.ID, { TaxCalculation: 'Inclusive' });
    sb.cin7.addCreditNote(purchase.ID, {
      Status: 'AUTHORISED',
      CreditNoteNumber: 'CR-77',
      Lines: [{ Name: 'Oil back', Quantity: 2, Price: 11 }],
    });
    sb.cin7.addCreditNote(purchase.ID, { Status: 'DRAFT' });

    const report = await dryRunSync(sb.deps, { since: new Date(0) });

    const memos = report.invoices.filter((i) => i.label.endsWith('(credit note)'));
    expect(memos.map((m) => m.outcome)).toEqual(['would-create', 'skipped']);
    expect(memos[0]?.creditMemo).toMatchObject({
      vendorCreditMemoNumber: 'CR-77',
      purchaseCreditMemoLines: [expect.objectContaining({ quantity: 2, unitCost: 10 })],
    });
    expect(memos[0]?.creditMemo).not.toHaveProperty('pricesIncludeTax');
    expect(memos[1]?.reason).toBe('credit note DRAFT');
    expect(sb.bc.data.purchaseCreditMemos.all()).toHaveLength(0);
    expect(await sb.ledger('purchase-credit-note')).toHaveLength(0);
  });
});
