/**
 * Invariant 1 at the edges of recovery: when the outcome of an earlier create is unknown (`creating`), the
 * next attempt looks BC up under what that attempt recorded before it skips, parks or creates anything.
 */
import { describe, expect, it } from 'vitest';
import { runJob } from '../../src/sync/jobs/run-job.js';
import { allHandlers } from '../../src/sync/jobs/handlers.js';
import { addAuthorisedPurchase, addSupplierWithVendor } from '../support/seed.js';
import { replayRecord } from '../../src/sync/jobs/replay.js';
import {
  bcInvoices,
  createRequests,
  firstInvoice,
  invoiceRecordId,
  purchaseEnvelope,
  sandboxPerTest,
  withoutAutomaticRetries,
} from '../support/invariant-sandbox.js';

describe('I1: recovery decides by what BC holds', () => {
  const start = sandboxPerTest();

  async function afterUncertainCreate(kind: 'lost-response' | 'server-error') {
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    sb.faults.add({ system: 'bc', method: 'POST', path: /\/purchaseInvoices$/, kind, times: 1 });
    const first = await runJob(purchaseEnvelope(purchase), withoutAutomaticRetries(sb), allHandlers);
    expect(first.status).toBe('retry-scheduled');
    expect((await sb.ledger('purchase-invoice')).map((e) => e.state)).toEqual(['creating']);
    return { sb, purchase, supplier };
  }

  it('I1: when the invoice is voided in Cin7 after a create whose answer was lost, then the retry finds the draft, deletes it and skips the record, creating nothing', async () => {
    const { sb, purchase } = await afterUncertainCreate('lost-response');
    sb.cin7.voidInvoice(purchase.ID, firstInvoice(purchase).TaskID);

    await runJob(
      purchaseEnvelope(purchase, { attempt: 2, version: 'voided' }),
      withoutAutomaticRetries(sb),
      allHandlers,
    );

    const [entry] = await sb.ledger('purchase-invoice');
    expect(entry?.state).toBe('skipped');
    expect(entry?.reason).toMatch(/VOIDED.*; its BC draft .* was deleted/);
    expect(entry?.openAttempts).toBeUndefined();
    expect(bcInvoices(sb)).toHaveLength(0);
    expect(createRequests(sb)).toBe(1);
  });

  it('I1: when the invoice is voided in Cin7 after a create that never reached BC, then the retry finds nothing and skips it', async () => {
    const { sb, purchase } = await afterUncertainCreate('server-error');
    sb.cin7.voidInvoice(purchase.ID, firstInvoice(purchase).TaskID);

    await runJob(
      purchaseEnvelope(purchase, { attempt: 2, version: 'voided' }),
      withoutAutomaticRetries(sb),
      allHandlers,
    );

    expect((await sb.ledger('purchase-invoice')).map((e) => e.state)).toEqual(['skipped']);
    expect(bcInvoices(sb)).toHaveLength(0);
  });

  it('I1: when a supplier mapping changes between a lost create answer and the retry, then the draft made under the old vendor is deleted and exactly one invoice is posted, under the new vendor', async () => {
    const { sb, purchase, supplier } = await afterUncertainCreate('lost-response');
    const other = sb.bc.addVendor({ displayName: 'Replacement vendor', taxRegistrationNumber: 'TX-OTHER-1' });
    const otherNumber = other['number'];
    if (typeof otherNumber !== 'string') throw new Error('the simulator gave the vendor no number');
    await sb.deps.stores.mappings.upsert({ kind: 'supplier', source: supplier.ID.toLowerCase(), target: otherNumber });

    const result = await runJob(
      purchaseEnvelope(purchase, { attempt: 2, version: 'remapped' }),
      withoutAutomaticRetries(sb),
      allHandlers,
    );

    expect(result.status).toBe('done');
    expect(bcInvoices(sb).map((i) => [i['status'], i['vendorNumber']])).toEqual([['Open', otherNumber]]);
    expect(createRequests(sb)).toBe(2);
    expect((await sb.ledger('purchase-invoice')).map((e) => e.state)).toEqual(['posted']);
  });

  it('I1/I4: when two Cin7 invoices of one supplier carry the same supplier invoice number but different amounts, then the second is failed with the reason, not recorded as posted', async () => {
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const first = addAuthorisedPurchase(sb, supplier.ID, {}, { InvoiceNumber: 'BILL-77' });
    const second = addAuthorisedPurchase(
      sb,
      supplier.ID,
      {},
      { InvoiceNumber: 'BILL-77', Lines: [{ SKU: 'OIL-1L', Name: 'Olive oil 1 L', Quantity: 1, Price: 9 }] },
    );

    await runJob(purchaseEnvelope(first), sb.deps, allHandlers);
    await runJob(purchaseEnvelope(second), sb.deps, allHandlers);

    const ledger = await sb.ledger('purchase-invoice');
    expect(ledger.map((e) => e.state).sort()).toEqual(['failed', 'posted']);
    expect(ledger.find((e) => e.state === 'failed')?.reason).toMatch(/supplier number used twice/);
    expect(bcInvoices(sb)).toHaveLength(1);
  });

  it('I1: when the same bill (same supplier number and amount) is already posted in BC, then a second Cin7 copy is recorded as posted and nothing is created', async () => {
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const original = addAuthorisedPurchase(sb, supplier.ID, {}, { InvoiceNumber: 'BILL-88' });
    await runJob(purchaseEnvelope(original), sb.deps, allHandlers);
    const twin = addAuthorisedPurchase(sb, supplier.ID, {}, { InvoiceNumber: 'BILL-88' });

    await runJob(purchaseEnvelope(twin), sb.deps, allHandlers);

    expect((await sb.ledger('purchase-invoice')).map((e) => e.state)).toEqual(['posted', 'posted']);
    expect(bcInvoices(sb)).toHaveLength(1);
    expect(createRequests(sb)).toBe(1);
  });

  it('I4: when a posted invoice is deleted from its Cin7 purchase and the record is replayed, then it is diverged with the reason', async () => {
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    await runJob(purchaseEnvelope(purchase), sb.deps, allHandlers);
    const recordId = invoiceRecordId(purchase);
    purchase.Invoices.splice(0, purchase.Invoices.length);

    await replayRecord('purchase-invoice', recordId, sb.deps);
    await sb.settle();

    const [entry] = await sb.ledger('purchase-invoice').then((all) => all.filter((e) => e.recordId === recordId));
    expect(entry?.state).toBe('diverged');
    expect(entry?.reason).toMatch(/removed .* after it was posted/);
    expect(bcInvoices(sb)).toHaveLength(1);
  });

  it('I4: when a parked invoice is deleted from its Cin7 purchase and the record is replayed, then it is skipped with the reason', async () => {
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(
      sb,
      supplier.ID,
      { InventoryAccount: '999' },
      { Lines: [{ SKU: 'OIL-1L', Name: 'Olive oil', Quantity: 1, Price: 5, Account: '999' }] },
    );
    await runJob(purchaseEnvelope(purchase), sb.deps, allHandlers);
    const recordId = invoiceRecordId(purchase);
    purchase.Invoices.splice(0, purchase.Invoices.length);

    await replayRecord('purchase-invoice', recordId, sb.deps);
    await sb.settle();

    const [entry] = await sb.ledger('purchase-invoice').then((all) => all.filter((e) => e.recordId === recordId));
    expect(entry?.state).toBe('skipped');
    expect(entry?.reason).toMatch(/no longer on purchase/);
    expect(bcInvoices(sb)).toHaveLength(0);
  });
});
