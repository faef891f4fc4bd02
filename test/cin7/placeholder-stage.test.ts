/**
 * Cin7 fills an empty `Invoice` list with a NOT AVAILABLE stand-in whose TaskID is the purchase ID
 * (openapi.yaml:1751-1764). The simulator sends it, so these tests take the branch production takes.
 */
import { describe, expect, it } from 'vitest';
import { addSupplierWithVendor } from '../support/seed.js';
import { announceUpdate, bcInvoices, createRequests, sandboxPerTest } from '../support/invariant-sandbox.js';

describe('Cin7 placeholder invoice stage', () => {
  const start = sandboxPerTest();

  it('when a purchase has only the NOT AVAILABLE stand-in, then it is skipped as "no invoice stage yet" and nothing reaches BC', async () => {
    // Arrange
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = sb.cin7.addPurchase({ SupplierID: supplier.ID, Approach: 'INVOICE', invoices: [] });

    // Act
    await announceUpdate(sb, purchase);
    await sb.settle();

    // Assert
    const ledger = await sb.ledger('purchase-invoice');
    expect(ledger.map((e) => [e.recordId, e.state, e.reason])).toEqual([
      [`${purchase.ID.toLowerCase()}/-`, 'skipped', expect.stringMatching(/^no invoice stage yet/)],
    ]);
    expect(createRequests(sb)).toBe(0);
    expect(bcInvoices(sb)).toHaveLength(0);
  });

  it('when an advanced purchase gets its first invoice after the stand-in, then that invoice is posted and no record is keyed by the stand-in', async () => {
    // Arrange
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = sb.cin7.addPurchase({ SupplierID: supplier.ID, Approach: 'INVOICE', invoices: [] });
    await announceUpdate(sb, purchase);
    await sb.settle();
    const invoice = sb.cin7.addInvoice(purchase.ID, {
      Lines: [{ SKU: 'OIL-1L', Name: 'Olive oil 1 L', Quantity: 2, Price: 8.5 }],
    });
    sb.cin7.authoriseInvoice(purchase.ID, invoice.TaskID);

    // Act
    await announceUpdate(sb, purchase);
    await sb.settle();

    // Assert
    const ledger = await sb.ledger('purchase-invoice');
    const purchaseKey = purchase.ID.toLowerCase();
    expect(invoice.TaskID.toLowerCase()).not.toBe(purchaseKey);
    expect(ledger.find((e) => e.recordId === `${purchaseKey}/${invoice.TaskID.toLowerCase()}`)?.state).toBe('posted');
    expect(ledger.some((e) => e.recordId === `${purchaseKey}/${purchaseKey}`)).toBe(false);
    expect(bcInvoices(sb)).toHaveLength(1);
  });
});
