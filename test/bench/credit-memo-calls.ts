/**
 * Calls per credit memo: `purchases` authorised purchases are backfilled (invoices posted), then each gets one
 * authorised credit note for one unit of its first line, crediting its invoice, and the poll runs again. What
 * that second run costs, per memo posted: Cin7 calls (the purchase list and the one read per purchase, nothing
 * else) and BC calls (a `$batch` counted once).
 */
import { pollCin7Purchases } from '../../src/sync/purchase/poll-cin7.js';
import { startSandbox, type SandboxOptions } from '../sandbox/sandbox.js';
import { addAuthorisedPurchase, addSupplierWithVendor, seedMatchingReference } from '../support/seed.js';

export interface MemoCalls {
  posted: number;
  cin7Calls: number;
  /** Cin7 calls that read a purchase (`GET advanced-purchase`): the one read each memo's purchase needs. */
  cin7PurchaseReads: number;
  bcCalls: number;
  byEndpoint: string[];
}

export async function creditMemoCalls(options: SandboxOptions & { purchases: number }): Promise<MemoCalls> {
  const { purchases, ...sandboxOptions } = options;
  const sandbox = await startSandbox({ maxConcurrentSessions: 16, ...sandboxOptions });
  try {
    seedMatchingReference(sandbox);
    const suppliers = Array.from({ length: 10 }, (_, i) => addSupplierWithVendor(sandbox, `Memo Supplier ${i + 1}`));
    const seeded = Array.from({ length: purchases }, (_, i) =>
      addAuthorisedPurchase(sandbox, suppliers[i % suppliers.length]?.supplier.ID ?? ''),
    );
    await pollCin7Purchases(sandbox.deps);
    await sandbox.settle();
    for (const purchase of seeded) {
      sandbox.cin7.addCreditNote(purchase.ID, {
        Status: 'AUTHORISED',
        Lines: [{ SKU: 'OIL-1L', Name: 'Olive oil 1 L (returned)', Quantity: 1, Price: 8.5 }],
      });
    }
    sandbox.faults.resetCounts();
    await pollCin7Purchases(sandbox.deps);
    await sandbox.settle();
    const ledger = await sandbox.ledger('purchase-credit-note');
    const posted = ledger.filter((e) => e.state === 'posted').length;
    if (posted !== purchases) throw new Error(`credit memos: posted ${posted} of ${purchases}`);
    const endpoints = new Map<string, number>();
    for (const r of sandbox.faults.requests) {
      const key = `${r.system} ${r.method} ${r.path.replace(/\([^)]*\)/g, '(…)').replace(/^.*\/(ExternalApi\/v2|api\/v2\.0)\//, '')}`;
      endpoints.set(key, (endpoints.get(key) ?? 0) + 1);
    }
    return {
      posted,
      cin7Calls: sandbox.faults.count({ system: 'cin7' }),
      cin7PurchaseReads: sandbox.faults.count({ system: 'cin7', path: /advanced-purchase$/ }),
      bcCalls: sandbox.faults.count({ system: 'bc' }),
      byEndpoint: [...endpoints].sort((a, b) => b[1] - a[1]).map(([key, n]) => `${key}: ${n}`),
    };
  } finally {
    await sandbox.close();
  }
}
