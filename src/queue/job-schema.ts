/**
 * zod schemas of what travels on the sync queue, kept identical to `SyncJob` and `JobEnvelope` in
 * `src/core/ports/jobs.ts` by the compile-time checks below.
 */
import { z } from 'zod';
import { MAX_SERVICE_BUS_ID_LENGTH } from '../core/job-ids.js';
import type { JobEnvelope, JobTrigger, SyncJob } from '../core/ports/jobs.js';

const text = z.string().min(1);

export const SyncJobSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('cin7-purchase'),
      purchaseId: text.exactOptional(),
      taskId: text.exactOptional(),
      orderNumber: text.exactOptional(),
      invoiceTaskId: text.exactOptional(),
    })
    // Every field is optional in the type, but a job that names no purchase cannot be resolved or keyed.
    .refine((job) => job.purchaseId !== undefined || job.orderNumber !== undefined || job.taskId !== undefined, {
      message: 'needs an orderNumber, a purchaseId or a taskId',
      path: ['orderNumber'],
    }),
  z.object({ type: z.literal('cin7-supplier'), supplierId: text }),
  z.object({ type: z.literal('bc-vendor'), vendorId: text }),
  z.object({ type: z.literal('bc-item'), itemId: text }),
  z.object({ type: z.literal('bc-collection'), resource: z.enum(['vendors', 'items']), since: text.exactOptional() }),
]);

export const jobTriggers = [
  'webhook',
  'poll',
  'replay',
  'retry',
  'notification',
  'cli',
] as const satisfies readonly JobTrigger[];

const serviceBusId = z.string().min(1).max(MAX_SERVICE_BUS_ID_LENGTH);

export const JobEnvelopeSchema = z.object({
  job: SyncJobSchema,
  trigger: z.enum(jobTriggers),
  sessionId: serviceBusId,
  messageId: serviceBusId,
  attempt: z.number().int().min(1),
  correlationId: text,
  receivedAt: z.iso.datetime({ offset: true }),
});

/** True only when A and B are the same type (an optional field added on either side makes it false). */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const _jobMatches: Equals<z.infer<typeof SyncJobSchema>, SyncJob> = true;
const _envelopeMatches: Equals<z.infer<typeof JobEnvelopeSchema>, JobEnvelope> = true;
const _triggersComplete: Exclude<JobTrigger, (typeof jobTriggers)[number]> extends never ? true : never = true;
void [_jobMatches, _envelopeMatches, _triggersComplete];
