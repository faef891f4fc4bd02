import { gunzipSync } from 'node:zlib';
import { HttpRequest, InvocationContext } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  consoleApiRoutes,
  consoleLinks,
  createConsoleAssetsHandler,
  toConsoleAsset,
  withConsoleAccess,
  type ConsoleAsset,
  type ConsoleDeps,
} from '../../src/functions/admin-console.js';
import { easyAuthEnabled, principalHeader, signInPath } from '../../src/functions/admin-access.js';
import { createOperationHandlers } from '../../src/functions/admin-operations.js';
import { pollCin7Purchases } from '../../src/sync/purchase/poll-cin7.js';
import type { AuditEntry, LedgerEntry } from '../../src/core/ports/stores.js';
import { sandboxSecrets, startSandbox, type Sandbox } from '../sandbox/sandbox.js';
import { addAuthorisedPurchase, addSupplierWithVendor, seedMatchingReference } from '../support/seed.js';
import { adminDeps, call, type Handler } from './admin-support.js';

/** The header Easy Auth sets for a signed-in Entra user with these app roles. */
function principal(name: string, roles: string[]): Record<string, string> {
  const claims = [{ typ: 'preferred_username', val: name }, ...roles.map((role) => ({ typ: 'roles', val: role }))];
  const json = JSON.stringify({ auth_typ: 'aad', claims, name_typ: 'preferred_username', role_typ: 'roles' });
  return { [principalHeader]: Buffer.from(json).toString('base64') };
}

const reader = principal('rita@example.com', ['Console.Reader']);
const operator = principal('otto@example.com', ['Console.Operator']);

describe('console API access', () => {
  let sandbox: Sandbox;
  let parked: LedgerEntry;
  let trusted = true;
  const deps = (): ConsoleDeps => ({
    ...adminDeps(sandbox),
    settings: () => sandbox.settings,
    trusted: () => trusted,
    caller: (request) => (request.headers.get(principalHeader) ? 'otto@example.com' : 'nobody'),
  });
  const route = (name: string): Handler => {
    const found = consoleApiRoutes(deps()).find((r) => r.name === name);
    if (!found) throw new Error(`no console route ${name}`);
    return withConsoleAccess(found.access, found.handler, () => trusted);
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ azuriteConnectionString: inject('azuriteConnectionString') });
    seedMatchingReference(sandbox);
    const orphan = addSupplierWithVendor(sandbox, 'Umbrian Mills', { vendor: false });
    addAuthorisedPurchase(sandbox, orphan.supplier.ID);
    await pollCin7Purchases(sandbox.deps);
    await sandbox.settle();
    parked = (await sandbox.ledger('purchase-invoice')).find((e) => e.state === 'needs-mapping')!;
  });
  afterAll(() => sandbox?.close());

  it('when the app points at the real services, then links open Cin7 Core and the BC web client', () => {
    const links = consoleLinks({
      ...sandbox.settings,
      cin7: { ...sandbox.settings.cin7, baseUrl: 'https://inventory.dearsystems.com/ExternalApi/v2/' },
      bc: {
        ...sandbox.settings.bc,
        tenantId: 'contoso.onmicrosoft.com',
        environment: 'production',
        apiBaseUrl: 'https://api.businesscentral.dynamics.com/v2.0',
      },
    });
    expect(links.cin7Purchase).toBe('https://inventory.dearsystems.com/PurchaseAdvanced#{id}');
    expect(links.bcPostedInvoice).toBe(
      "https://businesscentral.dynamics.com/contoso.onmicrosoft.com/production/?page=138&filter='No.'%20IS%20'{number}'",
    );
  });

  it('when a console route changes anything, then only an operator may call it', () => {
    const changing = consoleApiRoutes(deps()).filter((r) => r.method !== 'GET');
    expect(changing.length).toBeGreaterThan(0);
    for (const route of changing) expect(route.access, route.name).toBe('operate');
  });

  it('when nobody is signed in, then a console call answers 401 with where to sign in', async () => {
    const response = await call(route('overview'), 'console/api/overview');
    expect(response.status).toBe(401);
    expect(response.body['signIn']).toBe(signInPath);
  });

  it('when the principal header is not base64 JSON, then the call answers 401', async () => {
    const response = await call(route('overview'), 'console/api/overview', {
      headers: { [principalHeader]: 'not-json' },
    });
    expect(response.status).toBe(401);
  });

  it('when the signed-in user has no console role, then the call answers 403 naming the roles', async () => {
    const response = await call(route('overview'), 'console/api/overview', {
      headers: principal('eve@example.com', []),
    });
    expect(response.status).toBe(403);
    expect(response.body['message']).toMatch(/Console\.Reader.*Console\.Operator/);
  });

  it('when a reader reads the overview, then it comes back', async () => {
    const response = await call(route('overview'), 'console/api/overview', { headers: reader });
    expect(response.status).toBe(200);
    expect(response.body['total']).toBe(1);
  });

  it('when a reader asks for a replay, then 403 answers and nothing is queued', async () => {
    const sent = sandbox.sentMessages.length;
    const response = await call(route('replay'), 'console/api/replay', {
      method: 'POST',
      headers: reader,
      json: { records: [{ type: 'purchase-invoice', id: parked.recordId }] },
    });
    expect(response.status).toBe(403);
    expect(response.body['error']).toBe('operator role needed');
    expect(sandbox.sentMessages.length).toBe(sent);
  });

  it('when Easy Auth is not running, then even a principal header gets 403 (it could be forged)', async () => {
    trusted = false;
    try {
      const response = await call(route('overview'), 'console/api/overview', { headers: operator });
      expect(response.status).toBe(403);
    } finally {
      trusted = true;
    }
  });

  it('when the app settings say Easy Auth runs, then its header is trusted, otherwise not', () => {
    expect(easyAuthEnabled({ WEBSITE_AUTH_ENABLED: 'True' })).toBe(true);
    expect(easyAuthEnabled({})).toBe(false);
  });

  it('when the page asks who is signed in, then it gets the roles and links and never a secret', async () => {
    const response = await call(route('me'), 'console/api/me', { headers: reader });
    expect(response.body).toMatchObject({ name: 'rita@example.com', roles: ['Console.Reader'], canOperate: false });
    const text = JSON.stringify(response.body);
    for (const secret of Object.values(sandboxSecrets)) expect(text).not.toContain(secret);
  });

  it('when an operator skips without a reason, then 400 says a reason is needed', async () => {
    const response = await call(route('skip'), 'console/api/skip', {
      method: 'POST',
      headers: operator,
      json: { type: 'purchase-invoice', id: parked.recordId, reason: '' },
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body['problems'])).toContain('reason');
  });

  it('when a script skips through the admin route with a key, then the audit names the key holder', async () => {
    const response = await call(createOperationHandlers(adminDeps(sandbox)).skipRecordRoute, 'admin/records/skip', {
      method: 'POST',
      json: { type: 'purchase-invoice', id: parked.recordId, reason: 'duplicate of a manual entry' },
    });
    expect(response.status).toBe(200);
    const audit: AuditEntry[] = await sandbox.deps.stores.audit.list('purchase-invoice', parked.recordId);
    expect(audit.find((a) => a.step === 'operator-skip')?.message).toBe(
      'skipped by admin API (function key): duplicate of a manual entry',
    );
  });

  it('when a skipped record is skipped again, then 409 says why', async () => {
    const response = await call(route('skip'), 'console/api/skip', {
      method: 'POST',
      headers: operator,
      json: { type: 'purchase-invoice', id: parked.recordId, reason: 'again' },
    });
    expect(response.status).toBe(409);
    expect(response.body['message']).toMatch(/is skipped/);
  });

  it('when mappings are exported, then the answer is CSV', async () => {
    const response = await call(route('mappings-export'), 'console/api/mappings/export', { headers: reader });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.text?.split('\n')[0]).toBe('kind,source,target,note');
  });
});

describe('console page files', () => {
  const assets = new Map<string, ConsoleAsset>([
    ['index.html', toConsoleAsset('index.html', Buffer.from('<!doctype html><title>console</title>'))!],
    ['console.js', toConsoleAsset('console.js', Buffer.from('export {};'))!],
  ]);
  const handler = (signInRequired: boolean) =>
    createConsoleAssetsHandler(() => Promise.resolve(assets), { signInRequired: () => signInRequired });

  it('when the page is asked for, then it comes as HTML with a content policy and an ETag', async () => {
    const response = await call(handler(false), 'console/', { params: { path: '' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('etag')).toMatch(/^".+"$/);
  });

  it('when the browser already has the file, then 304 answers without a body', async () => {
    const first = await call(handler(false), 'console/console.js', { params: { path: 'console.js' } });
    const again = await call(handler(false), 'console/console.js', {
      params: { path: 'console.js' },
      headers: { 'if-none-match': first.headers.get('etag') ?? '' },
    });
    expect(again.status).toBe(304);
  });

  it('when the browser accepts gzip, then the file comes gzipped and unpacks to the same bytes', async () => {
    const response = await handler(false)(
      new HttpRequest({
        method: 'GET',
        url: 'https://connector.example/api/console/console.js',
        params: { path: 'console.js' },
        headers: { 'accept-encoding': 'gzip, br' },
      }),
      new InvocationContext({ invocationId: 'gzip', functionName: 'console', logHandler: () => undefined }),
    );
    expect(new Headers(response.headers).get('content-encoding')).toBe('gzip');
    expect(gunzipSync(response.body as Buffer).toString()).toBe('export {};');
  });

  it('when a path outside the console files is asked for, then 404 answers', async () => {
    const response = await call(handler(false), 'console/../host.json', { params: { path: '../host.json' } });
    expect(response.status).toBe(404);
  });

  it('when sign-in is required and the browser is signed out, then the page redirects to Entra sign-in', async () => {
    const response = await call(handler(true), 'console/', { params: { path: '' } });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(signInPath);
  });
});
