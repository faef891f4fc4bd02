/**
 * Invariant 4: nothing fails silently (DESIGN §3.4). Every record that enters ends in a visible ledger state
 * with an audit row per attempt, and can be replayed; nothing is lost to de-duplication, dead letters or
 * timeouts.
 */
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../sandbox/sandbox.js';
import { pollCin7Purchases } from '../../src/sync/purchase/poll-cin7.js';
import { replayRecord } from '../../src/sync/jobs/replay.js';
import { finalLedgerStates } from '../support/final-states.js';
import { addAuthorisedPurchase, addSupplierWithVendor } from '../support/seed.js';
import {
  announceInvoice,
  announceUpdate,
  bcInvoices,
  createRequests,
  firstInvoice,
  invoiceRecordId,
  sandboxPerTest,
} from '../support/invariant-sandbox.js';

describe('I4: nothing fails silently', () => {
  const start = sandboxPerTest();

  it('I4: when a mixed batch arrives by webhook and poll, then every record ends in a visible final state with its reason and an audit row per attempt, and nothing is dead-lettered', async () => {
    // Arrange
    const sb = await start({ env: { ELIGIBLE_APPROACHES: 'INVOICE' } });
    const { supplier } = addSupplierWithVendor(sb);
    const lines = [{ SKU: 'OIL-1L', Name: 'Olive oil 1 L', Quantity: 12, Price: 8.5 }];
    const draft = sb.cin7.addPurchase({ SupplierID: supplier.ID, invoices: [{ Status: 'DRAFT', Lines: lines }] });
    const orderOnly = sb.cin7.addPurchase({ SupplierID: supplier.ID, invoices: [] });
    const authorised = addAuthorisedPurchase(sb, supplier.ID);
    const voided = addAuthorisedPurchase(sb, supplier.ID);
    sb.cin7.voidInvoice(voided.ID, firstInvoice(voided).TaskID);
    const stock = addAuthorisedPurchase(sb, supplier.ID, { Approach: 'STOCK' });

    // Act
    await announceUpdate(sb, draft, orderOnly, authorised, voided, stock);
    await pollCin7Purchases(sb.deps);
    await sb.settle();

    // Assert
    const ledger = await sb.ledger('purchase-invoice');
    const byPurchase = (id: string) => ledger.find((e) => e.recordId.startsWith(id.toLowerCase()));
    expect(
      [draft, orderOnly, authorised, voided, stock].map((p) => [byPurchase(p.ID)?.state, byPurchase(p.ID)?.reason]),
    ).toEqual([
      ['skipped', 'invoice stage DRAFT'],
      ['skipped', expect.stringMatching(/^no invoice stage yet/)],
      ['posted', undefined],
      ['skipped', 'invoice stage VOIDED'],
      ['skipped', expect.stringMatching(/approach STOCK is not in ELIGIBLE_APPROACHES \(INVOICE\)/)],
    ]);
    expect(ledger.filter((e) => !finalLedgerStates.includes(e.state))).toEqual([]);
    expect(sb.queue.deadLetters).toHaveLength(0);
    for (const entry of ledger) {
      const audit = await sb.deps.stores.audit.list(entry.recordType, entry.recordId);
      expect(audit.length, entry.recordId).toBeGreaterThanOrEqual(entry.attempts);
      expect(audit.find((a) => a.state !== undefined)?.state, entry.recordId).toBe(entry.state);
    }
  });

  it('I4: when every BC create fails with 500, then the record ends failed after MAX_ATTEMPTS with its reason and attempts', async () => {
    // Arrange
    const sb = await start({ env: { MAX_ATTEMPTS: '3' } });
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    sb.faults.add({ system: 'bc', method: 'POST', kind: 'server-error' });

    // Act
    await announceInvoice(sb, purchase);
    await sb.settle();

    // Assert
    const [entry] = await sb.ledger('purchase-invoice');
    expect(entry?.state).toBe('failed');
    expect(entry?.reason).toMatch(/^transient after 3 attempt\(s\): /);
    expect(entry?.attempts).toBe(3);
    expect(createRequests(sb)).toBe(3);
    expect(sb.queue.deadLetters).toHaveLength(0);
  });

  it('I4: when a record failed on BC 500s and is replayed after BC recovers, then it is posted once', async () => {
    // Arrange
    const sb = await start({ env: { MAX_ATTEMPTS: '3' } });
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    sb.faults.add({ system: 'bc', method: 'POST', kind: 'server-error' });
    await announceInvoice(sb, purchase);
    await sb.settle();
    sb.faults.clear();

    // Act
    await replayRecord('purchase-invoice', invoiceRecordId(purchase), sb.deps);
    await sb.settle();

    // Assert
    expect((await sb.ledger('purchase-invoice')).map((e) => e.state)).toEqual(['posted']);
    expect(bcInvoices(sb).map((i) => i.status)).toEqual(['Open']);
  });

  it('I4: when Cin7 rejects the application key, then the record is parked failed at once without retries', async () => {
    // Arrange
    const sb = await start({ env: { CIN7_APPLICATION_KEY: 'not-the-key' } });
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);

    // Act
    await announceInvoice(sb, purchase);
    await sb.settle();

    // Assert
    const ledger = await sb.ledger('purchase-invoice');
    expect(ledger.map((e) => e.state)).toEqual(['failed']);
    expect(ledger[0]?.reason).toMatch(/^auth after 1 attempt\(s\): /);
    expect(sb.faults.count({ system: 'cin7' })).toBe(1);
    expect(sb.queue.stats()).toMatchObject({ sent: 1, delivered: 1, deadLettered: 0 });
    expect(sb.telemetry.events.filter((e) => e.name === 'auth.failure')).toHaveLength(1);
  });

  it.each([
    {
      change: 'voided',
      apply: (sb: Sandbox, id: string, taskId: string) => void sb.cin7.voidInvoice(id, taskId),
      reason: /voided after it was posted/,
    },
    {
      change: 'its amount changed',
      apply: (sb: Sandbox, id: string, taskId: string) =>
        void sb.cin7.updateInvoice(id, taskId, {
          Lines: [{ SKU: 'OIL-1L', Name: 'Olive oil 1 L', Quantity: 24, Price: 8.5 }],
        }),
      reason: /changed after it was posted/,
    },
  ])(
    'I4: when the Cin7 invoice is $change after it was posted, then the record is diverged with a reason and nothing is re-posted',
    async ({ apply, reason }) => {
      // Arrange
      const sb = await start();
      const { supplier } = addSupplierWithVendor(sb);
      const purchase = addAuthorisedPurchase(sb, supplier.ID);
      await announceInvoice(sb, purchase);
      await sb.settle();
      apply(sb, purchase.ID, firstInvoice(purchase).TaskID);

      // Act
      await announceUpdate(sb, purchase);
      await pollCin7Purchases(sb.deps);
      await sb.settle();

      // Assert
      const [entry] = await sb.ledger('purchase-invoice');
      expect(entry?.state).toBe('diverged');
      expect(entry?.reason).toMatch(reason);
      expect(bcInvoices(sb).map((i) => i.status)).toEqual(['Open']);
      expect(createRequests(sb)).toBe(1);
    },
  );
});
