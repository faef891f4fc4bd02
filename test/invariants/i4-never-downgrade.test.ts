/**
 * Invariant 4, never downgrade: a failure that ends a job (a transient one after the last attempt, or any
 * other) never overwrites a record that already says more than `failed` would. The failure is kept as an
 * audit row and the record keeps its state; records still on their way (pending, creating, created) or
 * already failed become `failed`.
 */
import { describe, expect, it } from 'vitest';
import { runJob, type JobHandlers } from '../../src/sync/jobs/run-job.js';
import { RecordFailures } from '../../src/sync/jobs/record-failures.js';
import { TransientError } from '../../src/core/errors.js';
import type { LedgerState } from '../../src/core/ports/stores.js';
import { addAuthorisedPurchase, addSupplierWithVendor } from '../support/seed.js';
import {
  invoiceRecordId,
  purchaseEnvelope,
  sandboxPerTest,
  withoutAutomaticRetries,
} from '../support/invariant-sandbox.js';

describe('I4: a failure never downgrades a record', () => {
  const start = sandboxPerTest();

  /** A purchase handler whose connection to BC fails while it works on the purchase's first invoice. */
  function connectionFailsFor(recordId: string): JobHandlers {
    return {
      'cin7-purchase': () =>
        Promise.reject(
          new RecordFailures([{ recordId, error: new TransientError('BC connection refused', { system: 'bc' }) }]),
        ),
    };
  }

  async function recordIn(state: LedgerState) {
    const sb = await start({ env: { MAX_ATTEMPTS: '2' } });
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    const recordId = invoiceRecordId(purchase);
    await sb.deps.stores.ledger.create({
      recordType: 'purchase-invoice',
      recordId,
      state,
      correlationId: 'c-1',
      label: `${purchase.OrderNumber} / INV-1`,
      reason: `was ${state}`,
      attempts: 1,
      updatedAt: new Date().toISOString(),
    });
    return { sb, purchase, recordId };
  }

  it.each(['posted', 'diverged', 'skipped', 'needs-mapping', 'amount-mismatch'] as const)(
    'I4: when a %s record meets a connection failure on its last attempt, then it keeps its state and reason and the failure is an audit row',
    async (state) => {
      // Arrange
      const { sb, purchase, recordId } = await recordIn(state);

      // Act
      const result = await runJob(
        purchaseEnvelope(purchase, { attempt: 2 }),
        withoutAutomaticRetries(sb),
        connectionFailsFor(recordId),
      );

      // Assert
      expect(result.status).toBe('failed');
      const [entry] = await sb.ledger('purchase-invoice');
      expect([entry?.state, entry?.reason]).toEqual([state, `was ${state}`]);
      const [latest] = await sb.deps.stores.audit.list('purchase-invoice', recordId);
      expect(latest).toMatchObject({ step: 'give-up', outcome: 'error' });
      expect(latest?.state).toBeUndefined();
      expect(latest?.message).toMatch(
        new RegExp(`^transient after 2 attempt\\(s\\): BC connection refused; kept ${state}`),
      );
    },
  );

  it.each(['pending', 'creating', 'created', 'failed'] as const)(
    'I4: when a %s record meets a connection failure on its last attempt, then it becomes failed with the reason',
    async (state) => {
      // Arrange
      const { sb, purchase, recordId } = await recordIn(state);

      // Act
      await runJob(
        purchaseEnvelope(purchase, { attempt: 2 }),
        withoutAutomaticRetries(sb),
        connectionFailsFor(recordId),
      );

      // Assert
      const [entry] = await sb.ledger('purchase-invoice');
      expect([entry?.state, entry?.reason]).toEqual(['failed', 'transient after 2 attempt(s): BC connection refused']);
    },
  );
});
