/** A BC `collection` notification: poll the resource from this time. Not a record, so nothing replays to it. */
import { z } from 'zod';
import { defineJobType, present } from './job-type.js';

export const bcCollectionJob = defineJobType({
  type: 'bc-collection',
  schema: z.object({
    type: z.literal('bc-collection'),
    resource: z.enum(['vendors', 'items']),
    since: z.string().min(1).exactOptional(),
  }),
  recordType: 'item',
  label: (job) => `${job.resource} since ${job.since ?? 'the start'}`,
  sessionKey: (job) => job.resource,
  messageIdParts(job) {
    const since = present(job.since);
    return since === undefined ? [] : [`since:${since}`];
  },
  unreadRecord: (job) => ({
    recordType: job.resource === 'vendors' ? 'vendor' : 'item',
    recordId: `collection:${job.since ?? 'all'}`,
    label: `${job.resource} collection`,
  }),
});
