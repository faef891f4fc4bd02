/**
 * Invariant 3: header, lines and line dimensions are created in one request (DESIGN §3.3), so a half-built
 * or dimension-less invoice is never left behind.
 */
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../sandbox/sandbox.js';
import { addAuthorisedPurchase, addSupplierWithVendor } from '../support/seed.js';
import {
  announceInvoice,
  bcInvoices,
  bcLines,
  createRequests,
  invoiceRecordId,
  sandboxPerTest,
} from '../support/invariant-sandbox.js';

/** A BC user deletes a tax group after the connector cached it. */
function removeTaxGroup(sandbox: Sandbox, code: string): void {
  const group = sandbox.bc.data.taxGroups.find((g) => g.code === code);
  if (typeof group?.id === 'string') sandbox.bc.data.taxGroups.rows.delete(group.id);
  sandbox.bc.data.taxRates.delete(code);
}

describe('I3: one request per invoice', () => {
  const start = sandboxPerTest();

  it('I3: when an invoice with two lines and line dimensions is created, then header, lines and dimension set lines go in one request', async () => {
    // Arrange
    const sb = await start();
    await sb.deps.stores.mappings.upsert({ kind: 'dimension-default', source: '*', target: 'AREA=EAST' });
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);

    // Act
    await announceInvoice(sb, purchase);
    await sb.settle();

    // Assert
    expect(createRequests(sb)).toBe(1);
    expect(sb.faults.count({ system: 'bc', path: /purchaseInvoiceLines|dimensionSetLines/ })).toBe(0);
    expect(sb.faults.count({ system: 'bc', method: 'PATCH' })).toBe(0);
    const [invoice] = bcInvoices(sb);
    expect(invoice?.status).toBe('Open');
    expect(bcLines(sb, invoice).map((l) => l.dimensions)).toEqual([['AREA=EAST'], ['AREA=EAST']]);
  });

  it("I3: when BC rejects the deep insert over line 2, then no invoice and no lines are left behind and the record is failed with BC's message", async () => {
    // Arrange
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const warmUp = addAuthorisedPurchase(sb, supplier.ID);
    await announceInvoice(sb, warmUp);
    await sb.settle();
    removeTaxGroup(sb, 'TAX EXEMPT');
    const purchase = addAuthorisedPurchase(
      sb,
      supplier.ID,
      {},
      {
        Lines: [
          { SKU: 'OIL-1L', Name: 'Olive oil 1 L', Quantity: 12, Price: 8.5 },
          { SKU: 'BREAD', Name: 'Sourdough', Quantity: 4, Price: 5, TaxRule: 'Tax Exempt' },
        ],
      },
    );
    const invoicesBefore = bcInvoices(sb).length;
    const linesBefore = sb.bc.data.purchaseInvoiceLines.rows.size;

    // Act
    await announceInvoice(sb, purchase);
    await sb.settle();

    // Assert
    expect(createRequests(sb)).toBe(2);
    expect(bcInvoices(sb)).toHaveLength(invoicesBefore);
    expect(sb.bc.data.purchaseInvoiceLines.rows.size).toBe(linesBefore);
    const entry = (await sb.ledger('purchase-invoice')).find((e) => e.recordId === invoiceRecordId(purchase));
    expect(entry?.state).toBe('failed');
    expect(entry?.reason).toMatch(
      /BC rejected the invoice: .*TAX EXEMPT.*cannot be found in the related table \(Tax Group\)/,
    );
  });
});
