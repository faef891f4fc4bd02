/**
 * zod schemas of what travels on the sync queue. Each job's own schema lives with its job type
 * (`src/core/jobs/`); the envelope is kept identical to `JobEnvelope` by the compile-time checks below.
 */
import { z } from 'zod';
import { MAX_SERVICE_BUS_ID_LENGTH } from '../core/job-ids.js';
import type { JobEnvelope, JobTrigger } from '../core/ports/jobs.js';
import { SyncJobSchema } from '../core/jobs/job-types.js';

const text = z.string().min(1);

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
const _envelopeMatches: Equals<z.infer<typeof JobEnvelopeSchema>, JobEnvelope> = true;
const _triggersComplete: Exclude<JobTrigger, (typeof jobTriggers)[number]> extends never ? true : never = true;
void [_envelopeMatches, _triggersComplete];
