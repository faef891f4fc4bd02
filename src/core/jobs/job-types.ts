/**
 * The table of job types: the queue's schema, the `SyncJob` type and every per-type rule come from here.
 * Adding a job type: one file beside this one, one row below, and its handler in `src/sync/jobs/handlers.ts`
 * (the handler table does not compile until it has one).
 */
import { z } from 'zod';
import type { LedgerEntry, RecordType } from '../ports/stores.js';
import { bcCollectionJob } from './bc-collection.js';
import { bcItemJob } from './bc-item.js';
import { bcVendorJob } from './bc-vendor.js';
import { cin7PurchaseJob } from './cin7-purchase.js';
import { cin7SupplierJob } from './cin7-supplier.js';
import type { JobType, LedgerRecordRef } from './job-type.js';

export const SyncJobSchema = z.discriminatedUnion('type', [
  cin7PurchaseJob.schema,
  cin7SupplierJob.schema,
  bcVendorJob.schema,
  bcItemJob.schema,
  bcCollectionJob.schema,
]);
export type SyncJob = z.infer<typeof SyncJobSchema>;
export type SyncJobType = SyncJob['type'];

/** Each description takes its own job; the table is read through the functions below, which pair them. */
type Described<J extends SyncJob> = JobType<z.ZodType<J>>;
const jobTypes: { [T in SyncJobType]: Described<Extract<SyncJob, { type: T }>> } = {
  'cin7-purchase': cin7PurchaseJob,
  'cin7-supplier': cin7SupplierJob,
  'bc-vendor': bcVendorJob,
  'bc-item': bcItemJob,
  'bc-collection': bcCollectionJob,
};

/**
 * The description of `job`'s type. Its methods are only ever called with that same job; the table above is
 * where each description is checked against its own job type.
 */
function describe(job: SyncJob): Described<SyncJob> {
  return jobTypes[job.type];
}

export const jobLabel = (job: SyncJob): string => describe(job).label(job);
export const sessionKeyOf = (job: SyncJob): string => describe(job).sessionKey(job);
export const messageIdPartsOf = (job: SyncJob): string[] => describe(job).messageIdParts?.(job) ?? [];
export const recordTypeOf = (job: SyncJob): RecordType => describe(job).recordType;
export const unreadRecordOf = (job: SyncJob): LedgerRecordRef => describe(job).unreadRecord(job);

/** The job that replays `entry`, from the job type that owns its record type. */
export function jobForRecord(
  entry: Pick<LedgerEntry, 'recordType' | 'recordId' | 'sourceNumber'>,
): SyncJob | undefined {
  const owner = Object.values(jobTypes).find(
    (type: Described<SyncJob>) =>
      (type.recordType === entry.recordType || type.alsoSettles?.includes(entry.recordType) === true) &&
      type.jobForRecord !== undefined,
  ) as Described<SyncJob> | undefined;
  return owner?.jobForRecord?.(entry);
}
