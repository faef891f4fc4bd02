/**
 * The deployed entry point (package.json `main`): the set-up hook and every function, bundled into one
 * module so a cold start reads one file instead of resolving hundreds in node_modules (DESIGN §4 Start-up
 * cost). SDKs stay behind dynamic imports and are split into chunks loaded on first use.
 */
import './index.js';
import './functions/cin7-webhook.js';
import './functions/sync-job.js';
import './functions/poll-cin7.js';
import './functions/admin-health.js';
import './functions/admin-records.js';
import './functions/admin-mappings.js';
import './functions/bc-notification.js';
import './functions/poll-master-data.js';
import './functions/renew-bc-subscriptions.js';
import './functions/check-cin7-webhooks.js';
import './functions/snapshot-open-records.js';
import './functions/admin-operations.js';
import './functions/admin-console.js';
