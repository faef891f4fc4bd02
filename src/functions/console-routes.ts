/**
 * The console's API routes (below `console/api/`) and the app role each needs, without their handlers: what
 * `src/main.ts` registers at start-up, so this module must stay free of zod, use cases and the runtime
 * (`test/functions/entry-point.test.ts`). `admin-console.ts` gives each name its handler.
 */
export type ConsoleAccess = 'read' | 'operate';

export const consoleRouteTable = [
  { name: 'me', route: 'me', method: 'GET', access: 'read' },
  { name: 'overview', route: 'overview', method: 'GET', access: 'read' },
  { name: 'activity', route: 'activity', method: 'GET', access: 'read' },
  { name: 'health', route: 'health', method: 'GET', access: 'read' },
  { name: 'records', route: 'records', method: 'GET', access: 'read' },
  { name: 'record', route: 'records/{type}/{*id}', method: 'GET', access: 'read' },
  { name: 'coded', route: 'coded/{type}/{*id}', method: 'GET', access: 'read' },
  { name: 'replay', route: 'replay', method: 'POST', access: 'operate' },
  { name: 'skip', route: 'skip', method: 'POST', access: 'operate' },
  { name: 'skip-bulk', route: 'skip-bulk', method: 'POST', access: 'operate' },
  { name: 'gaps', route: 'gaps', method: 'GET', access: 'read' },
  { name: 'targets', route: 'targets', method: 'GET', access: 'read' },
  { name: 'mappings', route: 'mappings', method: 'GET', access: 'read' },
  { name: 'mappings-put', route: 'mappings', method: 'PUT', access: 'operate' },
  { name: 'mappings-delete', route: 'mappings', method: 'DELETE', access: 'operate' },
  { name: 'mappings-import', route: 'mappings/import', method: 'POST', access: 'operate' },
  { name: 'mappings-export', route: 'mappings/export', method: 'GET', access: 'read' },
  { name: 'mappings-suggest', route: 'mappings/suggest', method: 'GET', access: 'read' },
] as const satisfies readonly {
  name: string;
  route: string;
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  access: ConsoleAccess;
}[];

export type ConsoleRouteName = (typeof consoleRouteTable)[number]['name'];
