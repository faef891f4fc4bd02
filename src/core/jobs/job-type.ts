/**
 * What the rest of the app needs to know about one kind of sync job, in one place: its shape on the queue,
 * the record it belongs to (Service Bus session, ledger row) and how its message ids differ. A new job type
 * is one file like `bc-item.ts`, listed in `job-types.ts`, plus its handler in `src/sync/jobs/handlers.ts`.
 */
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import type { LedgerEntry, RecordType } from '../ports/stores.js';

export interface LedgerRecordRef {
  recordType: RecordType;
  recordId: string;
  label: string;
}

export interface JobType<S extends z.ZodType<{ type: string }> = z.ZodType<{ type: string }>> {
  readonly type: z.infer<S>['type'];
  /** The job as it travels on the queue; every field a trigger may leave out is optional here too. */
  readonly schema: S;
  /** The ledger records this job's handler settles. */
  readonly recordType: RecordType;
  /** Other record types the same job settles and replays (a purchase's credit notes beside its invoices). */
  readonly alsoSettles?: readonly RecordType[];
  /** Names the job in logs and CLI output, e.g. `vendor 5f0c…`. */
  label(job: z.infer<S>): string;
  /**
   * The record part of the session key. Every trigger that reports the same record must give the same key,
   * so Service Bus hands one record to one worker at a time. Throws `ValidationError` when there is none.
   */
  sessionKey(job: z.infer<S>): string;
  /** What tells two messages of one record version apart (a single-invoice replay, a collection start). */
  messageIdParts?(job: z.infer<S>): string[];
  /** The ledger row a failure is written to when the handler could not say which record failed. */
  unreadRecord(job: z.infer<S>): LedgerRecordRef;
  /** The job that replays a ledger record of `recordType`; absent when no record replays to this job. */
  jobForRecord?(entry: Pick<LedgerEntry, 'recordType' | 'recordId' | 'sourceNumber'>): z.infer<S>;
}

/** Keeps the description's own types (the literal `type`, the schema) for the table in `job-types.ts`. */
export function defineJobType<S extends z.ZodType<{ type: string }>>(description: JobType<S>): JobType<S> {
  return description;
}

/** A job that names one record by one id field, e.g. `{ type: 'bc-item', itemId }`. */
type RecordJob<T extends string, F extends string> = { type: T } & Record<F, string>;
/** A plain object schema, as `z.discriminatedUnion` in `job-types.ts` needs. */
type RecordJobSchema<T extends string, F extends string> = z.ZodObject<
  { type: z.ZodLiteral<T> } & Record<F, z.ZodString>
>;

/**
 * A job about one record named by one id (a BC item or vendor, a Cin7 supplier): labelled `<record type> <id>`,
 * keyed and recorded under the lower-cased id (GUIDs arrive in either case), replayed from its ledger row.
 */
export function defineRecordJobType<T extends string, F extends string>(
  type: T,
  idField: F,
  recordType: RecordType,
): JobType<z.ZodType<RecordJob<T, F>>> & { readonly schema: RecordJobSchema<T, F> } {
  // A computed key widens to a string index, so its one exact key is restated here and in `jobForRecord`.
  const idShape = { [idField]: z.string().min(1) } as Record<F, z.ZodString>;
  const schema = z.object({ type: z.literal(type), ...idShape }) as RecordJobSchema<T, F> & z.ZodType<RecordJob<T, F>>;
  const label = (job: RecordJob<T, F>): string => `${recordType} ${job[idField]}`;
  return {
    type,
    schema,
    recordType,
    label,
    sessionKey: (job) => required(job[idField], idField, job.type).toLowerCase(),
    unreadRecord: (job) => ({ recordType, recordId: job[idField].toLowerCase(), label: label(job) }),
    jobForRecord: (entry) => ({ type, [idField]: entry.recordId }) as RecordJob<T, F>,
  };
}

/** The trimmed value, or `undefined` when blank. */
export function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/** The trimmed value; a blank one names no record, so the job cannot be keyed. */
export function required(value: string, field: string, type: string): string {
  const trimmed = present(value);
  if (trimmed === undefined) throw new ValidationError(`A ${type} job needs a non-empty ${field}`, { system: 'queue' });
  return trimmed;
}
