/** Every job type's use case, in one table the job runner dispatches on. */
import { syncBcCollection } from '../master-data/poll-master-data.js';
import type { JobHandlers } from './run-job.js';
import { syncBcItem } from '../master-data/sync-bc-item.js';
import { syncBcVendor } from '../master-data/sync-bc-vendor.js';
import { syncPurchase } from '../purchase/sync-purchase.js';
import { syncSupplier } from '../master-data/sync-supplier.js';

/** Every job type must have its handler here: a missing one does not compile. */
export const allHandlers: Required<JobHandlers> = {
  'cin7-purchase': syncPurchase,
  'cin7-supplier': syncSupplier,
  'bc-vendor': syncBcVendor,
  'bc-item': syncBcItem,
  'bc-collection': syncBcCollection,
};
