/**
 * The BC client's transport against scripted answers (undici's MockAgent): per-request Retry-After, the
 * Retry-After forms, connect failures that sent nothing, and BC's 409.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { MockAgent } from 'undici';
import type { TokenCredential } from '@azure/core-auth';
import {
  createBcClient,
  createBcLimiter,
  type BcThrottleInfo,
  type CreateBcClientOptions,
} from '../../src/bc/client.js';
import type { Clock } from '../../src/core/clock.js';
import { ConflictError, TransientError, ValidationError } from '../../src/core/errors.js';
import type { BcPort } from '../../src/core/ports/bc.js';
import { buildInvoice } from './bc-harness.js';

const ORIGIN = 'https://bc.test';
const COMPANY = '5d115c9c-44e3-ea11-bb43-000d3a2feca1';
const VENDOR_A = '0a0a0a0a-0000-4000-8000-00000000000a';
const VENDOR_B = '0b0b0b0b-0000-4000-8000-00000000000b';
const START = Date.parse('2026-03-02T09:00:00Z');

/** Time moves only when the client sleeps, so waits are exact and cost nothing. */
function skippingClock(): Clock & { slept: number[] } {
  let now = START;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    random: () => 0.5,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

const credential: TokenCredential = {
  getToken: () => Promise.resolve({ token: 'test-token', expiresOnTimestamp: START + 3_600_000 }),
};

const vendor = (id: string, number: string) => ({ '@odata.etag': 'W/"1"', id, number, displayName: number });
const json = { headers: { 'content-type': 'application/json' } };

let agent: MockAgent;
let clock: ReturnType<typeof skippingClock>;

function client(overrides: Partial<CreateBcClientOptions> = {}): BcPort {
  return createBcClient({
    baseUrl: `${ORIGIN}/v2.0`,
    tenantId: 'tenant',
    environment: 'production',
    companyId: COMPANY,
    credential,
    clock,
    limiter: createBcLimiter({ clock }),
    dispatcher: agent,
    backoff: { baseMs: 100, maxMs: 1000 },
    ...overrides,
  });
}

describe('BC transport', () => {
  beforeEach(() => {
    agent = new MockAgent();
    agent.disableNetConnect();
    clock = skippingClock();
  });
  afterEach(async () => {
    await agent.close();
  });

  it('when two requests run at once and only one is throttled with a Retry-After, then each waits by its own answer', async () => {
    // Arrange: A is throttled with Retry-After 7 s, B without one; both then succeed.
    const pool = agent.get(ORIGIN);
    const forVendor = (id: string) => (path: string) => path.includes(`vendors(${id})`);
    pool.intercept({ path: forVendor(VENDOR_A) }).reply(429, '', { headers: { 'retry-after': '7' } });
    pool.intercept({ path: forVendor(VENDOR_B) }).reply(429, '');
    pool.intercept({ path: forVendor(VENDOR_A) }).reply(200, vendor(VENDOR_A, 'VA'), json);
    pool.intercept({ path: forVendor(VENDOR_B) }).reply(200, vendor(VENDOR_B, 'VB'), json);
    const throttles: BcThrottleInfo[] = [];
    const bc = client({ onThrottle: (info) => throttles.push(info) });

    // Act
    const [a, b] = await Promise.all([bc.getVendor(VENDOR_A), bc.getVendor(VENDOR_B)]);

    // Assert
    expect([a?.number, b?.number]).toEqual(['VA', 'VB']);
    const byVendor = (id: string) => throttles.find((t) => t.operation === `getVendor ${id}`);
    expect(byVendor(VENDOR_A)?.retryAfterMs).toBe(7000);
    expect(byVendor(VENDOR_B)?.retryAfterMs).toBeUndefined();
  });

  it.each([
    { status: 429, header: '3', expectedMs: 3000 },
    { status: 503, header: new Date(START + 5000).toUTCString(), expectedMs: 5000 },
    { status: 504, header: '2', expectedMs: 2000 },
  ])(
    'when BC answers $status with Retry-After "$header", then the retry waits that long (plus at most 100 ms of jitter)',
    async ({ status, header, expectedMs }) => {
      const pool = agent.get(ORIGIN);
      pool.intercept({ path: (p) => p.includes('vendors(') }).reply(status, '', { headers: { 'retry-after': header } });
      pool.intercept({ path: (p) => p.includes('vendors(') }).reply(200, vendor(VENDOR_A, 'VA'), json);

      await client().getVendor(VENDOR_A);

      expect(clock.slept).toHaveLength(1);
      expect(clock.slept[0]).toBeGreaterThanOrEqual(expectedMs);
      expect(clock.slept[0]).toBeLessThanOrEqual(expectedMs + 100);
    },
  );

  it('when a create gets BC 409 Request_EntityChanged, then ValidationError with status 409 and the code, not ConflictError, and one POST', async () => {
    // Arrange
    const pool = agent.get(ORIGIN);
    const body = { error: { code: 'Request_EntityChanged', message: 'Another user has already changed the record.' } };
    pool.intercept({ path: (p) => p.endsWith('/purchaseInvoices'), method: 'POST' }).reply(409, body, json);
    const attempts: number[] = [];

    // Act
    const error = await client({ onRequest: (call) => attempts.push(call.status) })
      .createPurchaseInvoice(buildInvoice())
      .catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).not.toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ status: 409, code: 'Request_EntityChanged' });
    expect((error as Error).message).toContain('createPurchaseInvoice V100/INV-1');
    expect(attempts).toEqual([409]);
  });

  it('when a create cannot connect once (refused), then it is sent again, since nothing was sent, and one invoice is created', async () => {
    // Arrange
    const pool = agent.get(ORIGIN);
    const create = { path: (p: string) => p.endsWith('/purchaseInvoices'), method: 'POST' };
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' });
    pool.intercept(create).replyWithError(refused);
    pool.intercept(create).reply(201, { ...vendor(VENDOR_A, 'PI-1'), status: 'Draft' }, json);
    const attempts: number[] = [];

    // Act
    const created = await client({ onRequest: (call) => attempts.push(call.status) }).createPurchaseInvoice(
      buildInvoice(),
    );

    // Assert
    expect(created.status).toBe('Draft');
    expect(attempts).toEqual([0, 201]);
  });

  it('when a create loses its connection after sending, then TransientError saying it may have reached BC, and no second POST', async () => {
    const pool = agent.get(ORIGIN);
    const closed = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    pool.intercept({ path: (p) => p.endsWith('/purchaseInvoices'), method: 'POST' }).replyWithError(closed);
    const attempts: number[] = [];

    const error = await client({ onRequest: (call) => attempts.push(call.status) })
      .createPurchaseInvoice(buildInvoice())
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TransientError);
    expect((error as Error).message).toContain('the request may have reached BC');
    expect(attempts).toEqual([0]);
  });

  it('when the BC host refuses every connection, then a create is tried 1 + maxRetries times and fails saying it was not sent', async () => {
    // Arrange: a real socket refusal from a port nobody listens on.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const attempts: number[] = [];
    const bc = createBcClient({
      baseUrl: `http://127.0.0.1:${port}/v2.0`,
      tenantId: 'tenant',
      environment: 'production',
      companyId: COMPANY,
      credential,
      clock,
      limiter: createBcLimiter({ clock }),
      maxRetries: 2,
      onRequest: (call) => attempts.push(call.status),
    });

    // Act
    const error = await bc.createPurchaseInvoice(buildInvoice()).catch((e: unknown) => e);

    // Assert
    expect(error).toBeInstanceOf(TransientError);
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
    expect((error as Error).message).toContain(
      'createPurchaseInvoice V100/INV-1: could not connect (ECONNREFUSED); the request was not sent',
    );
    expect(attempts).toEqual([0, 0, 0]);
  });
});
