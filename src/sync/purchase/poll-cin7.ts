/**
 * Timer backfill: finds purchases changed since the watermark (minus an overlap, since list endpoints are
 * not reliably ordered) and enqueues them. The run's start time is taken before reading, and the watermark
 * moves only after every job is enqueued (DESIGN §4 Polls), with ETag concurrency so two pollers cannot
 * both move it.
 */
import type { SyncDeps } from '../deps.js';
import { envelopeFor } from '../jobs/intake.js';
import type { JobEnvelope } from '../../core/ports/jobs.js';

export const cin7PurchaseWatermark = 'cin7-purchases';

/** Rows whose invoice stage has not started cannot become invoices yet; a later change will list them again. */
const noInvoiceYet = new Set(['NOT AVAILABLE', 'NOT INVOICED', 'DRAFT']);

export interface PollResult {
  since: string;
  until: string;
  listed: number;
  enqueued: number;
}

export async function pollCin7Purchases(
  deps: Pick<SyncDeps, 'cin7' | 'stores' | 'queue' | 'clock' | 'settings' | 'logger'>,
  options: { since?: Date } = {},
): Promise<PollResult> {
  const runStart = deps.clock.now();
  const mark = await deps.stores.watermarks.get(cin7PurchaseWatermark);
  const sinceMs =
    options.since?.getTime() ??
    (mark ? Date.parse(mark.value) - deps.settings.pollOverlapMs : runStart - deps.settings.pollInitialLookbackMs);
  const since = new Date(sinceMs);

  const batch: JobEnvelope[] = [];
  let listed = 0;
  let enqueued = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await deps.queue.enqueue(batch.splice(0));
  };
  for await (const row of deps.cin7.listPurchases({ updatedSince: since })) {
    listed += 1;
    const invoiceStatus = (row.CombinedInvoiceStatus ?? row.InvoiceStatus ?? '').toUpperCase();
    if (noInvoiceYet.has(invoiceStatus) || row.Status.toUpperCase() === 'DRAFT') continue;
    batch.push(
      envelopeFor(
        { type: 'cin7-purchase', purchaseId: row.ID, orderNumber: row.OrderNumber },
        `poll:${row.LastUpdatedDate ?? ''}`,
        'poll',
        deps.clock,
      ),
    );
    enqueued += 1;
    if (batch.length >= 100) await flush();
  }
  await flush();

  if (!options.since) {
    await deps.stores.watermarks.set(cin7PurchaseWatermark, new Date(runStart).toISOString(), mark?.etag);
  }
  const result = { since: since.toISOString(), until: new Date(runStart).toISOString(), listed, enqueued };
  deps.logger.info(`Cin7 purchase poll: ${listed} changed, ${enqueued} enqueued`, { ...result });
  return result;
}
