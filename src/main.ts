/**
 * The deployed entry point (package.json `main`): the set-up hook and the registration of every function,
 * bundled into one module so a cold start reads one file instead of resolving hundreds in node_modules
 * (DESIGN §4 Start-up cost).
 *
 * Registration is all this module does. Each handler is `lazyHandler(load, (m) => m.<export>)` with `load` a
 * `() => import('./functions/<file>.js')`: its module (zod, its use case, the runtime it builds, the SDKs) is a
 * separate chunk loaded on the function's first invocation, so the host indexes every function while loading
 * little more than `@azure/functions`.
 *
 * Adding a function: write `src/functions/<name>.ts` with its handler factory and, at the bottom, the wired
 * handler as a named export (`export const myThing = createMyThingHandler({ ... appRuntime() ... })`), with no
 * `app.*` call; then register it below with its name, trigger options and that export (a timer or an admin
 * route is a row of its table). Never import a function module statically here:
 * `test/functions/entry-point.test.ts` fails when a function file is not registered this way, or when the entry
 * chunk pulls zod, a use case or the runtime.
 */
import './index.js';
import { app, type TimerHandler } from '@azure/functions';
import {
  adminRoute,
  lazyHandler,
  registrationSetting,
  type RegistrationSettingName,
} from './functions/registration.js';
import { consoleRouteTable } from './functions/console-routes.js';

const inbound = {
  cin7Webhook: () => import('./functions/cin7-webhook.js'),
  bcNotification: () => import('./functions/bc-notification.js'),
  syncJob: () => import('./functions/sync-job.js'),
};

// Cin7 webhooks and BC notifications: anonymous, each checks its own shared secret (DESIGN §3.8).
app.http('cin7-webhook', {
  route: 'webhooks/cin7',
  methods: ['POST'],
  // Cin7 cannot send a function key header by default.
  authLevel: 'anonymous',
  handler: lazyHandler(inbound.cin7Webhook, (m) => m.cin7Webhook),
});
app.http('bc-notification', {
  route: 'notifications/bc',
  // The handshake's method is not documented (reference §6.2), so both are accepted.
  methods: ['GET', 'POST'],
  // BC sends no credentials (reference §6.3): clientState, checked by the use case, is the shared secret.
  authLevel: 'anonymous',
  handler: lazyHandler(inbound.bcNotification, (m) => m.bcNotification),
});

app.serviceBusQueue('sync-job', {
  connection: 'ServiceBusConnection',
  queueName: registrationSetting('SYNC_QUEUE_NAME'),
  isSessionsEnabled: true,
  handler: lazyHandler(inbound.syncJob, (m) => m.syncJob),
});

const timers = {
  pollCin7: () => import('./functions/poll-cin7.js'),
  pollMasterData: () => import('./functions/poll-master-data.js'),
  renew: () => import('./functions/renew-bc-subscriptions.js'),
  checks: () => import('./functions/check-cin7-webhooks.js'),
  snapshot: () => import('./functions/snapshot-open-records.js'),
};
const schedules: readonly (readonly [name: string, schedule: RegistrationSettingName, handler: TimerHandler])[] = [
  ['poll-cin7', 'POLL_CIN7_SCHEDULE', lazyHandler(timers.pollCin7, (m) => m.pollCin7)],
  ['poll-cin7-suppliers', 'POLL_CIN7_SCHEDULE', lazyHandler(timers.pollMasterData, (m) => m.pollCin7SuppliersTimer)],
  ['poll-bc-master-data', 'POLL_BC_SCHEDULE', lazyHandler(timers.pollMasterData, (m) => m.pollBcMasterDataTimer)],
  ['renew-bc-subscriptions', 'RENEW_SUBSCRIPTIONS_SCHEDULE', lazyHandler(timers.renew, (m) => m.renewBcSubscriptions)],
  ['check-cin7-webhooks', 'CHECK_WEBHOOKS_SCHEDULE', lazyHandler(timers.checks, (m) => m.checkCin7WebhooksTimer)],
  // The workbook's resolution for open records and how soon the stuck-records alert can fire; each run costs
  // one ledger query per open state.
  [
    'snapshot-open-records',
    'OPEN_RECORDS_SNAPSHOT_SCHEDULE',
    lazyHandler(timers.snapshot, (m) => m.snapshotOpenRecordsTimer),
  ],
];
for (const [name, schedule, handler] of schedules)
  app.timer(name, { schedule: registrationSetting(schedule), handler });

// Admin API under `admin/…`: a function (or host) key required.
const admin = {
  health: () => import('./functions/admin-health.js'),
  records: () => import('./functions/admin-records.js'),
  mappings: () => import('./functions/admin-mappings.js'),
  operations: () => import('./functions/admin-operations.js'),
};
const adminRoutes: readonly (readonly [name: string, ...Parameters<typeof adminRoute>])[] = [
  ['health', 'health', 'GET', lazyHandler(admin.health, (m) => m.adminHealth)],
  ['health-deep', 'health/deep', 'GET', lazyHandler(admin.health, (m) => m.adminDeepHealth)],
  ['records-list', 'records', 'GET', lazyHandler(admin.records, (m) => m.listRecordsRoute)],
  ['records-replay', 'records/replay', 'POST', lazyHandler(admin.records, (m) => m.replayRecordsRoute)],
  ['records-get', 'records/{type}/{*id}', 'GET', lazyHandler(admin.records, (m) => m.getRecordRoute)],
  ['mappings-list', 'mappings', 'GET', lazyHandler(admin.mappings, (m) => m.listMappingsRoute)],
  ['mappings-upsert', 'mappings', 'PUT', lazyHandler(admin.mappings, (m) => m.upsertMappingRoute)],
  ['mappings-delete', 'mappings', 'DELETE', lazyHandler(admin.mappings, (m) => m.deleteMappingRoute)],
  ['mappings-import', 'mappings/import', 'POST', lazyHandler(admin.mappings, (m) => m.importMappingsRoute)],
  ['mappings-export', 'mappings/export', 'GET', lazyHandler(admin.mappings, (m) => m.exportMappingsRoute)],
  ['mappings-suggest', 'mappings/suggest', 'GET', lazyHandler(admin.mappings, (m) => m.suggestMappingsRoute)],
  ['overview', 'overview', 'GET', lazyHandler(admin.operations, (m) => m.overviewRoute)],
  ['overview-activity', 'overview/activity', 'GET', lazyHandler(admin.operations, (m) => m.activityRoute)],
  ['gaps', 'gaps', 'GET', lazyHandler(admin.operations, (m) => m.gapsRoute)],
  ['targets', 'targets', 'GET', lazyHandler(admin.operations, (m) => m.targetsRoute)],
  ['records-search', 'records/search', 'GET', lazyHandler(admin.operations, (m) => m.findRecordsRoute)],
  ['coded', 'coded/{type}/{*id}', 'GET', lazyHandler(admin.operations, (m) => m.codedInvoiceRoute)],
  ['records-skip', 'records/skip', 'POST', lazyHandler(admin.operations, (m) => m.skipRecordRoute)],
  ['records-skip-bulk', 'records/skip-bulk', 'POST', lazyHandler(admin.operations, (m) => m.skipRecordsRoute)],
];
for (const [name, route, method, handler] of adminRoutes)
  app.http(`admin-${name}`, adminRoute(`admin/${route}`, method, handler));

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
