import { randomUUID } from 'node:crypto';
import { InvocationContext, type Timer } from '@azure/functions';
import { afterEach, describe, expect, it } from 'vitest';
import { createRenewBcSubscriptionsHandler } from '../../src/functions/renew-bc-subscriptions.js';
import { Secret } from '../../src/config/secret.js';
import type { JobEnvelope } from '../../src/core/ports/jobs.js';
import {
  acceptBcNotifications,
  ensureBcSubscriptions,
  parseNotificationResource,
} from '../../src/sync/subscriptions/bc-subscriptions.js';
import { createLogger, memorySink } from '../../src/telemetry/logger.js';
import { idOf, startMasterSandbox, type MasterSandbox } from './master-sandbox.js';

const threeDays = 3 * 24 * 3_600_000;
const tick: Timer = {
  isPastDue: false,
  schedule: { adjustForDST: false },
  scheduleStatus: { last: '', next: '', lastUpdated: '' },
};

async function post(sandbox: MasterSandbox, body: string, query = ''): Promise<{ status: number; text: string }> {
  const response = await fetch(`${sandbox.notificationUrl}${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return { status: response.status, text: await response.text() };
}

function notification(sandbox: MasterSandbox, overrides: Record<string, unknown> = {}) {
  return {
    subscriptionId: 'sub-1',
    clientState: sandbox.clientState.reveal(),
    expirationDateTime: new Date(Date.now() + threeDays).toISOString(),
    resource: `api/v2.0/companies(${sandbox.bc.companyId})/vendors(${randomUUID()})`,
    changeType: 'updated',
    lastModifiedDateTime: new Date().toISOString(),
    ...overrides,
  };
}

describe('BC subscriptions and the notification endpoint', () => {
  let sandbox: MasterSandbox;
  afterEach(() => sandbox.close());

  it('when BC handshakes with a validationToken, then the endpoint answers 200 with the token as text', async () => {
    sandbox = await startMasterSandbox();
    const response = await fetch(`${sandbox.notificationUrl}?validationToken=abc-123`, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe('abc-123');
  });

  it('when the timer runs the first time, then one subscription per resource exists, handshaken, and is recorded', async () => {
    sandbox = await startMasterSandbox();
    const handler = createRenewBcSubscriptionsHandler({
      getDeps: () => Promise.resolve(sandbox.deps),
      getClientState: () => Promise.resolve(sandbox.clientState),
      publicBaseUrl: sandbox.publicBaseUrl,
      companyId: sandbox.bc.companyId,
    });
    const context = new InvocationContext({ invocationId: randomUUID(), functionName: 'renew-bc-subscriptions' });
    const reports = await handler(tick, context);
    const again = await handler(tick, context);

    expect(reports.map((r) => [r.resource, r.action])).toEqual([
      ['vendors', 'created'],
      ['items', 'created'],
    ]);
    expect(again.map((r) => r.action)).toEqual(['ok', 'ok']);
    expect(sandbox.bc.subscriptions.list()).toHaveLength(2);
    const stored = await sandbox.deps.stores.subscriptions.list();
    expect(stored.map((s) => s.value.resource).sort()).toEqual(['items', 'vendors']);
    expect(stored[0]?.value.notificationUrl).toBe(sandbox.notificationUrl);
  });

  it('when a notification carries a wrong clientState, then it is ignored with 202 and nothing is enqueued', async () => {
    sandbox = await startMasterSandbox();
    const response = await post(sandbox, JSON.stringify({ value: [notification(sandbox, { clientState: 'guess' })] }));
    expect(response.status).toBe(202);
    expect(sandbox.enqueuedJobs).toEqual([]);
  });

  it('I8: when the body is not JSON, then the endpoint answers 400 and enqueues nothing', async () => {
    sandbox = await startMasterSandbox();
    const response = await post(sandbox, '{"value": [');
    expect(response.status).toBe(400);
    expect(sandbox.enqueuedJobs).toEqual([]);
  });

  it('I8: when the body does not have the notification shape, then the endpoint answers 400 and enqueues nothing', async () => {
    sandbox = await startMasterSandbox();
    const response = await post(sandbox, JSON.stringify({ value: [{ resource: 'x', changeType: 'exploded' }] }));
    expect(response.status).toBe(400);
    expect(sandbox.enqueuedJobs).toEqual([]);
  });

  it('when a notification names a vendor and an item, then one job per entity is enqueued', async () => {
    sandbox = await startMasterSandbox();
    const vendorId = randomUUID();
    const itemId = randomUUID();
    const body = {
      value: [
        notification(sandbox, { resource: `api/v2.0/companies(${sandbox.bc.companyId})/vendors(${vendorId})` }),
        notification(sandbox, {
          resource: `api/v2.0/companies(${sandbox.bc.companyId})/items(${itemId})`,
          changeType: 'created',
        }),
        notification(sandbox, { resource: `api/v2.0/companies(${randomUUID()})/items(${itemId})` }),
      ],
    };
    const response = await post(sandbox, JSON.stringify(body));
    expect(response.status).toBe(202);
    expect(sandbox.enqueuedJobs).toEqual([
      { type: 'bc-vendor', vendorId },
      { type: 'bc-item', itemId },
    ]);
  });

  it('when more changes than the threshold arrive, then the collection notification becomes a poll from its filter time', async () => {
    sandbox = await startMasterSandbox({ bcCollectionThreshold: 2 });
    await sandbox.subscribe();
    for (const n of [1, 2, 3]) sandbox.bc.addItem({ number: `BULK-${n}`, displayName: `Bulk ${n}` });
    await sandbox.bc.flushNotifications();
    await sandbox.settle();

    const collection = sandbox.enqueuedJobs.find((j) => j.type === 'bc-collection');
    expect(collection).toMatchObject({ type: 'bc-collection', resource: 'items', since: expect.any(String) as string });
    expect(sandbox.enqueuedJobs.filter((j) => j.type === 'bc-item')).toHaveLength(3);
    expect(sandbox.cin7.state.products.map((p) => p.SKU).sort()).toEqual(['BULK-1', 'BULK-2', 'BULK-3']);
  });

  it('when the notification handler fails inside, then it answers 503, BC retries, and the subscription is kept', async () => {
    sandbox = await startMasterSandbox();
    await sandbox.subscribe();
    sandbox.notificationQueue.failNext = 1;
    const item = sandbox.bc.addItem({ number: 'RETRY-1', displayName: 'Retried item' });
    await sandbox.bc.flushNotifications();
    await sandbox.settle();

    expect(sandbox.bc.deliveries.map((d) => d.status)).toEqual([503, 202]);
    expect(sandbox.bc.subscriptions.list()).toHaveLength(2);
    expect(sandbox.enqueuedJobs).toEqual([{ type: 'bc-item', itemId: idOf(item) }]);
  });

  it('when a subscription expires within a day, then the timer renews it with If-Match and records it', async () => {
    sandbox = await startMasterSandbox();
    await sandbox.subscribe();
    const before = (await sandbox.deps.stores.subscriptions.get('vendors'))?.value;
    const later = Date.now() + threeDays - 12 * 3_600_000;
    const reports = await ensureBcSubscriptions(
      { ...sandbox.deps, clock: { ...sandbox.deps.clock, now: () => later } },
      { notificationUrl: sandbox.notificationUrl, clientState: sandbox.clientState, companyId: sandbox.bc.companyId },
    );

    expect(reports.map((r) => r.action)).toEqual(['renewed', 'renewed']);
    expect(sandbox.faults.count({ system: 'bc', method: 'PATCH', path: /subscriptions/ })).toBe(2);
    // What BC's documentation sends on renewal, not an empty body.
    expect(sandbox.bc.subscriptions.renewals).toEqual([
      {
        notificationUrl: sandbox.notificationUrl,
        resource: `/api/v2.0/companies(${sandbox.bc.companyId})/vendors`,
        clientState: sandbox.clientState.reveal(),
      },
      {
        notificationUrl: sandbox.notificationUrl,
        resource: `/api/v2.0/companies(${sandbox.bc.companyId})/items`,
        clientState: sandbox.clientState.reveal(),
      },
    ]);
    const after = (await sandbox.deps.stores.subscriptions.get('vendors'))?.value;
    expect(after?.subscriptionId).toBe(before?.subscriptionId);
    expect(after?.lastAction).toMatch(/^renewed/);
    expect(after?.bcEtag).not.toBe(before?.bcEtag);
  });

  it('when bc-client-state is rotated and the timer runs, then each subscription is replaced and a notification with the new state is enqueued', async () => {
    sandbox = await startMasterSandbox();
    await sandbox.subscribe();
    const before = sandbox.bc.subscriptions.list().map((s) => s['subscriptionId']);
    // Mixed case on purpose: BC stores and echoes the clientState lower-cased.
    sandbox.rotateClientState('Rotated-Client-State-9f3A');
    const renew = createRenewBcSubscriptionsHandler({
      getDeps: () => Promise.resolve(sandbox.deps),
      getClientState: () => Promise.resolve(sandbox.clientState),
      publicBaseUrl: sandbox.publicBaseUrl,
      companyId: sandbox.bc.companyId,
    });
    const reports = await renew(tick, new InvocationContext({ functionName: 'renew-bc-subscriptions' }));

    expect(reports.map((r) => [r.resource, r.action])).toEqual([
      ['vendors', 'replaced'],
      ['items', 'replaced'],
    ]);
    const after = sandbox.bc.subscriptions.list();
    expect(after).toHaveLength(2);
    expect(after.map((s) => s['subscriptionId'])).not.toContain(before[0]);
    const item = sandbox.bc.addItem({ number: 'ROTATED-1', displayName: 'After rotation' });
    await sandbox.bc.flushNotifications();
    await sandbox.settle();
    expect(sandbox.bc.deliveries.map((d) => d.status)).toEqual([202]);
    expect(sandbox.enqueuedJobs).toEqual([{ type: 'bc-item', itemId: idOf(item) }]);
  });

  it('when the timer runs again after a rotation, then the lower-cased echo counts as the current state and nothing is replaced', async () => {
    sandbox = await startMasterSandbox();
    sandbox.rotateClientState('Mixed-Case-State-77Q');
    await sandbox.subscribe();
    const reports = await ensureBcSubscriptions(sandbox.deps, {
      notificationUrl: sandbox.notificationUrl,
      clientState: sandbox.clientState,
      companyId: sandbox.bc.companyId,
    });
    expect(reports.map((r) => r.action)).toEqual(['ok', 'ok']);
  });

  it('when BC deleted a subscription, then the timer re-creates it, records it and reports bc.subscription.repaired', async () => {
    sandbox = await startMasterSandbox();
    await sandbox.subscribe();
    const before = (await sandbox.deps.stores.subscriptions.get('items'))?.value;
    sandbox.bc.subscriptions.delete(before?.subscriptionId ?? '');
    const reports = await ensureBcSubscriptions(sandbox.deps, {
      notificationUrl: sandbox.notificationUrl,
      clientState: sandbox.clientState,
      companyId: sandbox.bc.companyId,
    });

    expect(reports.map((r) => [r.resource, r.action])).toEqual([
      ['vendors', 'ok'],
      ['items', 're-created'],
    ]);
    const after = (await sandbox.deps.stores.subscriptions.get('items'))?.value;
    expect(after?.subscriptionId).not.toBe(before?.subscriptionId);
    expect(sandbox.bc.subscriptions.list()).toHaveLength(2);
    expect(sandbox.telemetry.events.filter((e) => e.name === 'bc.subscription.repaired')).toEqual([
      {
        name: 'bc.subscription.repaired',
        properties: expect.objectContaining({ resource: 'items' }) as Record<string, string>,
      },
    ]);
  });
});

describe('parseNotificationResource', () => {
  const company = '3f1c1d7e-2b4a-4c8d-9e0f-112233445566';
  const id = 'a1b2c3d4-e5f6-4789-8abc-def012345678';
  it.each([
    [`api/v2.0/companies(${company})/vendors(${id})`, { resource: 'vendors', companyId: company, id }],
    [`/api/v2.0/companies(${company})/items(${id.toUpperCase()})`, { resource: 'items', companyId: company, id }],
    [
      `api/v2.0/companies(${company})/items?$filter=lastModifiedDateTime%20gt%202024-05-01T10:00:00.950Z`,
      { resource: 'items', companyId: company, since: '2024-05-01T10:00:00.950Z' },
    ],
    [`api/v2.0/companies(${company})/vendors`, { resource: 'vendors', companyId: company }],
  ])('when the resource is %s, then it parses', (resource, expected) => {
    expect(parseNotificationResource(resource)).toEqual(expected);
  });

  it.each([
    `api/v2.0/companies(${company})/customers(${id})`,
    `api/v2.0/companies(${company})/vendors('V00010')`,
    'nonsense',
  ])('when the resource is %s, then it is not ours', (resource) => {
    expect(parseNotificationResource(resource)).toBeUndefined();
  });

  it.each([`api/v2.0/companies(${company})/vendors(%E0%A4%A)`, `api/v2.0/companies(%zz)/vendors(${id})`])(
    'when the resource %s has a malformed escape, then it is reported malformed instead of throwing',
    (resource) => {
      expect(parseNotificationResource(resource)).toBe('malformed');
    },
  );
});

describe('acceptBcNotifications', () => {
  const company = '3f1c1d7e-2b4a-4c8d-9e0f-112233445566';
  const vendorId = 'a1b2c3d4-e5f6-4789-8abc-def012345678';
  const clientState = new Secret('client-state-7d1e');
  const entry = (resource: string) => ({
    subscriptionId: 'sub-1',
    clientState: clientState.reveal(),
    expirationDateTime: '2026-12-10T00:00:00Z',
    resource,
    changeType: 'updated' as const,
    lastModifiedDateTime: '2026-12-07T10:00:00Z',
  });

  it('when one entry of an authenticated batch has a malformed %-escape, then it alone is ignored with a warning naming the correlation id', async () => {
    const sent: JobEnvelope[] = [];
    const logs = memorySink();
    const queue = {
      enqueue: (envelopes: JobEnvelope[]) => Promise.resolve(void sent.push(...envelopes)),
      schedule: () => Promise.resolve(),
      probe: () => Promise.resolve('test queue'),
    };
    const result = await acceptBcNotifications(
      [
        entry(`api/v2.0/companies(${company})/vendors(%E0%A4%A)`),
        entry(`api/v2.0/companies(${company})/vendors(${vendorId})`),
      ],
      { queue, clock: { now: () => Date.parse('2026-12-07T10:00:01Z') }, logger: createLogger(logs.sink) },
      { clientState, companyId: company, correlationId: 'invocation-42' },
    );
    expect(result).toMatchObject({ rejected: 0, ignored: 1 });
    expect(sent.map((e) => e.job)).toEqual([{ type: 'bc-vendor', vendorId }]);
    expect(logs.lines).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: expect.stringContaining('malformed') as string,
        properties: expect.objectContaining({ correlationId: 'invocation-42' }) as object,
      }),
    );
  });
});
