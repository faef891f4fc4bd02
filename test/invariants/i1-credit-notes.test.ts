/**
 * Invariants 1, 4 and 5 for supplier credit notes: at most one posted BC purchase credit memo per Cin7 credit note,
 * applied to the BC invoice posted for the invoice it credits, whatever repeats, crashes, lost answers and
 * concurrent workers happen in between (DESIGN §3).
 */
import { describe, expect, it } from 'vitest';
import type { SyncDeps } from '../../src/sync/deps.js';
import { allHandlers } from '../../src/sync/jobs/handlers.js';
import { pollCin7Purchases } from '../../src/sync/purchase/poll-cin7.js';
import { replayRecord } from '../../src/sync/jobs/replay.js';
import { runJob } from '../../src/sync/jobs/run-job.js';
import { str } from '../sandbox/bc/odata-query.js';
import type { AddCreditNoteInput } from '../sandbox/cin7/simulator.js';
import { skipRecord } from '../../src/sync/admin/skip-record.js';
import type { SimPurchase } from '../sandbox/cin7/state.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { addAuthorisedPurchase, addSupplierWithVendor } from '../support/seed.js';
import {
  announceCreditNote,
  bcInvoices,
  bcMemos,
  deferredSignal,
  firstInvoice,
  invoiceRecordId,
  memoCreateRequests,
  memoPostRequests,
  never,
  purchaseEnvelope,
  sandboxPerTest,
} from '../support/invariant-sandbox.js';

/** Two bottles of oil back (2 × 8.50 + 10 % = 18.70), crediting the purchase's first invoice. */
function addCredit(sb: Sandbox, purchase: SimPurchase, input: AddCreditNoteInput = {}) {
  return sb.cin7.addCreditNote(purchase.ID, {
    Status: 'AUTHORISED',
    Lines: [{ SKU: 'OIL-1L', Name: 'Olive oil 1 L (damaged)', Quantity: 2, Price: 8.5 }],
    ...input,
  });
}

/** A purchase whose invoice parks `needs-mapping`: its one line codes to account 999, which BC lacks until added. */
function addPurchaseParkedForAccount(sb: Sandbox): SimPurchase {
  const { supplier } = addSupplierWithVendor(sb);
  return addAuthorisedPurchase(
    sb,
    supplier.ID,
    {},
    { Lines: [{ Name: 'Truffles', Quantity: 1, Price: 50, Account: '999' }] },
  );
}

function creditRecordId(purchase: SimPurchase, taskId: string): string {
  return `${purchase.ID.toLowerCase()}/${taskId.toLowerCase()}`;
}

describe('I1: one BC credit memo per Cin7 credit note', () => {
  const start = sandboxPerTest();

  it('I1: when a credit note is announced twice and the purchase is polled, then one memo is posted, applied to the posted invoice', async () => {
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    addCredit(sb, purchase);

    await Promise.all([announceCreditNote(sb, purchase), announceCreditNote(sb, purchase)]);
    await runJob(purchaseEnvelope(purchase), sb.deps, allHandlers);
    await sb.settle();

    const [invoice] = bcInvoices(sb);
    expect(bcMemos(sb).map((m) => [m.status, m.vendorCreditMemoNumber, m.invoiceNumber])).toEqual([
      ['Paid', 'CR-' + purchase.OrderNumber.replace(/^\D+/, ''), invoice?.number],
    ]);
    expect(sb.bc.remainingAmount(str(invoice?.id))).toBe(167.75);
    expect(memoCreateRequests(sb)).toBe(1);
    expect((await sb.ledger('purchase-credit-note')).map((e) => e.state)).toEqual(['posted']);
  });

  it('I1: when the worker crashes after the memo draft is created and before it is posted, then the retry posts that draft and creates no second memo', async () => {
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    await runJob(purchaseEnvelope(purchase, { version: 'invoice' }), sb.deps, allHandlers);
    addCredit(sb, purchase);
    const postCalled = deferredSignal();
    const crashingBc: SyncDeps['bc'] = Object.create(sb.deps.bc) as SyncDeps['bc'];
    crashingBc.postPurchaseCreditMemoAndRead = () => {
      postCalled.signal();
      return never();
    };
    void runJob(purchaseEnvelope(purchase, { version: 'crash' }), { ...sb.deps, bc: crashingBc }, allHandlers);
    await postCalled.reached;

    const result = await runJob(purchaseEnvelope(purchase, { version: 'again', attempt: 2 }), sb.deps, allHandlers);
    await sb.settle();

    expect(result.status).toBe('done');
    expect(bcMemos(sb).map((m) => m.status)).toEqual(['Paid']);
    expect(memoCreateRequests(sb)).toBe(1);
    expect(memoPostRequests(sb)).toBe(1);
  });

  it('I1: when BC commits the memo create but the answer is lost, then the retry finds the draft by vendor and credit memo number and posts it', async () => {
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    addCredit(sb, purchase, { CreditNoteNumber: "O'BRIEN#7 & CR" });
    sb.faults.add({ system: 'bc', method: 'POST', path: /\/purchaseCreditMemos$/, kind: 'lost-response', times: 1 });

    await announceCreditNote(sb, purchase);
    await sb.settle();

    expect(bcMemos(sb).map((m) => [m.status, m.vendorCreditMemoNumber])).toEqual([['Paid', "O'BRIEN#7 & CR"]]);
    expect(memoCreateRequests(sb)).toBe(1);
    const [entry] = await sb.ledger('purchase-credit-note');
    const audit = await sb.deps.stores.audit.list('purchase-credit-note', entry?.recordId ?? '');
    expect(audit.some((a) => a.step === 'bc-lookup' && /found BC draft/.test(a.message))).toBe(true);
  });

  it('I1: when BC fails the memo create with a 5xx and creates nothing, then the retry looks up, checks the credited invoice again and posts one memo applied to it', async () => {
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    addCredit(sb, purchase);
    sb.faults.add({ system: 'bc', method: 'POST', path: /\/purchaseCreditMemos$/, kind: 'server-error', times: 1 });

    await announceCreditNote(sb, purchase);
    await sb.settle();

    const [invoice] = bcInvoices(sb);
    expect(bcMemos(sb).map((m) => [m.status, m.invoiceNumber])).toEqual([['Paid', invoice?.number]]);
    expect(memoCreateRequests(sb)).toBe(2);
    expect((await sb.ledger('purchase-credit-note')).map((e) => e.state)).toEqual(['posted']);
  });

  it('I1: when two workers run the same purchase at once, then one memo is created and posted', async () => {
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    addCredit(sb, purchase, { CreditNoteInvoiceNumber: '' });

    await Promise.all([
      runJob(purchaseEnvelope(purchase, { version: 'a' }), sb.deps, allHandlers),
      runJob(purchaseEnvelope(purchase, { version: 'b' }), sb.deps, allHandlers),
    ]);
    await sb.settle();

    expect(bcMemos(sb).map((m) => m.status)).toEqual(['Open']);
    expect(memoCreateRequests(sb)).toBe(1);
    expect((await sb.ledger('purchase-credit-note')).map((e) => e.state)).toEqual(['posted']);
  });

  it('I1: when two suppliers send credit notes with the same number, then each gets its own memo under its vendor', async () => {
    const sb = await start();
    const purchases = ['Olive Co', 'Vinegar Co'].map((name) => {
      const { supplier } = addSupplierWithVendor(sb, name);
      const purchase = addAuthorisedPurchase(sb, supplier.ID);
      addCredit(sb, purchase, { CreditNoteNumber: 'CR-1' });
      return purchase;
    });

    for (const purchase of purchases) await runJob(purchaseEnvelope(purchase), sb.deps, allHandlers);
    await sb.settle();

    const memos = bcMemos(sb);
    expect(memos.map((m) => [m.vendorCreditMemoNumber, m.status])).toEqual([
      ['CR-1', 'Paid'],
      ['CR-1', 'Paid'],
    ]);
    expect(new Set(memos.map((m) => m.vendorNumber)).size).toBe(2);
  });

  it('I1: when BC already holds the memo posted by hand with the same total, then it is recorded and nothing is created', async () => {
    const sb = await start();
    const { supplier, vendor } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    addCredit(sb, purchase, { CreditNoteNumber: 'CR-HAND', CreditNoteInvoiceNumber: '' });
    const byHand = sb.bc.state.createPurchaseCreditMemo(sb.bc.data, {
      vendorNumber: vendor?.number,
      vendorCreditMemoNumber: 'CR-HAND',
      purchaseCreditMemoLines: [
        { lineType: 'Account', lineObjectNumber: '630', quantity: 2, unitCost: 8.5, taxCode: 'TAX ON PURCHASES' },
      ],
    });
    sb.bc.state.postPurchaseCreditMemo(sb.bc.data, str(byHand.id));

    await runJob(purchaseEnvelope(purchase), sb.deps, allHandlers);

    expect(memoCreateRequests(sb)).toBe(0);
    const [entry] = await sb.ledger('purchase-credit-note');
    expect([entry?.state, entry?.targetId]).toEqual(['posted', byHand.id]);
  });

  it('I5: when BC computes a memo total beyond AMOUNT_TOLERANCE from Cin7, then the memo is amount-mismatch and kept unposted', async () => {
    const sb = await start({ reference: { purchaseTaxPercent: 12 }, env: { AMOUNT_TOLERANCE: '0.01' } });
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    addCredit(sb, purchase, { CreditNoteInvoiceNumber: '' });

    await runJob(purchaseEnvelope(purchase), sb.deps, allHandlers);

    const [entry] = await sb.ledger('purchase-credit-note');
    expect(entry?.state).toBe('amount-mismatch');
    expect(entry?.reason).toMatch(/BC total 19\.04 differs from Cin7 total 18\.70/);
    expect(bcMemos(sb).map((m) => m.status)).toEqual(['Draft']);
    expect(memoPostRequests(sb)).toBe(0);
  });

  it('I5: when the purchase is tax-inclusive, then the memo reconciles to the cent although its page takes no pricesIncludeTax', async () => {
    const sb = await start({ env: { AMOUNT_TOLERANCE: '0' } });
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID, { TaxCalculation: 'Inclusive' });
    const note = addCredit(sb, purchase, { Lines: [{ Name: 'Returned', Quantity: 3, Price: 7.99 }] });

    await runJob(purchaseEnvelope(purchase), sb.deps, allHandlers);

    const [memo] = bcMemos(sb);
    expect([memo?.status, memo?.pricesIncludeTax, memo?.totalAmountIncludingTax]).toEqual(['Paid', false, note.Total]);
  });

  it('I4: when the credit note is voided after its memo was posted, then it is diverged and nothing is re-posted', async () => {
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    const note = addCredit(sb, purchase);
    await runJob(purchaseEnvelope(purchase, { version: 'first' }), sb.deps, allHandlers);
    sb.cin7.voidCreditNote(purchase.ID, note.TaskID);

    await runJob(purchaseEnvelope(purchase, { version: 'voided' }), sb.deps, allHandlers);

    const [entry] = await sb.ledger('purchase-credit-note');
    expect(entry?.state).toBe('diverged');
    expect(entry?.reason).toMatch(
      /credit note was voided after it was posted in BC as credit memo \d+: cancel the memo/,
    );
    expect(memoCreateRequests(sb)).toBe(1);
    expect(memoPostRequests(sb)).toBe(1);
  });

  it('I4: when the credit note changes after its memo was posted, then it is diverged and nothing is re-posted', async () => {
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    const note = addCredit(sb, purchase);
    await runJob(purchaseEnvelope(purchase, { version: 'first' }), sb.deps, allHandlers);
    sb.cin7.updateCreditNote(purchase.ID, note.TaskID, { Lines: [{ Name: 'More back', Quantity: 5, Price: 8.5 }] });

    await runJob(purchaseEnvelope(purchase, { version: 'changed' }), sb.deps, allHandlers);

    const [entry] = await sb.ledger('purchase-credit-note');
    expect([entry?.state, entry?.reason]).toEqual([
      'diverged',
      expect.stringMatching(
        /^Cin7 credit note changed after it was posted in BC as \d+ \(total 18\.70 → 46\.75\): review/,
      ),
    ]);
    expect(memoCreateRequests(sb)).toBe(1);
  });

  it('I4: when draft and voided credit notes are read, then each is skipped with its status and nothing reaches BC', async () => {
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    addCredit(sb, purchase, { Status: 'DRAFT' });
    sb.cin7.voidCreditNote(purchase.ID, addCredit(sb, purchase).TaskID);

    await runJob(purchaseEnvelope(purchase), sb.deps, allHandlers);

    const entries = await sb.ledger('purchase-credit-note');
    expect(entries.map((e) => [e.state, e.reason]).sort()).toEqual([
      ['skipped', 'credit note DRAFT'],
      ['skipped', 'credit note VOIDED'],
    ]);
    expect(bcMemos(sb)).toHaveLength(0);
  });

  it('I4: when the credited invoice is parked for a mapping, then the credit note waits naming it and posts applied once the invoice posts', async () => {
    const sb = await start();
    const purchase = addPurchaseParkedForAccount(sb);
    const note = addCredit(sb, purchase);

    await runJob(purchaseEnvelope(purchase), sb.deps, allHandlers);
    const waiting = (await sb.ledger('purchase-credit-note'))[0];
    sb.bc.addAccount({ number: '999', displayName: 'Specialty goods' });
    await replayRecord('purchase-invoice', invoiceRecordId(purchase), sb.deps);
    await sb.settle();

    expect(waiting?.state).toBe('needs-mapping');
    expect(waiting?.missing).toEqual([
      expect.stringMatching(
        new RegExp(`^posted-invoice:${firstInvoice(purchase).InvoiceNumber} \\(waits .* needs-mapping`),
      ),
    ]);
    const [invoice] = bcInvoices(sb);
    expect(bcMemos(sb).map((m) => [m.status, m.invoiceNumber])).toEqual([['Paid', invoice?.number]]);
    expect(sb.bc.remainingAmount(str(invoice?.id))).toBe(36.3);
    const [entry] = await sb.ledger('purchase-credit-note');
    expect([entry?.recordId, entry?.state]).toEqual([creditRecordId(purchase, note.TaskID), 'posted']);
  });

  it('I4: when only a credit note of an unchanged purchase is parked, then the poll reads the purchase again', async () => {
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    addCredit(sb, purchase, { Lines: [{ Name: 'Truffles back', Quantity: 1, Price: 5, Account: '999' }] });
    await runJob(purchaseEnvelope(purchase), sb.deps, allHandlers);
    const states = [await sb.ledger('purchase-invoice'), await sb.ledger('purchase-credit-note')].map((l) =>
      l.map((e) => e.state),
    );

    const poll = await pollCin7Purchases(sb.deps, { since: new Date(0) });

    expect(states).toEqual([['posted'], ['needs-mapping']]);
    expect([poll.enqueued, poll.unchanged]).toEqual([1, 0]);
  });

  it('I4: when the supplier was remapped to another vendor after its invoice posted, then the memo posts under the new vendor unapplied and says why', async () => {
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    await runJob(purchaseEnvelope(purchase, { version: 'invoice' }), sb.deps, allHandlers);
    const other = sb.bc.addVendor({ displayName: 'Successor Ltd' });
    await sb.deps.stores.mappings.upsert({ kind: 'supplier', source: supplier.ID, target: str(other.number) });
    const note = addCredit(sb, purchase);

    await runJob(purchaseEnvelope(purchase, { version: 'credit' }), sb.deps, allHandlers);

    expect(bcMemos(sb).map((m) => [m.status, m.vendorNumber, m.invoiceNumber])).toEqual([['Open', other.number, '']]);
    const audit = await sb.deps.stores.audit.list('purchase-credit-note', creditRecordId(purchase, note.TaskID));
    expect(audit.some((a) => /the credit note codes to vendor .*; posted unapplied/.test(a.message))).toBe(true);
  });

  it('I4: when a credit note parked for its own mapping is replayed after the fix, then only it is processed and it posts applied', async () => {
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    const note = addCredit(sb, purchase, { Lines: [{ Name: 'Truffles back', Quantity: 1, Price: 5, Account: '999' }] });
    await runJob(purchaseEnvelope(purchase), sb.deps, allHandlers);
    sb.bc.addAccount({ number: '999', displayName: 'Specialty goods' });

    await replayRecord('purchase-credit-note', creditRecordId(purchase, note.TaskID), sb.deps);
    await sb.settle();

    const [entry] = await sb.ledger('purchase-credit-note');
    expect(entry?.state).toBe('posted');
    expect(bcMemos(sb).map((m) => [m.status, m.invoiceNumber])).toEqual([['Paid', bcInvoices(sb)[0]?.number]]);
  });

  it('when a memo applies to its posted invoice, then it costs no more BC requests than that invoice did', async () => {
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const warmUp = addAuthorisedPurchase(sb, supplier.ID);
    await runJob(purchaseEnvelope(warmUp, { version: 'invoice' }), sb.deps, allHandlers);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    sb.faults.resetCounts();
    await runJob(purchaseEnvelope(purchase, { version: 'invoice' }), sb.deps, allHandlers);
    const invoiceRequests = sb.faults.count({ system: 'bc' });
    addCredit(sb, purchase);
    sb.faults.resetCounts();

    await runJob(purchaseEnvelope(purchase, { version: 'credit' }), sb.deps, allHandlers);

    const invoice = bcInvoices(sb).find((i) => i.vendorInvoiceNumber === firstInvoice(purchase).InvoiceNumber);
    expect(bcMemos(sb).map((m) => [m.status, m.invoiceNumber])).toEqual([['Paid', invoice?.number]]);
    expect(sb.faults.count({ system: 'bc' })).toBeLessThanOrEqual(invoiceRequests);
  });

  it('I4: when the credited invoice is already fully paid in BC, then the memo posts unapplied and the audit says so', async () => {
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    await runJob(purchaseEnvelope(purchase, { version: 'invoice' }), sb.deps, allHandlers);
    const [invoice] = bcInvoices(sb);
    sb.bc.payInvoice(str(invoice?.id));
    const note = addCredit(sb, purchase);

    await runJob(purchaseEnvelope(purchase, { version: 'credit' }), sb.deps, allHandlers);

    expect(bcMemos(sb).map((m) => [m.status, m.invoiceNumber])).toEqual([['Open', '']]);
    const audit = await sb.deps.stores.audit.list('purchase-credit-note', creditRecordId(purchase, note.TaskID));
    expect(audit.some((a) => /already fully paid; posted unapplied/.test(a.message))).toBe(true);
  });

  it('I4: when the credited invoice is paid in full between the look-up and the post, then the memo posts unapplied, once, and the audit says why', async () => {
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    await runJob(purchaseEnvelope(purchase, { version: 'invoice' }), sb.deps, allHandlers);
    const [invoice] = bcInvoices(sb);
    const note = addCredit(sb, purchase);
    const payingBc: SyncDeps['bc'] = Object.create(sb.deps.bc) as SyncDeps['bc'];
    payingBc.createPurchaseCreditMemo = async (body) => {
      const created = await sb.deps.bc.createPurchaseCreditMemo(body);
      sb.bc.payInvoice(str(invoice?.id));
      return created;
    };

    await runJob(purchaseEnvelope(purchase, { version: 'credit' }), { ...sb.deps, bc: payingBc }, allHandlers);

    expect(bcMemos(sb).map((m) => [m.status, m.invoiceNumber])).toEqual([['Open', '']]);
    expect(memoCreateRequests(sb)).toBe(1);
    expect((await sb.ledger('purchase-credit-note')).map((e) => e.state)).toEqual(['posted']);
    const audit = await sb.deps.stores.audit.list('purchase-credit-note', creditRecordId(purchase, note.TaskID));
    const paidNote = `BC invoice ${str(invoice?.number)} was paid in full before the memo posted; posting it unapplied`;
    expect(audit.map((a) => a.message)).toContain(paidNote);
  });

  it('I4: when the credited invoice was skipped by an operator, then the memo does not wait for it: it posts unapplied and says why', async () => {
    const sb = await start();
    const purchase = addPurchaseParkedForAccount(sb);
    await runJob(purchaseEnvelope(purchase, { version: 'invoice' }), sb.deps, allHandlers);
    const skipped = await skipRecord(
      sb.deps,
      { type: 'purchase-invoice', id: invoiceRecordId(purchase), reason: 'keyed by hand in BC' },
      'operator@example.com',
    );
    expect(skipped.ok).toBe(true);
    const note = addCredit(sb, purchase);

    await runJob(purchaseEnvelope(purchase, { version: 'credit' }), sb.deps, allHandlers);

    expect(bcMemos(sb).map((m) => [m.status, m.invoiceNumber])).toEqual([['Open', '']]);
    expect(bcInvoices(sb)).toEqual([]);
    const audit = await sb.deps.stores.audit.list('purchase-credit-note', creditRecordId(purchase, note.TaskID));
    expect(
      audit.some((a) =>
        /is skipped \(skipped by operator@example.com: keyed by hand in BC\); posted unapplied/.test(a.message),
      ),
    ).toBe(true);
  });

  it('I4: when an operator skipped a waiting credit note, then replaying the invoice it credits posts the invoice and the skip holds', async () => {
    const sb = await start();
    const purchase = addPurchaseParkedForAccount(sb);
    const note = addCredit(sb, purchase);
    await runJob(purchaseEnvelope(purchase), sb.deps, allHandlers);
    const noteId = creditRecordId(purchase, note.TaskID);
    const skipped = await skipRecord(
      sb.deps,
      { type: 'purchase-credit-note', id: noteId, reason: 'credited by hand in BC' },
      'operator@example.com',
    );
    expect(skipped.ok).toBe(true);

    sb.bc.addAccount({ number: '999', displayName: 'Specialty goods' });
    await replayRecord('purchase-invoice', invoiceRecordId(purchase), sb.deps);
    await sb.settle();

    expect(bcInvoices(sb).map((i) => i.status)).toEqual(['Open']);
    expect(bcMemos(sb)).toEqual([]);
    const entry = (await sb.deps.stores.ledger.get('purchase-credit-note', noteId))?.value;
    expect([entry?.state, entry?.skippedBy]).toEqual(['skipped', 'operator@example.com']);
    const audit = await sb.deps.stores.audit.list('purchase-credit-note', noteId);
    expect(audit[0]?.message).toMatch(/^kept skipped: operator@example.com decided/);
  });
});
