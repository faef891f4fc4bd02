import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createCin7Limiter, type Cin7ThrottleInfo } from '../../src/cin7/client.js';
import { AuthError, ThrottledError, TransientError, ValidationError } from '../../src/core/errors.js';
import type { DependencyCall } from '../../src/core/ports/telemetry.js';
import { accountId, applicationKey, rejectionOf, startHarness, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const productInput = {
  SKU: 'NEW-1',
  Name: 'New',
  Category: 'General',
  Type: 'Stock',
  CostingMethod: 'FIFO',
  UOM: 'Item',
  Status: 'Active',
} as const;

describe('Cin7 client transport', () => {
  it('when the application key is wrong, then AuthError is raised after exactly one request', async () => {
    h = await startHarness();
    const client = h.makeClient({ applicationKey: 'wrong-key' });
    const error = await rejectionOf(client.getMe());
    expect(error).toBeInstanceOf(AuthError);
    expect(h.faults.count({ system: 'cin7' })).toBe(1);
  });

  it('when the credentials are empty, then AuthError is raised after exactly one request', async () => {
    h = await startHarness();
    const client = h.makeClient({ accountId: '', applicationKey: '' });
    expect(await rejectionOf(client.getMe())).toBeInstanceOf(AuthError);
    expect(h.faults.count({ system: 'cin7' })).toBe(1);
  });

  it('when a call fails, then neither the message nor the cause contains the application key', async () => {
    h = await startHarness();
    h.faults.add({ system: 'cin7', kind: 'drop-connection', method: 'POST' });
    const auth = await rejectionOf(h.makeClient({ accountId: 'nope' }).getMe());
    const network = await rejectionOf(h.client.createCategory('X'));
    for (const error of [auth, network]) expect(inspect(error, { depth: 10 })).not.toContain(applicationKey);
  });

  it('when 30 % of requests are throttled with 429/503, with and without Retry-After, then every call succeeds', async () => {
    const throttles: Cin7ThrottleInfo[] = [];
    h = await startHarness({ client: { onThrottle: (info) => throttles.push(info) } });
    const supplier = h.sim.addSupplier({ Name: 'Storm Ltd' });
    const purchase = h.sim.addPurchase({ SupplierID: supplier.ID, invoices: [{ Status: 'AUTHORISED' }] });
    // Rules are tried in order: 15 % with Retry-After, then 15 % of all requests (≈17.6 % of the rest) without.
    h.faults
      .add({ system: 'cin7', kind: 'throttle', probability: 0.15, retryAfterSeconds: 0.05 })
      .add({ system: 'cin7', kind: 'throttle-no-retry-after', probability: 0.176 });
    for (let i = 0; i < 20; i += 1) {
      await expect(h.client.getMe()).resolves.toBeDefined();
      await expect(h.client.getPurchase(purchase.ID)).resolves.toMatchObject({ OrderNumber: purchase.OrderNumber });
    }
    const statuses = h.faults.requests.filter((r) => r.fault !== undefined).map((r) => r.status);
    expect(statuses.length).toBeGreaterThanOrEqual(6);
    expect(new Set(statuses)).toEqual(new Set([429, 503]));
    expect(throttles.some((t) => t.retryAfterMs === 50)).toBe(true);
    expect(throttles.some((t) => t.retryAfterMs === undefined)).toBe(true);
  });

  it('when the client limiter equals the simulator limit (10 per 1 s), then the simulator never throttles', async () => {
    h = await startHarness({
      sim: { rateLimit: { limit: 10, windowMs: 1000 } },
      client: { limiter: createCin7Limiter({ callsPerMinute: 10, windowMs: 1000 }) },
    });
    const { client } = h;
    const started = Date.now();
    await Promise.all(Array.from({ length: 25 }, () => client.getMe()));
    expect(h.faults.count({ status: 429 }) + h.faults.count({ status: 503 })).toBe(0);
    expect(h.faults.count({ status: 200 })).toBe(25);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
  });

  it('when a 429 carries Retry-After: 1, then the retry waits at least a second', async () => {
    const throttles: Cin7ThrottleInfo[] = [];
    h = await startHarness({ client: { onThrottle: (info) => throttles.push(info) } });
    h.faults.add({ system: 'cin7', kind: 'throttle', retryAfterSeconds: 1, times: 1, status: 429 });
    const started = Date.now();
    await h.client.getMe();
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1000);
    expect(elapsed).toBeLessThan(2500);
    expect(throttles).toEqual([expect.objectContaining({ status: 429, retryAfterMs: 1000, attempt: 1 })]);
  });

  it('when waiting would exceed maxTotalWaitMs, then the ThrottledError is raised without waiting', async () => {
    h = await startHarness({ client: { maxTotalWaitMs: 500 } });
    h.faults.add({ system: 'cin7', kind: 'throttle', retryAfterSeconds: 1 });
    const started = Date.now();
    expect(await rejectionOf(h.client.getMe())).toBeInstanceOf(ThrottledError);
    expect(Date.now() - started).toBeLessThan(500);
    expect(h.faults.count({ system: 'cin7' })).toBe(1);
  });

  it('when a GET gets HTTP 200 with an ErrorCode 400 body, then ValidationError is raised and not retried', async () => {
    h = await startHarness();
    h.faults.add({ system: 'cin7', kind: 'error-body-200', status: 400, times: 1 });
    const error = await rejectionOf(h.client.getMe());
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('400');
    expect(h.faults.count({ system: 'cin7' })).toBe(1);
  });

  it('when a GET gets HTTP 200 with an ErrorCode 500 body once, then it is retried and succeeds', async () => {
    h = await startHarness();
    h.faults.add({ system: 'cin7', kind: 'error-body-200', times: 1 });
    await expect(h.client.getMe()).resolves.toMatchObject({ Currency: 'USD' });
    expect(h.faults.count({ system: 'cin7' })).toBe(2);
  });

  it('when Cin7 answers 200 with an HTML page, then ValidationError is raised and not retried', async () => {
    h = await startHarness();
    h.faults.add({ system: 'cin7', kind: 'html-200', times: 1 });
    const error = await rejectionOf(h.client.getMe());
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain('CIN7_BASE_URL');
    expect(h.faults.count({ system: 'cin7' })).toBe(1);
  });

  it('when CIN7_BASE_URL points at a wrong path, then the HTML "Page not found" gives ValidationError', async () => {
    h = await startHarness();
    const client = h.makeClient({ baseUrl: h.sim.baseUrl.replace('/v2/', '/v9/') });
    expect(await rejectionOf(client.getMe())).toBeInstanceOf(ValidationError);
  });

  it('when a GET connection is dropped once, then it is retried and succeeds', async () => {
    h = await startHarness();
    h.faults.add({ system: 'cin7', kind: 'drop-connection', method: 'GET', times: 1 });
    await expect(h.client.getMe()).resolves.toBeDefined();
    expect(h.faults.count({ system: 'cin7' })).toBe(2);
  });

  it('when a POST is answered 503, then it is retried and the product is created once', async () => {
    h = await startHarness();
    h.faults.add({
      system: 'cin7',
      kind: 'throttle-no-retry-after',
      method: 'POST',
      path: '/product',
      status: 503,
      times: 1,
    });
    await expect(h.client.createProduct(productInput)).resolves.toMatchObject({ SKU: 'NEW-1' });
    expect(h.faults.count({ method: 'POST', path: '/product' })).toBe(2);
    expect(h.sim.state.products.filter((p) => p.SKU === 'NEW-1')).toHaveLength(1);
  });

  it('when a POST connection is dropped, then TransientError is raised and the POST is not repeated', async () => {
    h = await startHarness();
    h.faults.add({ system: 'cin7', kind: 'drop-connection', method: 'POST', path: '/product', times: 1 });
    expect(await rejectionOf(h.client.createProduct(productInput))).toBeInstanceOf(TransientError);
    expect(h.faults.count({ method: 'POST', path: '/product' })).toBe(1);
  });

  it('when a POST response is lost after Cin7 committed it, then it is not repeated and no duplicate exists', async () => {
    h = await startHarness();
    h.faults.add({ system: 'cin7', kind: 'lost-response', method: 'POST', path: '/product', times: 1 });
    expect(await rejectionOf(h.client.createProduct(productInput))).toBeInstanceOf(TransientError);
    expect(h.faults.count({ method: 'POST', path: '/product' })).toBe(1);
    expect(h.sim.state.products.filter((p) => p.SKU === 'NEW-1')).toHaveLength(1);
  });

  it('when a POST gets a 500, then it is not retried', async () => {
    h = await startHarness();
    h.faults.add({ system: 'cin7', kind: 'server-error', method: 'POST', times: 1 });
    expect(await rejectionOf(h.client.createCategory('Tools'))).toBeInstanceOf(TransientError);
    expect(h.faults.count({ method: 'POST' })).toBe(1);
  });
});

describe('Cin7 client dependency callbacks', () => {
  it('when a GET is throttled, fails with 5xx, loses its connection and then succeeds, then onRequest fires once per attempt with its status and the bare host', async () => {
    // Arrange
    const calls: DependencyCall[] = [];
    h = await startHarness({ client: { onRequest: (call) => calls.push(call) } });
    const supplier = h.sim.addSupplier({ Name: 'Telemetry Ltd' });
    const purchase = h.sim.addPurchase({ SupplierID: supplier.ID, invoices: [{ Status: 'AUTHORISED' }] });
    h.faults
      .add({ system: 'cin7', kind: 'throttle', status: 429, retryAfterSeconds: 0, times: 1 })
      .add({ system: 'cin7', kind: 'server-error', status: 502, times: 1 })
      .add({ system: 'cin7', kind: 'drop-connection', times: 1 });

    // Act
    await h.client.getPurchase(purchase.ID);

    // Assert
    const host = new URL(h.sim.baseUrl).host;
    expect(h.faults.count({ system: 'cin7' })).toBe(4);
    expect(calls.map((c) => [c.system, c.method, c.operation, c.target, c.status, c.success])).toEqual([
      ['cin7', 'GET', 'advanced-purchase', host, 429, false],
      ['cin7', 'GET', 'advanced-purchase', host, 502, false],
      ['cin7', 'GET', 'advanced-purchase', host, 0, false],
      ['cin7', 'GET', 'advanced-purchase', host, 200, true],
    ]);
    for (const call of calls) expect(call.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('when calls carry a query string and auth headers, then no callback holds the query, the path, the record id or the credentials', async () => {
    // Arrange
    const calls: DependencyCall[] = [];
    h = await startHarness({ client: { onRequest: (call) => calls.push(call) } });
    const supplier = h.sim.addSupplier({ Name: 'Quiet Ltd' });
    const purchase = h.sim.addPurchase({ SupplierID: supplier.ID, invoices: [{ Status: 'AUTHORISED' }] });
    h.faults.add({ system: 'cin7', kind: 'error-body-200', status: 400, times: 1 });

    // Act
    await rejectionOf(h.client.getMe());
    await h.client.getPurchase(purchase.ID);
    await h.client.createCategory('Tools');

    // Assert
    expect(calls.map((c) => [c.method, c.operation, c.status, c.success])).toEqual([
      ['GET', 'me', 200, false],
      ['GET', 'advanced-purchase', 200, true],
      ['POST', 'ref/category', 200, true],
    ]);
    const text = JSON.stringify(calls);
    for (const secret of [applicationKey, accountId, purchase.ID, '?', 'ExternalApi'])
      expect(text).not.toContain(secret);
  });
});
