/** Every job type's use case, in one table the job runner dispatches on. */
import type { JobHandlers } from './run-job.js';
import { syncPurchase } from './sync-purchase.js';

export const allHandlers: JobHandlers = {
  'cin7-purchase': syncPurchase,
};
