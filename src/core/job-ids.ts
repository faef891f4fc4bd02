/**
 * Deterministic Service Bus ids for sync jobs (DESIGN §4 Messages).
 *
 * - `sessionId` names the source record, so Service Bus hands every job about one record to one worker at
 *   a time, in order.
 * - `messageId` names the record *version*, so a webhook and a poll that report the same change produce
 *   the same id and duplicate detection drops the second.
 * - A retry gets a new id: inside the duplicate window Service Bus silently drops a copy with the same id
 *   (reference/azure-platform.md §3.2), which would lose the record.
 *
 * What names a job's record, and what sets two messages of one version apart, is each job type's own rule
 * (`src/core/jobs/`).
 */
import { createHash } from 'node:crypto';
import type { SyncJob } from './ports/jobs.js';
import { messageIdPartsOf, sessionKeyOf } from './jobs/job-types.js';
import { present } from './jobs/job-type.js';
import { ValidationError } from './errors.js';

/** Service Bus limits MessageId and SessionId to 128 characters (reference/azure-platform.md §3.2). */
export const MAX_SERVICE_BUS_ID_LENGTH = 128;

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('base64url');
}

/** `value` if it fits Service Bus' 128-character limit, else `<type>:#<sha256>` (still deterministic). */
function fit(value: string, type: string): string {
  return value.length <= MAX_SERVICE_BUS_ID_LENGTH ? value : `${type}:#${sha256(value)}`;
}

/**
 * The Service Bus session for `job`: `<type>:<record>`, e.g. `cin7-purchase:ORDER:PO-00042` or
 * `bc-vendor:<guid>`; hashed when longer than 128 characters. Throws `ValidationError` when the job names
 * no record.
 */
export function sessionIdFor(job: SyncJob): string {
  return fit(`${job.type}:${sessionKeyOf(job)}`, job.type);
}

/**
 * The deterministic message id for `job` at source version `version` (e.g. Cin7 `LastUpdatedDate`, a BC
 * `lastModifiedDateTime` or ETag): `<sessionId>@<version>`, plus the invoice for a single-invoice replay and
 * the start time of a collection poll. Hashed when longer than 128 characters.
 */
export function messageIdFor(job: SyncJob, version: string): string {
  const trimmedVersion = present(version);
  if (trimmedVersion === undefined)
    throw new ValidationError(`A ${job.type} message id needs a non-empty version`, { system: 'queue' });
  const id = [`${job.type}:${sessionKeyOf(job)}@${trimmedVersion}`, ...messageIdPartsOf(job)].join('/');
  return fit(id, job.type);
}

const RETRY_SUFFIX = /:retry:\d+$/;
const HASHED_PREFIX = 'h:';

/**
 * The id of retry `attempt` (2 for the first retry) of the message `originalId`: `<originalId>:retry:<n>`.
 * A retry id passed in again is re-based, so retries never nest. Deterministic, so two workers scheduling
 * the same retry still collapse into one message; when the result would pass 128 characters the original
 * id is hashed (`h:<sha256>:retry:<n>`).
 */
export function retryMessageId(originalId: string, attempt: number): string {
  if (!Number.isInteger(attempt) || attempt < 1)
    throw new ValidationError('A retry attempt must be a positive integer', { system: 'queue' });
  if (originalId === '') throw new ValidationError('A retry needs the original message id', { system: 'queue' });
  const base = originalId.replace(RETRY_SUFFIX, '');
  const id = `${base}:retry:${attempt}`;
  return id.length <= MAX_SERVICE_BUS_ID_LENGTH ? id : `${HASHED_PREFIX}${sha256(base)}:retry:${attempt}`;
}
