/**
 * Runs one queued job and decides what happens after a failure (DESIGN §4 Messages): transient failures are
 * retried by scheduling a copy with a new message id and exponential backoff with jitter; auth failures stop
 * at once; after the last attempt every affected record is `failed` — visible and replayable, never only in
 * a dead-letter queue — unless its state already says more (posted, needs-mapping, …), which a failure never
 * downgrades.
 */
import { computeBackoffMs } from '../../http/backoff.js';
import { retryMessageId } from '../../core/job-ids.js';
import type { SyncDeps } from '../deps.js';
import {
  AuthError,
  ThrottledError,
  ValidationError,
  ensureError,
  isConnectorError,
  isRetryable,
} from '../../core/errors.js';
import type { JobEnvelope, SyncJob } from '../../core/ports/jobs.js';
import { recordTypeOf, unreadRecordOf } from '../../core/jobs/job-types.js';
import { audit, openRecord, transition, type RecordContext } from './record.js';
import type { LedgerState, RecordType } from '../../core/ports/stores.js';
import { RecordFailures } from './record-failures.js';

export type JobResult =
  | { status: 'done' }
  | { status: 'retry-scheduled'; attempt: number; at: string; reason: string }
  | {
      status: 'failed';
      reason: string;
      /** The credentials were rejected: re-read secrets before the next job. */ authFailure: boolean;
    };

/** A job handler for one job type. Master-data handlers register here too. */
export type JobHandler<J extends SyncJob = SyncJob> = (
  job: J,
  context: RecordContext,
  deps: SyncDeps,
) => Promise<unknown>;

export type JobHandlers = { [T in SyncJob['type']]?: JobHandler<Extract<SyncJob, { type: T }>> };

export async function runJob(envelope: JobEnvelope, deps: SyncDeps, handlers: JobHandlers): Promise<JobResult> {
  const context: RecordContext = {
    trigger: envelope.trigger,
    attempt: envelope.attempt,
    correlationId: envelope.correlationId,
    receivedAt: envelope.receivedAt,
  };
  const handler = handlers[envelope.job.type] as JobHandler | undefined;
  try {
    if (!handler) throw new ValidationError(`no handler is registered for job type ${envelope.job.type}`);
    await handler(envelope.job, context, deps);
    return { status: 'done' };
  } catch (thrown) {
    const failures =
      thrown instanceof RecordFailures
        ? thrown.failures
        : [{ recordId: undefined as string | undefined, recordType: undefined, error: ensureError(thrown) }];
    const reason = failures.map((f) => f.error.message).join('; ');
    const authFailure = failures.find((f) => f.error instanceof AuthError);
    if (authFailure) {
      deps.telemetry.event('auth.failure', {
        system: (authFailure.error as AuthError).system ?? 'unknown',
        correlationId: envelope.correlationId,
      });
      deps.logger.error(
        'authentication failed; records parked as failed until credentials are fixed and they are replayed: ' +
          authFailure.error.message,
        {
          correlationId: envelope.correlationId,
        },
      );
    }
    const retryable = !authFailure && failures.every((f) => isRetryable(f.error));
    if (retryable && envelope.attempt < deps.settings.maxAttempts) {
      const delayMs = retryDelay(
        envelope.attempt,
        failures.map((f) => f.error),
        deps,
      );
      const at = new Date(deps.clock.now() + delayMs);
      const next: JobEnvelope = {
        ...envelope,
        trigger: 'retry',
        attempt: envelope.attempt + 1,
        // Service Bus drops a copy with the same id inside the duplicate window, so each retry gets its own.
        messageId: retryMessageId(envelope.messageId, envelope.attempt + 1),
      };
      await deps.queue.schedule(next, at);
      deps.logger.warn(`attempt ${envelope.attempt} failed, retry ${next.attempt} at ${at.toISOString()}: ${reason}`, {
        correlationId: envelope.correlationId,
        sessionId: envelope.sessionId,
      });
      return { status: 'retry-scheduled', attempt: next.attempt, at: at.toISOString(), reason };
    }
    await markFailed(envelope, failures, context, deps);
    return { status: 'failed', reason, authFailure: authFailure !== undefined };
  }
}

function retryDelay(attempt: number, errors: Error[], deps: SyncDeps): number {
  const serverWait = Math.max(0, ...errors.map((e) => (e instanceof ThrottledError ? (e.retryAfterMs ?? 0) : 0)));
  const options = { baseMs: deps.settings.retryBaseMs, maxMs: deps.settings.retryMaxMs };
  // "Equal jitter": half fixed, half random, so a retry never comes back immediately.
  const backoff =
    Math.min(options.maxMs, options.baseMs * 2 ** (attempt - 1)) / 2 +
    computeBackoffMs(attempt - 1, options, () => deps.clock.random()) / 2;
  return Math.max(serverWait, Math.round(backoff));
}

/**
 * States that already say more than `failed` would: the document is posted, the record is settled, or it waits
 * for a person with its reason. A job failure never overwrites them (I4): it only adds an audit row.
 */
const keptOnFailure: ReadonlySet<LedgerState> = new Set<LedgerState>([
  'posted',
  'synced',
  'diverged',
  'skipped',
  'needs-mapping',
  'amount-mismatch',
]);

async function markFailed(
  envelope: JobEnvelope,
  failures: Array<{ recordId: string | undefined; recordType?: RecordType | undefined; error: Error }>,
  context: RecordContext,
  deps: SyncDeps,
): Promise<void> {
  for (const failure of failures) {
    // A failure before any record was identified (e.g. the purchase could not be read) still gets a row.
    const { recordType, recordId, label } = failure.recordId
      ? { recordType: failure.recordType ?? recordTypeOf(envelope.job), recordId: failure.recordId, label: undefined }
      : unreadRecordOf(envelope.job);
    const record = await openRecord(deps, recordType, recordId, context, label ?? recordId);
    const kind = isConnectorError(failure.error) ? failure.error.kind : 'unexpected';
    const reason = `${kind} after ${envelope.attempt} attempt(s): ${failure.error.message}`;
    const details = { kind, attempts: envelope.attempt };
    const state = record.value.state;
    if (keptOnFailure.has(state)) {
      const message = `${reason}; kept ${state}, replay the record once the cause is fixed`;
      await audit(deps, record.value, { step: 'give-up', outcome: 'error', message, details }, context);
      deps.logger.warn(`${recordType} ${record.value.label ?? recordId}: ${message}`, {
        correlationId: record.value.correlationId,
        recordId,
        state,
      });
      continue;
    }
    await transition(
      deps,
      record,
      { state: 'failed', reason },
      { step: 'give-up', outcome: 'error', message: reason, details },
      context,
    );
  }
}
