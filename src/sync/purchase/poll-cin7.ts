/**
 * Timer backfill: finds purchases changed since the watermark (minus an overlap, since list endpoints are
 * not reliably ordered) and enqueues them. The run's start time is taken before reading, and the watermark
 * moves only after every job is enqueued (DESIGN §4 Polls), with ETag concurrency so two pollers cannot
 * both move it.
 *
 * A listed purchase whose `LastUpdatedDate` is the one it was last processed at, and whose records are all
 * final, is not enqueued: reading it again would spend one call of Cin7's 60 a minute to learn nothing. It is
 * counted as `unchanged` in the result and the log line (I4: nothing is dropped unseen). `force` reads all.
 */
import type { SyncDeps } from '../deps.js';
import { envelopeFor, pollWindowStart } from '../jobs/intake.js';
import type { JobEnvelope } from '../../core/ports/jobs.js';
import type { LedgerState } from '../../core/ports/stores.js';

export const cin7PurchaseWatermark = 'cin7-purchases';

/** Rows whose invoice stage has not started cannot become invoices yet; a later change will list them again. */
const noInvoiceYet = new Set(['NOT AVAILABLE', 'NOT INVOICED', 'DRAFT']);

/**
 * States nothing more can come of without a change in Cin7. `needs-mapping`, `amount-mismatch` and `failed`
 * are left out on purpose: a mapping added or a fix in BC since makes a re-read worth its call.
 */
const finalStates: ReadonlySet<LedgerState> = new Set<LedgerState>(['posted', 'skipped', 'diverged']);

export interface PollResult {
  since: string;
  until: string;
  listed: number;
  enqueued: number;
  /** Listed purchases not read again: same `LastUpdatedDate` as when last processed, every record final. */
  unchanged: number;
}

export interface PollCin7PurchasesOptions {
  /** Poll from here instead of the watermark (which then does not move). */
  since?: Date;
  /** Enqueue every listed purchase, unchanged or not, past the queue's duplicate detection too. */
  force?: boolean;
}

export async function pollCin7Purchases(
  deps: Pick<SyncDeps, 'cin7' | 'stores' | 'queue' | 'clock' | 'settings' | 'logger'>,
  options: PollCin7PurchasesOptions = {},
): Promise<PollResult> {
  const runStart = deps.clock.now();
  const mark = await deps.stores.watermarks.get(cin7PurchaseWatermark);
  const since = pollWindowStart(deps.settings, runStart, mark, options.since);

  const batch: JobEnvelope[] = [];
  let listed = 0;
  let enqueued = 0;
  let unchanged = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await deps.queue.enqueue(batch.splice(0));
  };
  for await (const row of deps.cin7.listPurchases({ updatedSince: since })) {
    listed += 1;
    const invoiceStatus = (row.CombinedInvoiceStatus ?? row.InvoiceStatus ?? '').toUpperCase();
    if (noInvoiceYet.has(invoiceStatus) || row.Status.toUpperCase() === 'DRAFT') continue;
    if (!options.force && (await isUnchanged(row.ID, row.LastUpdatedDate, deps))) {
      unchanged += 1;
      continue;
    }
    batch.push(
      envelopeFor(
        { type: 'cin7-purchase', purchaseId: row.ID, orderNumber: row.OrderNumber },
        // A forced read gets its own message id, so duplicate detection does not absorb it as a repeat.
        options.force ? `poll-force:${runStart}:${row.LastUpdatedDate ?? ''}` : `poll:${row.LastUpdatedDate ?? ''}`,
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
  const result = { since: since.toISOString(), until: new Date(runStart).toISOString(), listed, enqueued, unchanged };
  deps.logger.info(
    `Cin7 purchase poll: ${listed} changed, ${enqueued} enqueued, ` +
      `${unchanged} unchanged since last processed (not read again)`,
    { ...result },
  );
  return result;
}

/** Processed whole at this very `LastUpdatedDate`, and every record of it final. */
async function isUnchanged(
  purchaseId: string,
  lastUpdatedDate: string | undefined,
  deps: Pick<SyncDeps, 'stores'>,
): Promise<boolean> {
  if (lastUpdatedDate === undefined) return false;
  if ((await deps.stores.purchaseVersions.get(purchaseId)) !== lastUpdatedDate) return false;
  let records = 0;
  // A credit note still waiting for its invoice (or parked) makes the purchase worth reading again, as an invoice does.
  for (const recordType of ['purchase-invoice', 'purchase-credit-note'] as const) {
    let continuationToken: string | undefined;
    do {
      const page = await deps.stores.ledger.list({
        recordType,
        recordIdPrefix: `${purchaseId.toLowerCase()}/`,
        ...(continuationToken === undefined ? {} : { continuationToken }),
      });
      if (page.items.some((entry) => !finalStates.has(entry.state))) return false;
      records += page.items.length;
      continuationToken = page.continuationToken;
    } while (continuationToken !== undefined);
  }
  // A purchase with no record left (deleted by hand) is read again, so it gets one.
  return records > 0;
}
