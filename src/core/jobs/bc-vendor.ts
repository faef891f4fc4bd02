/** Push a BC vendor into Cin7. */
import { z } from 'zod';
import { defineJobType, required } from './job-type.js';

export const bcVendorJob = defineJobType({
  type: 'bc-vendor',
  schema: z.object({ type: z.literal('bc-vendor'), vendorId: z.string().min(1) }),
  recordType: 'vendor',
  label: (job) => `vendor ${job.vendorId}`,
  sessionKey: (job) => required(job.vendorId, 'vendorId', job.type).toLowerCase(),
  unreadRecord: (job) => ({
    recordType: 'vendor',
    recordId: job.vendorId.toLowerCase(),
    label: `vendor ${job.vendorId}`,
  }),
  jobForRecord: (entry) => ({ type: 'bc-vendor' as const, vendorId: entry.recordId }),
});
