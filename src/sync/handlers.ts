/** Every job type's use case, in one table the job runner dispatches on. */
import { syncBcCollection } from './poll-master-data.js';
import type { JobHandlers } from './run-job.js';
import { syncBcItem } from './sync-bc-item.js';
import { syncBcVendor } from './sync-bc-vendor.js';
import { syncPurchase } from './sync-purchase.js';
import { syncSupplier } from './sync-supplier.js';

export const allHandlers: JobHandlers = {
  'cin7-purchase': syncPurchase,
  'cin7-supplier': syncSupplier,
  'bc-vendor': syncBcVendor,
  'bc-item': syncBcItem,
  'bc-collection': syncBcCollection,
};
