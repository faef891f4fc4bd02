/**
 * Invariants 1 and 4 under load: 200 purchases while about 30 % of the requests to both Cin7 and BC are
 * throttled (429 and 503, with and without Retry-After). Everything posts, once.
 */
import { describe, expect, it } from 'vitest';
import { pollCin7Purchases } from '../../src/sync/purchase/poll-cin7.js';
import { addAuthorisedPurchase, addSupplierWithVendor } from '../support/seed.js';
import { bcInvoices, sandboxPerTest } from '../support/invariant-sandbox.js';

const purchaseCount = 200;
const supplierCount = 20;

describe('throttle storm', () => {
  const start = sandboxPerTest();

  it(
    'I1/I4: when 200 purchases sync while ~30 % of Cin7 and BC requests are throttled, then all are posted once and none failed',
    { timeout: 60_000 },
    async () => {
      // Arrange: Cin7 scaled to 50 calls/s, and the connector clock 20x fast so its backoffs and limiter
      // pauses (which hold every caller of the process) take seconds, not minutes.
      const sb = await start({
        cin7RateLimit: { limit: 50, windowMs: 1000 },
        maxConcurrentSessions: 16,
        speed: 20,
      });
      const suppliers = Array.from(
        { length: supplierCount },
        (_, i) => addSupplierWithVendor(sb, `Storm Supplier ${i + 1}`).supplier,
      );
      for (let i = 0; i < purchaseCount; i += 1) addAuthorisedPurchase(sb, suppliers[i % supplierCount]?.ID ?? '');
      for (const system of ['cin7', 'bc'] as const) {
        sb.faults
          .add({ system, kind: 'throttle', probability: 0.05, retryAfterSeconds: 1 })
          .add({ system, kind: 'throttle', probability: 0.05, retryAfterSeconds: 0 })
          .add({ system, kind: 'throttle', probability: 0.1, status: 503, retryAfterSeconds: 0 })
          .add({ system, kind: 'throttle-no-retry-after', probability: 0.15 });
      }

      // Act
      await pollCin7Purchases(sb.deps);
      await sb.settle();

      // Assert
      const ledger = await sb.ledger('purchase-invoice');
      expect(ledger.filter((e) => e.state !== 'posted').map((e) => [e.label, e.state, e.reason])).toEqual([]);
      expect(ledger).toHaveLength(purchaseCount);
      const invoices = bcInvoices(sb);
      expect(invoices.filter((i) => i.status !== 'Open')).toEqual([]);
      const keys = invoices.map((i) => JSON.stringify([i.vendorNumber, i.vendorInvoiceNumber]));
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys).toHaveLength(purchaseCount);
      expect(sb.queue.deadLetters).toHaveLength(0);
      for (const system of ['cin7', 'bc'] as const) {
        const all = sb.faults.count({ system });
        const throttled = sb.faults.count({ system, status: 429 }) + sb.faults.count({ system, status: 503 });
        expect(throttled / all, system).toBeGreaterThan(0.2);
      }
    },
  );
});
