/** Push a BC item into Cin7. */
import { z } from 'zod';
import { defineJobType, required } from './job-type.js';

export const bcItemJob = defineJobType({
  type: 'bc-item',
  schema: z.object({ type: z.literal('bc-item'), itemId: z.string().min(1) }),
  recordType: 'item',
  label: (job) => `item ${job.itemId}`,
  sessionKey: (job) => required(job.itemId, 'itemId', job.type).toLowerCase(),
  unreadRecord: (job) => ({ recordType: 'item', recordId: job.itemId.toLowerCase(), label: `item ${job.itemId}` }),
  jobForRecord: (entry) => ({ type: 'bc-item' as const, itemId: entry.recordId }),
});
