import { describe, expect, it } from 'vitest';
import { JobEnvelopeSchema } from '../../src/queue/job-schema.js';
import { SyncJobSchema } from '../../src/core/jobs/job-types.js';
import type { JobEnvelope, SyncJob } from '../../src/core/ports/jobs.js';

const envelope: JobEnvelope = {
  job: { type: 'bc-vendor', vendorId: 'v-1' },
  trigger: 'notification',
  sessionId: 'bc-vendor:v-1',
  messageId: 'bc-vendor:v-1@W/"1"',
  attempt: 1,
  correlationId: 'corr-1',
  receivedAt: '2026-11-28T10:00:00.000Z',
};

describe('SyncJobSchema', () => {
  it.each<[SyncJob]>([
    [{ type: 'cin7-purchase', orderNumber: 'PO-1' }],
    [{ type: 'cin7-purchase', purchaseId: 'id', invoiceTaskId: 'inv' }],
    [{ type: 'cin7-purchase', taskId: 't' }],
    [{ type: 'cin7-supplier', supplierId: 's' }],
    [{ type: 'bc-item', itemId: 'i' }],
    [{ type: 'bc-collection', resource: 'vendors' }],
  ])('when the job is %j, then it parses unchanged', (job) => {
    expect(SyncJobSchema.parse(job)).toEqual(job);
  });

  it.each([
    [{ type: 'cin7-purchase' }],
    [{ type: 'cin7-purchase', invoiceTaskId: 'inv-only' }],
    [{ type: 'cin7-purchase', orderNumber: '' }],
    [{ type: 'bc-collection', resource: 'customers' }],
    [{ type: 'bc-item' }],
    [{ type: 'unknown', itemId: 'x' }],
    ['bc-item'],
  ])('when the job is %j, then it is rejected', (job) => {
    expect(SyncJobSchema.safeParse(job).success).toBe(false);
  });

  it('when a job carries unknown fields, then they are stripped', () => {
    expect(SyncJobSchema.parse({ type: 'bc-item', itemId: 'i', password: 'x' })).toEqual({
      type: 'bc-item',
      itemId: 'i',
    });
  });
});

describe('JobEnvelopeSchema', () => {
  it('when the envelope is valid, then it parses unchanged', () => {
    expect(JobEnvelopeSchema.parse(envelope)).toEqual(envelope);
  });

  it.each<[string, Partial<JobEnvelope>]>([
    ['attempt 0', { attempt: 0 }],
    ['a fractional attempt', { attempt: 1.5 }],
    ['a non-ISO receivedAt', { receivedAt: 'Sat, 28 Nov 2026 10:00:00 GMT' }],
    ['an unknown trigger', { trigger: 'email' as JobEnvelope['trigger'] }],
    ['a 129-character session id', { sessionId: 's'.repeat(129) }],
    ['an empty correlation id', { correlationId: '' }],
  ])('when the envelope has %s, then it is rejected', (_label, overrides) => {
    expect(JobEnvelopeSchema.safeParse({ ...envelope, ...overrides }).success).toBe(false);
  });
});
