/**
 * Re-syncs spend no Cin7 call on a purchase that has not changed since it was processed and whose records
 * are all final; anything that still needs attention, or changed, is read again, and a skipped read is
 * counted, never silent (I4).
 */
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { JobEnvelope, JobQueue } from '../../src/core/ports/jobs.js';
import { pollCin7Purchases } from '../../src/sync/purchase/poll-cin7.js';
import { addAuthorisedPurchase, addSupplierWithVendor } from '../support/seed.js';
import { sandboxPerTest } from '../support/invariant-sandbox.js';

const longAgo = new Date('2020-01-01T00:00:00Z');

describe('re-syncs of unchanged purchases', () => {
  const start = sandboxPerTest();

  const purchaseReads = (sb: Sandbox) => sb.faults.count({ system: 'cin7', method: 'GET', path: /advanced-purchase/ });

  /**
   * The sandbox's queue, noting which purchases the poll enqueued. Its duplicate detection would absorb a
   * repeated poll job on its own (same message id within the hour); a `sync` in a new process, or a poll after
   * the window, has no such help, so what the poll enqueues is what is read.
   */
  function noting(queue: JobQueue, purchaseIds: string[]): JobQueue {
    return {
      ...queue,
      enqueue: async (envelopes: JobEnvelope[]) => {
        for (const { job } of envelopes) if (job.type === 'cin7-purchase') purchaseIds.push(job.purchaseId ?? '');
        await queue.enqueue(envelopes);
      },
    };
  }

  /** Three posted purchases and one parked for a missing account, all processed once. */
  async function processedOnce() {
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    const posted = [1, 2, 3].map(() => addAuthorisedPurchase(sb, supplier.ID));
    const parked = addAuthorisedPurchase(
      sb,
      supplier.ID,
      {},
      { Lines: [{ SKU: 'FRT', Name: 'Sea freight', Quantity: 1, Price: 120, Account: '5100' }] },
    );
    await pollCin7Purchases(sb.deps, { since: longAgo });
    await sb.settle();
    expect((await sb.ledger('purchase-invoice')).map((e) => e.state).sort()).toEqual([
      'needs-mapping',
      'posted',
      'posted',
      'posted',
    ]);
    sb.faults.resetCounts();
    return { sb, posted, parked };
  }

  it('I4: when purchases are listed again unchanged, then only the one needing attention is read and the rest are counted unchanged', async () => {
    const { sb, parked } = await processedOnce();
    const enqueued: string[] = [];
    const logged: string[] = [];
    const logger = { ...sb.deps.logger, info: (message: string) => void logged.push(message) };

    const result = await pollCin7Purchases(
      { ...sb.deps, logger, queue: noting(sb.deps.queue, enqueued) },
      { since: longAgo },
    );

    expect(result).toMatchObject({ listed: 4, enqueued: 1, unchanged: 3 });
    expect(enqueued).toEqual([parked.ID]);
    expect(logged.join('\n')).toContain('3 unchanged since last processed (not read again)');
  });

  it('I4: when a processed purchase changes in Cin7, then it is read again on the next sync', async () => {
    const { sb, posted, parked } = await processedOnce();
    await new Promise((resolve) => setTimeout(resolve, 5));
    sb.cin7.updatePurchase(posted[0]!.ID, { Note: 'changed after posting' });
    const enqueued: string[] = [];

    const result = await pollCin7Purchases({ ...sb.deps, queue: noting(sb.deps.queue, enqueued) }, { since: longAgo });
    await sb.settle();

    expect(result).toMatchObject({ listed: 4, enqueued: 2, unchanged: 2 });
    expect(enqueued.sort()).toEqual([posted[0]!.ID, parked.ID].sort());
    expect(purchaseReads(sb)).toBe(1);
  });

  it('I4: when the sync is forced, then every listed purchase is read again and nothing new is created in BC', async () => {
    const { sb } = await processedOnce();
    const invoicesBefore = sb.bc.data.purchaseInvoices.rows.size;

    const result = await pollCin7Purchases(sb.deps, { since: longAgo, force: true });
    await sb.settle();

    expect(result).toMatchObject({ listed: 4, enqueued: 4, unchanged: 0 });
    expect(purchaseReads(sb)).toBe(4);
    expect(sb.bc.data.purchaseInvoices.rows.size).toBe(invoicesBefore);
  });

  it('I4: when a posted record was put back to failed since, then its purchase is read again', async () => {
    const { sb, posted } = await processedOnce();
    const recordId = (await sb.ledger('purchase-invoice')).find((e) =>
      e.recordId.startsWith(posted[1]!.ID.toLowerCase()),
    )!.recordId;
    const current = (await sb.deps.stores.ledger.get('purchase-invoice', recordId))!;
    await sb.deps.stores.ledger.update({ ...current.value, state: 'failed', reason: 'set by the test' }, current.etag);

    const enqueued: string[] = [];

    const result = await pollCin7Purchases({ ...sb.deps, queue: noting(sb.deps.queue, enqueued) }, { since: longAgo });

    expect(result).toMatchObject({ enqueued: 2, unchanged: 2 });
    expect(enqueued).toContain(posted[1]!.ID);
  });
});
