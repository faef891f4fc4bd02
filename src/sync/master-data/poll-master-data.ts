/**
 * Timer backfill for master data (DESIGN §4 Polls), in the pattern of `poll-cin7.ts`: Cin7 suppliers by
 * `supplier?ModifiedSince=`, BC vendors and items by `lastModifiedDateTime gt`. Each run reads from its
 * watermark minus the overlap (list endpoints are not reliably ordered), takes its start time before
 * reading, and moves the watermark (ETag-guarded) only after every job is enqueued. A BC `collection`
 * notification becomes a `bc-collection` job, handled by `syncBcCollection` from the notification's time.
 */
import type { SyncDeps } from '../deps.js';
import { envelopeFor, pollWindowStart } from '../jobs/intake.js';
import type { JobEnvelope, SyncJob } from '../../core/ports/jobs.js';
import type { RecordContext } from '../jobs/record.js';

export const cin7SupplierWatermark = 'cin7-suppliers';
export const bcVendorWatermark = 'bc-vendors';
export const bcItemWatermark = 'bc-items';

export interface MasterPollResult {
  source: 'cin7-suppliers' | 'bc-vendors' | 'bc-items';
  since: string;
  until: string;
  listed: number;
  enqueued: number;
}

type PollDeps = Pick<SyncDeps, 'cin7' | 'bc' | 'stores' | 'queue' | 'clock' | 'settings' | 'logger'>;

interface Row {
  job: SyncJob;
  version: string;
}

type Source = MasterPollResult['source'];
type PollOptions = { since?: Date; correlationId?: string };

async function* rowsOf<T>(entities: AsyncIterable<T>, row: (entity: T) => Row): AsyncIterable<Row> {
  for await (const entity of entities) yield row(entity);
}

/** BC entities: the job names each by its id (lower case), and its last change is its version. */
function bcRows(
  entities: AsyncIterable<{ id: string; lastModifiedDateTime?: string | undefined }>,
  since: Date,
  job: (id: string) => SyncJob,
): AsyncIterable<Row> {
  return rowsOf(entities, (entity) => ({
    job: job(entity.id.toLowerCase()),
    version: `modified:${entity.lastModifiedDateTime ?? since.toISOString()}`,
  }));
}

/** What each source changed since a time, as the job each changed entity becomes. */
const changedRows: Record<Source, (deps: PollDeps, since: Date) => AsyncIterable<Row>> = {
  // reference/cin7-core-api.md §4: suppliers modified since the watermark (deprecated ones included).
  'cin7-suppliers': (deps, since) =>
    rowsOf(deps.cin7.listSuppliers({ modifiedSince: since }), (supplier) => ({
      job: { type: 'cin7-supplier', supplierId: supplier.ID },
      version: supplier.LastModifiedOn ?? `poll:${since.toISOString()}`,
    })),
  // reference/bc-api.md §5.1: vendors with `lastModifiedDateTime gt` the watermark.
  'bc-vendors': (deps, since) =>
    bcRows(deps.bc.listVendors({ modifiedSince: since }), since, (id) => ({ type: 'bc-vendor', vendorId: id })),
  // reference/bc-api.md §5.2: items with `lastModifiedDateTime gt` the watermark.
  'bc-items': (deps, since) =>
    bcRows(deps.bc.listItems({ modifiedSince: since }), since, (id) => ({ type: 'bc-item', itemId: id })),
};

async function pollInto(deps: PollDeps, source: Source, options: PollOptions): Promise<MasterPollResult> {
  const runStart = deps.clock.now();
  const mark = options.since ? undefined : await deps.stores.watermarks.get(source);
  const since = pollWindowStart(deps.settings, runStart, mark, options.since);
  const batch: JobEnvelope[] = [];
  let listed = 0;
  const flush = async () => {
    if (batch.length > 0) await deps.queue.enqueue(batch.splice(0));
  };
  for await (const row of changedRows[source](deps, since)) {
    listed += 1;
    batch.push(
      envelopeFor(row.job, row.version, 'poll', deps.clock, ...(options.correlationId ? [options.correlationId] : [])),
    );
    if (batch.length >= 100) await flush();
  }
  await flush();
  if (!options.since) {
    // Only after everything is enqueued; a concurrent poller that moved it first makes this a ConflictError.
    await deps.stores.watermarks.set(source, new Date(runStart).toISOString(), mark?.etag);
  }
  const result: MasterPollResult = {
    source,
    since: since.toISOString(),
    until: new Date(runStart).toISOString(),
    listed,
    enqueued: listed,
  };
  deps.logger.info(`${source} poll: ${listed} changed, ${listed} enqueued`, { ...result });
  return result;
}

export function pollCin7Suppliers(deps: PollDeps, options: { since?: Date } = {}): Promise<MasterPollResult> {
  return pollInto(deps, 'cin7-suppliers', options);
}

export function pollBcVendors(deps: PollDeps, options: PollOptions = {}): Promise<MasterPollResult> {
  return pollInto(deps, 'bc-vendors', options);
}

export function pollBcItems(deps: PollDeps, options: PollOptions = {}): Promise<MasterPollResult> {
  return pollInto(deps, 'bc-items', options);
}

/** Every master-data poll of one side. */
export async function pollBcMasterData(deps: PollDeps): Promise<MasterPollResult[]> {
  return [await pollBcVendors(deps), await pollBcItems(deps)];
}

/**
 * A BC `collection` notification (more than 1,000 changes in one window, reference §6.3): enqueue a job for
 * every entity changed since its `lastModifiedDateTime` filter. Without a filter (after deletes) the poll's
 * own window is used. The watermark is left alone: the timer poll still runs as usual.
 */
export async function syncBcCollection(
  job: Extract<SyncJob, { type: 'bc-collection' }>,
  context: RecordContext,
  deps: SyncDeps,
): Promise<MasterPollResult> {
  const poll = job.resource === 'vendors' ? pollBcVendors : pollBcItems;
  if (job.since !== undefined) return poll(deps, { since: new Date(job.since), correlationId: context.correlationId });
  const mark = await deps.stores.watermarks.get(job.resource === 'vendors' ? bcVendorWatermark : bcItemWatermark);
  const since = mark
    ? Date.parse(mark.value) - deps.settings.pollOverlapMs
    : deps.clock.now() - deps.settings.pollInitialLookbackMs;
  return poll(deps, { since: new Date(since), correlationId: context.correlationId });
}
