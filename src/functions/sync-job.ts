/**
 * Service Bus trigger (sessions): one job per message, run by the `runJob` use case. Failures the use case
 * can classify are settled by it (retry scheduled or record `failed`); only an infrastructure failure (the
 * ledger itself unreachable) is thrown, so Service Bus redelivers the message.
 */
import type { InvocationContext } from '@azure/functions';
import { fromServiceBusMessage } from '../queue/service-bus-queue.js';
import { ValidationError, ensureError } from '../core/errors.js';
import type { SyncDeps } from '../sync/deps.js';
import type { Logger } from '../core/ports/telemetry.js';
import { runJob, type JobHandlers, type JobResult } from '../sync/jobs/run-job.js';
import { allHandlers } from '../sync/jobs/handlers.js';
import { appRuntime, invocationLogger } from './app-runtime.js';

export interface SyncJobDeps {
  getDeps(): Promise<SyncDeps>;
  logger: (context: InvocationContext) => Logger;
  handlers?: JobHandlers;
  /** Called when a job failed on credentials, so the next job re-reads rotated secrets. */
  onAuthFailure?: () => void;
}

export function createSyncJobHandler(deps: SyncJobDeps) {
  return async function syncJob(message: unknown, context: InvocationContext): Promise<JobResult | undefined> {
    const logger = deps.logger(context);
    let envelope;
    try {
      envelope = fromServiceBusMessage(message, context.triggerMetadata);
    } catch (error) {
      // A message we cannot read can never succeed: completing it with a loud log and an event (alertable)
      // beats ten redeliveries into the dead-letter queue. It names no record, so no ledger row is lost.
      const reason = error instanceof ValidationError ? error.message : ensureError(error).message;
      logger.error(`sync job message is malformed and was dropped: ${reason}`, {
        messageId: context.triggerMetadata?.['messageId'],
      });
      (await deps.getDeps().catch(() => undefined))?.telemetry.event('job.malformed', { reason });
      return undefined;
    }
    const syncDeps = await deps.getDeps();
    const enqueued = context.triggerMetadata?.['enqueuedTimeUtc'];
    const queuedSince = Date.parse(typeof enqueued === 'string' ? enqueued : envelope.receivedAt);
    if (Number.isFinite(queuedSince))
      syncDeps.telemetry.metric('queue.age.ms', Math.max(0, syncDeps.clock.now() - queuedSince), {
        jobType: envelope.job.type,
      });
    syncDeps.telemetry.metric('job.attempt', envelope.attempt, {
      jobType: envelope.job.type,
      trigger: envelope.trigger,
    });
    const result = await runJob(envelope, syncDeps, deps.handlers ?? allHandlers);
    const properties = {
      correlationId: envelope.correlationId,
      sessionId: envelope.sessionId,
      attempt: envelope.attempt,
      status: result.status,
    };
    if (result.status === 'failed') {
      logger.error(`job ${envelope.job.type} failed: ${result.reason}`, properties);
      if (result.authFailure) deps.onAuthFailure?.();
    } else {
      logger.info(`job ${envelope.job.type} ${result.status}`, properties);
    }
    return result;
  };
}

/** Registered by src/main.ts as `sync-job`. */
export const syncJob = createSyncJobHandler({
  getDeps: () => appRuntime().getDeps(),
  logger: invocationLogger,
  onAuthFailure: () => appRuntime().resetCredentials(),
});
