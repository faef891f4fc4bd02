/**
 * The deployed entry point (package.json `main`): the set-up hook and the registration of every function,
 * bundled into one module so a cold start reads one file instead of resolving hundreds in node_modules
 * (DESIGN §4 Start-up cost).
 *
 * Registration is all this module does. Each handler is `lazyHandler(() => import('./functions/<file>.js'), (m) => m.<export>)`:
 * its module (zod, its use case, the runtime it builds, the SDKs) is a separate chunk loaded on the function's
 * first invocation, so the host indexes every function while loading little more than `@azure/functions`.
 *
 * Adding a function: write `src/functions/<name>.ts` with its handler factory and, at the bottom, the wired
 * handler as a named export (`export const myThing = createMyThingHandler({ ... appRuntime() ... })`), with no
 * `app.*` call; then register it below with its name, trigger options and that export. Never import a function
 * module statically here: `test/functions/entry-point.test.ts` fails when a function file is not registered
 * this way, or when the entry chunk pulls zod, a use case or the runtime.
 */
import './index.js';
import { app, type HttpHandler } from '@azure/functions';
import { adminRoute, lazyHandler, registrationSetting } from './functions/registration.js';
import { consoleRouteTable } from './functions/console-routes.js';

// Cin7 webhooks and BC notifications: anonymous, each checks its own shared secret (DESIGN §3.8).
app.http('cin7-webhook', {
  route: 'webhooks/cin7',
  methods: ['POST'],
  // Cin7 cannot send a function key header by default.
  authLevel: 'anonymous',
  handler: lazyHandler(
    () => import('./functions/cin7-webhook.js'),
    (m) => m.cin7Webhook,
  ),
});
app.http('bc-notification', {
  route: 'notifications/bc',
  // The handshake's method is not documented (reference §6.2), so both are accepted.
  methods: ['GET', 'POST'],
  // BC sends no credentials (reference §6.3): clientState, checked by the use case, is the shared secret.
  authLevel: 'anonymous',
  handler: lazyHandler(
    () => import('./functions/bc-notification.js'),
    (m) => m.bcNotification,
  ),
});

app.serviceBusQueue('sync-job', {
  connection: 'ServiceBusConnection',
  queueName: registrationSetting('SYNC_QUEUE_NAME'),
  isSessionsEnabled: true,
  handler: lazyHandler(
    () => import('./functions/sync-job.js'),
    (m) => m.syncJob,
  ),
});

app.timer('poll-cin7', {
  schedule: registrationSetting('POLL_CIN7_SCHEDULE'),
  handler: lazyHandler(
    () => import('./functions/poll-cin7.js'),
    (m) => m.pollCin7,
  ),
});
app.timer('poll-cin7-suppliers', {
  schedule: registrationSetting('POLL_CIN7_SCHEDULE'),
  handler: lazyHandler(
    () => import('./functions/poll-master-data.js'),
    (m) => m.pollCin7SuppliersTimer,
  ),
});
app.timer('poll-bc-master-data', {
  schedule: registrationSetting('POLL_BC_SCHEDULE'),
  handler: lazyHandler(
    () => import('./functions/poll-master-data.js'),
    (m) => m.pollBcMasterDataTimer,
  ),
});
app.timer('renew-bc-subscriptions', {
  schedule: registrationSetting('RENEW_SUBSCRIPTIONS_SCHEDULE'),
  handler: lazyHandler(
    () => import('./functions/renew-bc-subscriptions.js'),
    (m) => m.renewBcSubscriptions,
  ),
});
app.timer('check-cin7-webhooks', {
  schedule: registrationSetting('CHECK_WEBHOOKS_SCHEDULE'),
  handler: lazyHandler(
    () => import('./functions/check-cin7-webhooks.js'),
    (m) => m.checkCin7WebhooksTimer,
  ),
});
app.timer('snapshot-open-records', {
  // The workbook's resolution for open records and how soon the stuck-records alert can fire; each run costs
  // one ledger query per open state.
  schedule: registrationSetting('OPEN_RECORDS_SNAPSHOT_SCHEDULE'),
  handler: lazyHandler(
    () => import('./functions/snapshot-open-records.js'),
    (m) => m.snapshotOpenRecordsTimer,
  ),
});

// Admin API: a function (or host) key required.
const health = () => import('./functions/admin-health.js');
app.http(
  'admin-health',
  adminRoute(
    'admin/health',
    'GET',
    lazyHandler(health, (m) => m.adminHealth),
  ),
);
app.http(
  'admin-health-deep',
  adminRoute(
    'admin/health/deep',
    'GET',
    lazyHandler(health, (m) => m.adminDeepHealth),
  ),
);

const records = () => import('./functions/admin-records.js');
app.http(
  'admin-records-list',
  adminRoute(
    'admin/records',
    'GET',
    lazyHandler(records, (m) => m.listRecordsRoute),
  ),
);
app.http(
  'admin-records-replay',
  adminRoute(
    'admin/records/replay',
    'POST',
    lazyHandler(records, (m) => m.replayRecordsRoute),
  ),
);
app.http(
  'admin-records-get',
  adminRoute(
    'admin/records/{type}/{*id}',
    'GET',
    lazyHandler(records, (m) => m.getRecordRoute),
  ),
);

const mappings = () => import('./functions/admin-mappings.js');
app.http(
  'admin-mappings-list',
  adminRoute(
    'admin/mappings',
    'GET',
    lazyHandler(mappings, (m) => m.listMappingsRoute),
  ),
);
app.http(
  'admin-mappings-upsert',
  adminRoute(
    'admin/mappings',
    'PUT',
    lazyHandler(mappings, (m) => m.upsertMappingRoute),
  ),
);
app.http(
  'admin-mappings-delete',
  adminRoute(
    'admin/mappings',
    'DELETE',
    lazyHandler(mappings, (m) => m.deleteMappingRoute),
  ),
);
app.http(
  'admin-mappings-import',
  adminRoute(
    'admin/mappings/import',
    'POST',
    lazyHandler(mappings, (m) => m.importMappingsRoute),
  ),
);
app.http(
  'admin-mappings-export',
  adminRoute(
    'admin/mappings/export',
    'GET',
    lazyHandler(mappings, (m) => m.exportMappingsRoute),
  ),
);
app.http(
  'admin-mappings-suggest',
  adminRoute(
    'admin/mappings/suggest',
    'GET',
    lazyHandler(mappings, (m) => m.suggestMappingsRoute),
  ),
);

const operations = () => import('./functions/admin-operations.js');
const operationRoutes = [
  ['admin-overview', 'admin/overview', 'GET', (m) => m.overviewRoute],
  ['admin-overview-activity', 'admin/overview/activity', 'GET', (m) => m.activityRoute],
  ['admin-gaps', 'admin/gaps', 'GET', (m) => m.gapsRoute],
  ['admin-targets', 'admin/targets', 'GET', (m) => m.targetsRoute],
  ['admin-records-search', 'admin/records/search', 'GET', (m) => m.findRecordsRoute],
  ['admin-coded', 'admin/coded/{type}/{*id}', 'GET', (m) => m.codedInvoiceRoute],
  ['admin-records-skip', 'admin/records/skip', 'POST', (m) => m.skipRecordRoute],
  ['admin-records-skip-bulk', 'admin/records/skip-bulk', 'POST', (m) => m.skipRecordsRoute],
] as const satisfies readonly (readonly [
  string,
  string,
  'GET' | 'POST',
  (m: Awaited<ReturnType<typeof operations>>) => HttpHandler,
])[];
for (const [name, route, method, pick] of operationRoutes)
  app.http(name, adminRoute(route, method, lazyHandler(operations, pick)));

// The operator console: its page and its API, open to the browser's Entra sign-in (App Service Authentication);
// each API route checks the caller's app role itself (admin-access.ts).
const consoleModule = () => import('./functions/admin-console.js');
for (const route of consoleRouteTable)
  app.http(`console-api-${route.name}`, {
    route: `console/api/${route.route}`,
    methods: [route.method],
    authLevel: 'anonymous',
    handler: lazyHandler(consoleModule, (m) => m.consoleApiRoute(route.name)),
  });
app.http('console', {
  route: 'console/{*path}',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: lazyHandler(consoleModule, (m) => m.consoleAssets),
});
