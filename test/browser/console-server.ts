/**
 * Serves the console and its API on 127.0.0.1 only, for `npm run demo -- --console` and the browser tests.
 * There is no App Service Authentication locally, so this server plays its part: it signs every request in as
 * one local user with the role chosen (`--console-role reader|operator`) by setting the principal header the
 * platform would, and the console API trusts it. The handlers are the app's own (`admin-console.ts`).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
// '@azure/functions' is CommonJS whose classes Node's ESM loader cannot name (see test/sandbox/sandbox.ts).
import azureFunctions, { type HttpResponseInit } from '@azure/functions';
import {
  consoleApiRoutes,
  createConsoleAssetsHandler,
  withConsoleAccess,
  type ConsoleAssets,
} from '../../src/functions/admin-console.js';
import { consoleRoles, principalHeader, readPrincipal } from '../../src/functions/admin-access.js';
import type { Settings } from '../../src/config/settings.js';
import type { SyncDeps } from '../../src/sync/deps.js';
import { readBodyBytes } from '../sandbox/http-server.js';
import { inMemoryConsoleAssets } from './console-assets.js';

const { HttpRequest, InvocationContext } = azureFunctions;

export type ConsoleRole = 'reader' | 'operator';

export interface ConsoleServerOptions {
  deps: SyncDeps;
  settings: Settings;
  role: ConsoleRole;
  /** 0 (default): the OS picks a free port. */
  port?: number;
  assets?: ConsoleAssets;
  user?: string;
}

export interface ConsoleServer {
  /** The console page, e.g. `http://127.0.0.1:7300/api/console/`. */
  url: string;
  close(): Promise<void>;
}

/** The header App Service Authentication would set for a signed-in Entra user with this role. */
export function localPrincipal(user: string, role: ConsoleRole): string {
  const claims = [
    { typ: 'preferred_username', val: user },
    { typ: 'roles', val: consoleRoles[role] },
  ];
  return Buffer.from(
    JSON.stringify({ auth_typ: 'aad', claims, name_typ: 'preferred_username', role_typ: 'roles' }),
  ).toString('base64');
}

/** `console/api/records/{type}/{*id}` → a matcher returning the route values, or undefined. */
function compile(pattern: string): (path: string) => Record<string, string> | undefined {
  const parts = pattern.split('/');
  return (path) => {
    const segments = path.split('/');
    const params: Record<string, string> = {};
    for (const [i, part] of parts.entries()) {
      if (part.startsWith('{*')) {
        params[part.slice(2, -1)] = segments.slice(i).join('/');
        return params;
      }
      const segment = segments[i];
      if (segment === undefined) return undefined;
      if (part.startsWith('{')) params[part.slice(1, -1)] = segment;
      else if (part !== segment) return undefined;
    }
    return segments.length === parts.length ? params : undefined;
  };
}

function send(res: ServerResponse, response: HttpResponseInit): void {
  const headers = new Headers(response.headers);
  let body: Buffer | undefined;
  if (response.jsonBody !== undefined) {
    body = Buffer.from(JSON.stringify(response.jsonBody));
    headers.set('content-type', 'application/json; charset=utf-8');
  } else if (typeof response.body === 'string') body = Buffer.from(response.body);
  else if (response.body instanceof Uint8Array) body = Buffer.from(response.body);
  // The console's handlers answer with JSON, text or bytes; nothing else is expected here.
  else if (response.body !== undefined && response.body !== null) throw new Error('unexpected response body type');
  res.writeHead(response.status ?? 200, Object.fromEntries(headers.entries()));
  res.end(body);
}

export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const user = options.user ?? `local-${options.role}@localhost`;
  const principal = localPrincipal(user, options.role);
  const deps = {
    getDeps: () => Promise.resolve(options.deps),
    logger: () => options.deps.logger,
    settings: () => options.settings,
    trusted: () => true,
    caller: (request: InstanceType<typeof HttpRequest>) => {
      const caller = readPrincipal(request);
      return caller === undefined || caller === 'invalid' ? 'unknown caller' : caller.name;
    },
  };
  const routes = consoleApiRoutes(deps).map((route) => ({
    ...route,
    match: compile(`api/console/api/${route.route}`),
    handler: withConsoleAccess(route.access, route.handler, deps.trusted),
  }));
  const assets = createConsoleAssetsHandler(options.assets ?? inMemoryConsoleAssets(), { signInRequired: () => false });
  const assetRoute = compile('api/console/{*path}');

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.replace(/^\//, '');
    if (path === 'api/console') return send(res, { status: 301, headers: { location: '/api/console/' } });
    const method = req.method ?? 'GET';
    const route = routes
      .map((r) => ({ r, params: r.method === method ? r.match(path) : undefined }))
      .find((x) => x.params);
    const assetParams = method === 'GET' && !path.startsWith('api/console/api/') ? assetRoute(path) : undefined;
    if (!route && !assetParams) return send(res, { status: 404, jsonBody: { error: 'not found' } });
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[key] = value;
    headers[principalHeader] = principal;
    const body = method === 'GET' || method === 'HEAD' ? undefined : await readBodyBytes(req);
    const request = new HttpRequest({
      method,
      url: url.toString(),
      headers,
      params: route?.params ?? assetParams ?? {},
      ...(body !== undefined ? { body: { bytes: body } } : {}),
    });
    const context = new InvocationContext({
      invocationId: randomUUID(),
      functionName: 'console',
      logHandler: () => undefined,
    });
    send(res, await (route ? route.r.handler(request, context) : assets(request, context)));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Loopback only: the local console has no sign-in, so nothing off this machine may reach it.
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/console/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
