/**
 * Interleavings an adversarial review found (issue "Close the exactly-once and visibility holes"): each
 * ends, on the code before the fix, with a second BC invoice, an orphan draft or a record that looks done
 * while BC disagrees. Every one must end with at most one BC document and a record that says what happened.
 */
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../sandbox/sandbox.js';
import { runJob } from '../../src/sync/jobs/run-job.js';
import { allHandlers } from '../../src/sync/jobs/handlers.js';
import { replayRecord } from '../../src/sync/jobs/replay.js';
import { sessionIdFor } from '../../src/core/job-ids.js';
import type { SyncDeps } from '../../src/sync/deps.js';
import { TransientError } from '../../src/core/errors.js';
import { addAuthorisedPurchase, addSupplierWithVendor } from '../support/seed.js';
import {
  bcInvoices,
  createRequests,
  deferredSignal,
  firstInvoice,
  invoiceRecordId,
  purchaseEnvelope,
  sandboxPerTest,
  withoutAutomaticRetries,
} from '../support/invariant-sandbox.js';

describe('I1/I4: adversarial interleavings', () => {
  const start = sandboxPerTest();

  async function remapSupplier(sb: Sandbox, supplierId: string, name: string): Promise<string> {
    const vendor = sb.bc.addVendor({ displayName: name, taxRegistrationNumber: `TX-${name}` });
    const number = vendor['number'];
    if (typeof number !== 'string') throw new Error('the simulator gave the vendor no number');
    await sb.deps.stores.mappings.upsert({ kind: 'supplier', source: supplierId.toLowerCase(), target: number });
    return number;
  }

  async function entryOf(sb: Sandbox, recordId: string) {
    return (await sb.deps.stores.ledger.get('purchase-invoice', recordId))?.value;
  }

  it('I1: when a create is lost under V1, the supplier is remapped to V2, the next look-up fails and the record is failed then replayed, then only one invoice exists, posted under V2', async () => {
    const sb = await start({ sync: { maxAttempts: 2 } });
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    sb.faults.add({ system: 'bc', method: 'POST', path: /\/purchaseInvoices$/, kind: 'lost-response', times: 1 });
    const attempt1 = await runJob(purchaseEnvelope(purchase), withoutAutomaticRetries(sb), allHandlers);
    expect(attempt1.status).toBe('retry-scheduled');
    const v2 = await remapSupplier(sb, supplier.ID, 'Second vendor');

    // The last attempt's look-up fails: the record is parked failed, then an operator replays it.
    const failingBc: SyncDeps['bc'] = Object.create(sb.deps.bc) as SyncDeps['bc'];
    failingBc.findPurchaseInvoices = () => Promise.reject(new TransientError('BC look-up timed out', { system: 'bc' }));
    const attempt2 = await runJob(
      purchaseEnvelope(purchase, { attempt: 2 }),
      { ...withoutAutomaticRetries(sb), bc: failingBc },
      allHandlers,
    );
    expect(attempt2.status).toBe('failed');
    expect((await entryOf(sb, invoiceRecordId(purchase)))?.openAttempts).toHaveLength(1);
    await replayRecord('purchase-invoice', invoiceRecordId(purchase), sb.deps);
    await sb.settle();

    expect(bcInvoices(sb).map((i) => [i['status'], i['vendorNumber']])).toEqual([['Open', v2]]);
    const entry = await entryOf(sb, invoiceRecordId(purchase));
    expect(entry?.state).toBe('posted');
    expect(entry?.openAttempts).toBeUndefined();
  });

  it('I1: when a worker is overtaken between recording its intent and creating, then it writes nothing and BC holds one invoice', async () => {
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    const lookingUp = deferredSignal();
    const overtaken = deferredSignal();
    const slowBc: SyncDeps['bc'] = Object.create(sb.deps.bc) as SyncDeps['bc'];
    slowBc.findPurchaseInvoices = async (filter) => {
      lookingUp.signal();
      await overtaken.reached; // look-ups with retries and limiter waits can outlast any lease
      return sb.deps.bc.findPurchaseInvoices(filter);
    };
    const slow = runJob(purchaseEnvelope(purchase), { ...sb.deps, bc: slowBc }, allHandlers);
    await lookingUp.reached;

    // Another session (a replay) takes the record over and finishes it.
    const other = await runJob(purchaseEnvelope(purchase, { trigger: 'replay', version: 'r' }), sb.deps, allHandlers);
    overtaken.signal();
    const first = await slow;

    expect(other.status).toBe('done');
    expect(first.status).toBe('done');
    expect(createRequests(sb)).toBe(1);
    expect(bcInvoices(sb).map((i) => i['status'])).toEqual(['Open']);
    expect((await entryOf(sb, invoiceRecordId(purchase)))?.state).toBe('posted');
  });

  it('I1: when a needs-mapping record is replayed, then its job runs in the same session as the webhooks and polls of its purchase', async () => {
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(
      sb,
      supplier.ID,
      {},
      { Lines: [{ SKU: 'X', Name: 'X', Quantity: 1, Price: 5, Account: '9999' }] },
    );
    await runJob(purchaseEnvelope(purchase), sb.deps, allHandlers);
    expect((await entryOf(sb, invoiceRecordId(purchase)))?.state).toBe('needs-mapping');

    const replay = await replayRecord('purchase-invoice', invoiceRecordId(purchase), sb.deps);

    const webhookSession = sessionIdFor({ type: 'cin7-purchase', orderNumber: purchase.OrderNumber, taskId: 'x' });
    expect(replay.sessionId).toBe(webhookSession);
  });

  it('I1: when the Cin7 invoice changes while its BC draft waits for a post retry, then the draft is rebuilt and the posted invoice carries the new amounts', async () => {
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    const invoice = firstInvoice(purchase);
    sb.faults.add({ system: 'bc', method: 'POST', path: /\/\$batch$/, kind: 'server-error', times: 1 });
    await runJob(purchaseEnvelope(purchase), withoutAutomaticRetries(sb), allHandlers);
    expect((await entryOf(sb, invoiceRecordId(purchase)))?.state).toBe('created');

    sb.cin7.updateInvoice(purchase.ID, invoice.TaskID, {
      Lines: [{ SKU: 'OIL-1L', Name: 'Olive oil 1 L', Quantity: 3, Price: 11 }],
    });
    await runJob(purchaseEnvelope(purchase, { attempt: 2, version: 'changed' }), sb.deps, allHandlers);

    const [posted, ...others] = bcInvoices(sb);
    expect(others).toHaveLength(0);
    expect(posted?.['status']).toBe('Open');
    expect(posted?.['totalAmountIncludingTax']).toBeCloseTo(firstInvoice(purchase).Total, 2);
    const audit = await sb.deps.stores.audit.list('purchase-invoice', invoiceRecordId(purchase));
    expect(audit.some((a) => a.step === 'bc-delete' && /changed after the draft was built/.test(a.message))).toBe(true);
  });

  it('I4: when the Cin7 invoice is deleted while its draft waits for a post retry, then the draft is deleted and the record says so', async () => {
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    const recordId = invoiceRecordId(purchase);
    sb.faults.add({ system: 'bc', method: 'POST', path: /\/\$batch$/, kind: 'server-error', times: 1 });
    await runJob(purchaseEnvelope(purchase), withoutAutomaticRetries(sb), allHandlers);
    expect((await entryOf(sb, recordId))?.state).toBe('created');

    purchase.Invoices.splice(0, purchase.Invoices.length);
    await runJob(purchaseEnvelope(purchase, { attempt: 2, version: 'deleted' }), sb.deps, allHandlers);

    expect(bcInvoices(sb)).toHaveLength(0);
    const entry = await entryOf(sb, recordId);
    expect(entry?.state).toBe('skipped');
    expect(entry?.reason).toMatch(/removed from purchase .* its BC draft .* was deleted/);
  });

  it('I1: when a failed record with a BC draft is remapped and replayed, then the old draft is settled first and one invoice is posted', async () => {
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    // BC refuses the post: the account was blocked between create and post.
    const blockingBc: SyncDeps['bc'] = Object.create(sb.deps.bc) as SyncDeps['bc'];
    blockingBc.postPurchaseInvoiceAndRead = (id) => {
      for (const account of sb.bc.data.accounts.rows.values()) account['blocked'] = true;
      return sb.deps.bc.postPurchaseInvoiceAndRead(id);
    };
    await runJob(purchaseEnvelope(purchase), { ...sb.deps, bc: blockingBc }, allHandlers);
    expect((await entryOf(sb, invoiceRecordId(purchase)))?.state).toBe('failed');
    for (const account of sb.bc.data.accounts.rows.values()) account['blocked'] = false;

    const v2 = await remapSupplier(sb, supplier.ID, 'Replacement');
    await replayRecord('purchase-invoice', invoiceRecordId(purchase), sb.deps);
    await sb.settle();

    expect(bcInvoices(sb).map((i) => [i['status'], i['vendorNumber']])).toEqual([['Open', v2]]);
    expect((await entryOf(sb, invoiceRecordId(purchase)))?.state).toBe('posted');
  });

  it('I1: when BC reports the draft as In Review (an approval workflow), then the record is failed with the reason and never recorded as posted', async () => {
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    sb.faults.add({ system: 'bc', method: 'POST', path: /\/\$batch$/, kind: 'server-error', times: 1 });
    await runJob(purchaseEnvelope(purchase), withoutAutomaticRetries(sb), allHandlers);
    for (const row of sb.bc.data.purchaseInvoices.rows.values()) row['status'] = 'In Review';

    await runJob(purchaseEnvelope(purchase, { attempt: 2, version: 'review' }), sb.deps, allHandlers);

    const entry = await entryOf(sb, invoiceRecordId(purchase));
    expect(entry?.state).toBe('failed');
    expect(entry?.reason).toMatch(/waiting for approval \(status In Review\)/);
    expect(bcInvoices(sb)).toHaveLength(1);
  });

  it("I1: when BC answers the create with 409, then the record is failed with BC's reason after exactly one POST, not re-run as a ledger conflict", async () => {
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    sb.faults.add({
      system: 'bc',
      method: 'POST',
      path: /\/purchaseInvoices$/,
      kind: 'server-error',
      status: 409,
      times: 1,
    });

    const result = await runJob(purchaseEnvelope(purchase), withoutAutomaticRetries(sb), allHandlers);

    expect(result.status).toBe('done');
    expect(createRequests(sb)).toBe(1);
    const entry = await entryOf(sb, invoiceRecordId(purchase));
    expect(entry?.state).toBe('failed');
    expect(entry?.reason).toMatch(/BC rejected the invoice: .*HTTP 409/);
  });
});
