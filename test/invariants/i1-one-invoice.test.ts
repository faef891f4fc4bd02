/**
 * Invariant 1: at most one BC purchase invoice per Cin7 invoice, ever (DESIGN §3.1). Repeats, overlaps,
 * replays, concurrent workers, lost responses and crashes between "create" and "post" all end with exactly
 * one posted invoice.
 */
import { describe, expect, it } from 'vitest';
import { pollCin7Purchases } from '../../src/sync/purchase/poll-cin7.js';
import { replayRecord } from '../../src/sync/jobs/replay.js';
import { runJob } from '../../src/sync/jobs/run-job.js';
import { allHandlers } from '../../src/sync/jobs/handlers.js';
import type { SyncDeps } from '../../src/sync/deps.js';
import { addAuthorisedPurchase, addSupplierWithVendor } from '../support/seed.js';
import {
  announceInvoice,
  bcInvoices,
  bcInvoicesNumbered,
  createRequests,
  deferredSignal,
  firstInvoice,
  invoiceRecordId,
  never,
  postRequests,
  purchaseEnvelope,
  sandboxPerTest,
} from '../support/invariant-sandbox.js';

describe('I1: one BC invoice per Cin7 invoice', () => {
  const start = sandboxPerTest();

  it('I1: when the webhook arrives 3 times, the poll finds the purchase and it is replayed, then exactly one BC invoice is posted', async () => {
    // Arrange
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb, 'Tuscan Groves');
    const purchase = addAuthorisedPurchase(sb, supplier.ID);

    // Act
    await Promise.all([announceInvoice(sb, purchase), announceInvoice(sb, purchase), announceInvoice(sb, purchase)]);
    await pollCin7Purchases(sb.deps);
    await sb.settle();
    await replayRecord('purchase-invoice', invoiceRecordId(purchase), sb.deps);
    await sb.settle();

    // Assert
    const invoices = bcInvoicesNumbered(sb, firstInvoice(purchase).InvoiceNumber);
    expect(invoices.map((i) => i.status)).toEqual(['Open']);
    expect(bcInvoices(sb)).toHaveLength(1);
    expect(createRequests(sb)).toBeLessThanOrEqual(1);
    expect((await sb.ledger('purchase-invoice')).map((e) => e.state)).toEqual(['posted']);
  });

  it('I1: when the worker crashes after the draft is created and before it is posted, then the retry posts that draft and creates no second invoice', async () => {
    // Arrange
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    const postCalled = deferredSignal();
    let crashed = false;
    const crashingBc: SyncDeps['bc'] = Object.create(sb.deps.bc) as SyncDeps['bc'];
    crashingBc.postPurchaseInvoiceAndRead = (id) => {
      if (crashed) return sb.deps.bc.postPurchaseInvoiceAndRead(id);
      crashed = true;
      postCalled.signal();
      return never();
    };
    const crashingDeps: SyncDeps = { ...sb.deps, bc: crashingBc };
    void runJob(purchaseEnvelope(purchase), crashingDeps, allHandlers);
    await postCalled.reached;

    // Act: the message is delivered again (lock expired) and another worker picks it up.
    const result = await runJob(purchaseEnvelope(purchase, { attempt: 2 }), sb.deps, allHandlers);
    await sb.settle();

    // Assert
    expect(result.status).toBe('done');
    expect(bcInvoices(sb).map((i) => i.status)).toEqual(['Open']);
    expect(createRequests(sb)).toBe(1);
    expect(postRequests(sb)).toBe(1);
    expect((await sb.ledger('purchase-invoice')).map((e) => e.state)).toEqual(['posted']);
  });

  it('I1: when BC commits the create but the response is lost, then the retry finds the draft by vendor and vendor invoice number and posts it', async () => {
    // Arrange
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    sb.faults.add({ system: 'bc', method: 'POST', path: /\/purchaseInvoices$/, kind: 'lost-response', times: 1 });

    // Act
    await announceInvoice(sb, purchase);
    await sb.settle();

    // Assert
    expect(bcInvoices(sb).map((i) => i.status)).toEqual(['Open']);
    expect(createRequests(sb)).toBe(1);
    const audit = await sb.deps.stores.audit.list('purchase-invoice', invoiceRecordId(purchase));
    expect(audit.some((a) => a.step === 'bc-lookup' && /found BC draft/.test(a.message))).toBe(true);
  });

  it('I1: when a worker crashed after BC committed the create but before the ledger recorded it, then a second worker backs off while the lease holds and adopts the draft after it expires', async () => {
    // Arrange
    const sb = await start({ sync: { createLeaseMs: 1500 } });
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    const committed = deferredSignal();
    const crashingBc: SyncDeps['bc'] = Object.create(sb.deps.bc) as SyncDeps['bc'];
    crashingBc.createPurchaseInvoice = async (body) => {
      await sb.deps.bc.createPurchaseInvoice(body);
      committed.signal();
      return never();
    };
    void runJob(purchaseEnvelope(purchase), { ...sb.deps, bc: crashingBc }, allHandlers);
    await committed.reached;

    // Act
    const whileLeased = await runJob(purchaseEnvelope(purchase, { attempt: 2 }), sb.deps, allHandlers);
    const createsWhileLeased = createRequests(sb);
    await sb.settle();

    // Assert
    expect(whileLeased).toMatchObject({
      status: 'retry-scheduled',
      reason: expect.stringMatching(/another worker is creating/) as unknown,
    });
    expect(createsWhileLeased).toBe(1);
    expect(bcInvoices(sb).map((i) => i.status)).toEqual(['Open']);
    expect(createRequests(sb)).toBe(1);
    expect((await sb.ledger('purchase-invoice')).map((e) => e.state)).toEqual(['posted']);
  });

  it('I1: when two workers run the same purchase at once, then one BC invoice is created and posted', async () => {
    // Arrange
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);

    // Act: bypasses the session lock, as two hosts would after a lock loss.
    await Promise.all([
      runJob(purchaseEnvelope(purchase, { version: 'a' }), sb.deps, allHandlers),
      runJob(purchaseEnvelope(purchase, { version: 'b' }), sb.deps, allHandlers),
    ]);
    await sb.settle();

    // Assert
    expect(bcInvoices(sb).map((i) => i.status)).toEqual(['Open']);
    expect(createRequests(sb)).toBe(1);
    expect((await sb.ledger('purchase-invoice')).map((e) => e.state)).toEqual(['posted']);
  });

  it('I1: when two purchases of one new supplier run at once with AUTO_CREATE_VENDORS, then one BC vendor is created and both invoices are posted to it', async () => {
    // Arrange
    const sb = await start({ env: { AUTO_CREATE_VENDORS: 'true' } });
    const { supplier } = addSupplierWithVendor(sb, 'Brand New Olives', { vendor: false });
    const first = addAuthorisedPurchase(sb, supplier.ID);
    const second = addAuthorisedPurchase(sb, supplier.ID);

    // Act
    await Promise.all([announceInvoice(sb, first), announceInvoice(sb, second)]);
    await sb.settle();

    // Assert
    const vendors = [...sb.bc.data.vendors.rows.values()].filter((v) => v.displayName === 'Brand New Olives');
    expect(vendors).toHaveLength(1);
    expect(sb.faults.count({ system: 'bc', method: 'POST', path: /\/vendors$/ })).toBe(1);
    const invoices = bcInvoices(sb);
    expect(invoices.map((i) => [i.status, i.vendorNumber])).toEqual([
      ['Open', vendors[0]?.number],
      ['Open', vendors[0]?.number],
    ]);
  });

  it("I1: when the vendor invoice number holds ', # and & and the create response is lost, then the look-up finds the draft and no duplicate is created", async () => {
    // Arrange
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID, {}, { InvoiceNumber: "O'BRIEN#7 & CO" });
    sb.faults.add({ system: 'bc', method: 'POST', path: /\/purchaseInvoices$/, kind: 'lost-response', times: 1 });

    // Act
    await announceInvoice(sb, purchase);
    await sb.settle();

    // Assert
    expect(bcInvoicesNumbered(sb, "O'BRIEN#7 & CO").map((i) => i.status)).toEqual(['Open']);
    expect(bcInvoices(sb)).toHaveLength(1);
    expect(createRequests(sb)).toBe(1);
  });
});
