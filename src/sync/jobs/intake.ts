/**
 * Turns a trigger (webhook, poll row, replay) into queued jobs. Fast and side-effect free apart from the
 * enqueue, so the webhook answers within milliseconds (DESIGN §4).
 */
import { randomUUID } from 'node:crypto';
import type { Cin7WebhookEvent } from '../../cin7/webhook-payloads.js';
import { messageIdFor, sessionIdFor } from '../../core/job-ids.js';
import type { Clock } from '../../core/clock.js';
import type { JobEnvelope, JobQueue, JobTrigger, SyncJob } from '../../core/ports/jobs.js';
import type { SyncDeps } from '../deps.js';

export function envelopeFor(
  job: SyncJob,
  version: string,
  trigger: JobTrigger,
  clock: Pick<Clock, 'now'>,
  correlationId: string = randomUUID(),
): JobEnvelope {
  return {
    job,
    trigger,
    sessionId: sessionIdFor(job),
    messageId: messageIdFor(job, version),
    attempt: 1,
    correlationId,
    receivedAt: new Date(clock.now()).toISOString(),
  };
}

/** The jobs a Cin7 webhook asks for. Product events need no job: products flow from BC to Cin7 only. */
export function jobsForCin7Event(event: Cin7WebhookEvent, clock: Pick<Clock, 'now'>): JobEnvelope[] {
  switch (event.kind) {
    case 'purchase':
      return event.purchases.map((p) =>
        envelopeFor(
          {
            type: 'cin7-purchase',
            ...(p.purchaseId ? { purchaseId: p.purchaseId } : {}),
            ...(p.taskId ? { taskId: p.taskId } : {}),
            ...(p.orderNumber ? { orderNumber: p.orderNumber } : {}),
          },
          p.version,
          'webhook',
          clock,
        ),
      );
    case 'supplier':
      return event.suppliers.map((s) =>
        envelopeFor({ type: 'cin7-supplier', supplierId: s.supplierId }, s.version, 'webhook', clock),
      );
    case 'product':
      return [];
  }
}

export async function acceptCin7Event(
  event: Cin7WebhookEvent,
  deps: { queue: JobQueue; clock: Pick<Clock, 'now'> },
): Promise<JobEnvelope[]> {
  const envelopes = jobsForCin7Event(event, deps.clock);
  if (envelopes.length > 0) await deps.queue.enqueue(envelopes);
  return envelopes;
}

/**
 * Where a poll starts: the caller's `since`, else its watermark less the overlap (list endpoints are not
 * reliably ordered, DESIGN §4 Polls), else the first look-back from the run's start.
 */
export function pollWindowStart(
  settings: Pick<SyncDeps['settings'], 'pollOverlapMs' | 'pollInitialLookbackMs'>,
  runStart: number,
  mark: { value: string } | undefined,
  since?: Date,
): Date {
  if (since) return since;
  return new Date(mark ? Date.parse(mark.value) - settings.pollOverlapMs : runStart - settings.pollInitialLookbackMs);
}
