/**
 * The operator console, served by the function app itself (one deploy): the page under `GET console/…`
 * (static files bundled at build time into `dist/app/console/`) and its data under `console/api/…`, the same
 * use cases as the `admin/…` routes but for a browser signed in through App Service Authentication, with the
 * caller's app role checked on every call (`admin-access.ts`).
 */
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { extname } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { Settings } from '../config/settings.js';
import { ledgerStates, recordTypes } from '../core/ports/stores.js';
import { appRuntime, invocationLogger } from './app-runtime.js';
import { checkConsoleAccess, easyAuthEnabled, readPrincipal, signInPath } from './admin-access.js';
import { consoleRouteTable, type ConsoleAccess, type ConsoleRouteName } from './console-routes.js';
import { ok, type AdminDeps, type AdminHttpHandler } from './admin-http.js';
import { createGetRecordHandler, createReplayRecordsHandler } from './admin-records.js';
import {
  createDeleteMappingHandler,
  createExportMappingsHandler,
  createImportMappingsHandler,
  createListMappingsHandler,
  createSuggestMappingsHandler,
  createUpsertMappingHandler,
} from './admin-mappings.js';
import { createOperationHandlers } from './admin-operations.js';
import { createAdminDeepHealthHandler } from './admin-health.js';

export interface ConsoleDeps extends AdminDeps {
  settings: () => Settings;
  /** Whether the principal header comes from the platform (Easy Auth runs, or the local console server set it). */
  trusted: () => boolean;
}

export type ConsoleRoute = (typeof consoleRouteTable)[number] & { handler: AdminHttpHandler };

/** Where the page opens a Cin7 purchase and a BC document; `{id}` and `{number}` are filled in per record. */
export function consoleLinks(settings: Settings): {
  cin7Purchase: string;
  bcPostedInvoice: string;
  bcDraftInvoice: string;
} {
  const cin7 = new URL(settings.cin7.baseUrl).origin;
  const api = new URL(settings.bc.apiBaseUrl);
  // The web client lives at the API host without its `api.` prefix (api.businesscentral.dynamics.com).
  const web = api.hostname.startsWith('api.') ? `${api.protocol}//${api.hostname.slice(4)}` : api.origin;
  const client = `${web}/${encodeURIComponent(settings.bc.tenantId)}/${encodeURIComponent(settings.bc.environment)}/`;
  // Pages 138 "Posted Purchase Invoice" (PostedPurchaseInvoice.Page.al:22) and 51 "Purchase Invoice"
  // (PurchaseInvoice.Page.al:35) of the base app, filtered to one document number.
  const page = (id: number) =>
    `${client}?page=${id}&filter=${encodeURIComponent("'No.' IS '")}{number}${encodeURIComponent("'")}`;
  return { cin7Purchase: `${cin7}/PurchaseAdvanced#{id}`, bcPostedInvoice: page(138), bcDraftInvoice: page(51) };
}

/** The handler of every console API route, by the route's name in `console-routes.ts`. */
function consoleApiHandlers(deps: ConsoleDeps): Record<ConsoleRouteName, AdminHttpHandler> {
  const me: AdminHttpHandler = (request) => {
    const caller = readPrincipal(request);
    const who = caller === undefined || caller === 'invalid' ? undefined : caller;
    return Promise.resolve(
      ok({
        name: who?.name ?? null,
        roles: who?.roles ?? [],
        canOperate: who?.canOperate ?? false,
        links: consoleLinks(deps.settings()),
        // The page lists what the ledger holds from here, so a new record type shows without a page change.
        recordTypes,
        ledgerStates,
      }),
    );
  };
  const operations = createOperationHandlers(deps);
  return {
    me,
    overview: operations.overviewRoute,
    activity: operations.activityRoute,
    health: createAdminDeepHealthHandler({
      settings: deps.settings,
      getDeps: () => deps.getDeps(),
      logger: deps.logger,
    }),
    records: operations.findRecordsRoute,
    record: createGetRecordHandler(deps),
    coded: operations.codedInvoiceRoute,
    replay: createReplayRecordsHandler(deps),
    skip: operations.skipRecordRoute,
    'skip-bulk': operations.skipRecordsRoute,
    gaps: operations.gapsRoute,
    targets: operations.targetsRoute,
    mappings: createListMappingsHandler(deps),
    'mappings-put': createUpsertMappingHandler(deps),
    'mappings-delete': createDeleteMappingHandler(deps),
    'mappings-import': createImportMappingsHandler(deps),
    'mappings-export': createExportMappingsHandler(deps),
    'mappings-suggest': createSuggestMappingsHandler(deps),
  };
}

/** Every console API route, the access it needs and its handler. */
export function consoleApiRoutes(deps: ConsoleDeps): ConsoleRoute[] {
  const handlers = consoleApiHandlers(deps);
  return consoleRouteTable.map((route) => ({ ...route, handler: handlers[route.name] }));
}

/** The route's handler behind the role check, so nothing runs for a caller who may not. */
export function withConsoleAccess(
  need: ConsoleAccess,
  handler: AdminHttpHandler,
  trusted: () => boolean,
): AdminHttpHandler {
  return (request, context) => {
    const check = checkConsoleAccess(request, need, trusted());
    return check.ok ? handler(request, context) : Promise.resolve(check.response);
  };
}

// ---------------------------------------------------------------------------------------------------------
// The page's static files

export interface ConsoleAsset {
  body: Buffer;
  /** The same bytes gzipped once at load: the page travels at about a third of its size. */
  gzip: Buffer;
  contentType: string;
  etag: string;
}

/** The console's files by name (`index.html`, `console.js`, `console.css`). */
export type ConsoleAssets = () => Promise<ReadonlyMap<string, ConsoleAsset>>;

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export function toConsoleAsset(name: string, body: Buffer): ConsoleAsset | undefined {
  const contentType = contentTypes[extname(name)];
  if (contentType === undefined) return undefined;
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 22);
  return { body, gzip: gzipSync(body, { level: 9 }), contentType, etag: `"${hash}"` };
}

/** The files of one folder, read once; only names with known types are served, so no path can escape it. */
export function directoryAssets(folder: URL): ConsoleAssets {
  let loaded: Promise<ReadonlyMap<string, ConsoleAsset>> | undefined;
  return () =>
    (loaded ??= (async () => {
      const assets = new Map<string, ConsoleAsset>();
      for (const name of await readdir(folder)) {
        const asset = toConsoleAsset(name, await readFile(new URL(name, folder)));
        if (asset) assets.set(name, asset);
      }
      return assets;
    })());
}

/** The page may load only its own files and call only its own API. */
const securityHeaders = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export function createConsoleAssetsHandler(assets: ConsoleAssets, options: { signInRequired: () => boolean }) {
  return async (request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> => {
    const path = request.params['path'] ?? '';
    const name = path === '' || path === '/' ? 'index.html' : path;
    // Signed-out browsers go to Entra sign-in first, so the page never opens only to fail every call.
    if (name === 'index.html' && options.signInRequired() && readPrincipal(request) === undefined)
      return { status: 302, headers: { location: signInPath } };
    const asset = (await assets()).get(name);
    if (!asset) return { status: 404, headers: securityHeaders, body: 'not found' };
    const gzip = /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '');
    // Each encoding is its own representation, so each has its own ETag.
    const etag = gzip ? `${asset.etag.slice(0, -1)}-gz"` : asset.etag;
    // Revalidated on every load (a deploy changes a file under the same name); a match costs a 304 and no body.
    const headers = { ...securityHeaders, etag, 'cache-control': 'no-cache', vary: 'accept-encoding' };
    if (request.headers.get('if-none-match') === etag) return { status: 304, headers };
    return {
      status: 200,
      headers: { ...headers, 'content-type': asset.contentType, ...(gzip ? { 'content-encoding': 'gzip' } : {}) },
      body: gzip ? asset.gzip : asset.body,
    };
  };
}

const consoleDeps: ConsoleDeps = {
  getDeps: () => appRuntime().getDeps(),
  logger: invocationLogger,
  settings: () => appRuntime().settings,
  trusted: () => easyAuthEnabled(),
  caller: (request) => {
    const caller = readPrincipal(request);
    return caller === undefined || caller === 'invalid' ? 'unknown caller' : caller.name;
  },
};

const routesByName = new Map(consoleApiRoutes(consoleDeps).map((route) => [route.name, route]));

/** The wired handler of one console API route, behind its role check; `src/main.ts` registers each by name. */
export const consoleApiRoute = (name: ConsoleRouteName): AdminHttpHandler => {
  const route = routesByName.get(name);
  if (!route) throw new Error(`no console API route named ${name}`);
  return withConsoleAccess(route.access, route.handler, consoleDeps.trusted);
};

// The bundle (dist/app/main.js and its chunks) sits beside the console folder the build writes.
export const consoleAssets = createConsoleAssetsHandler(directoryAssets(new URL('./console/', import.meta.url)), {
  signInRequired: () => easyAuthEnabled(),
});
