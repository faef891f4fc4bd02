/** Align a BC vendor with a Cin7 supplier. */
import { z } from 'zod';
import { defineJobType, required } from './job-type.js';

export const cin7SupplierJob = defineJobType({
  type: 'cin7-supplier',
  schema: z.object({ type: z.literal('cin7-supplier'), supplierId: z.string().min(1) }),
  recordType: 'supplier',
  label: (job) => `supplier ${job.supplierId}`,
  sessionKey: (job) => required(job.supplierId, 'supplierId', job.type).toLowerCase(),
  unreadRecord: (job) => ({
    recordType: 'supplier',
    recordId: job.supplierId.toLowerCase(),
    label: `supplier ${job.supplierId}`,
  }),
  jobForRecord: (entry) => ({ type: 'cin7-supplier' as const, supplierId: entry.recordId }),
});
