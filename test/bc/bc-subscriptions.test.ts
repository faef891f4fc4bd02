import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ValidationError } from '../../src/core/errors.js';
import { startHttpServer, type StartedHttpServer } from '../sandbox/http-server.js';
import { startHarness, type Harness } from './bc-harness.js';

interface Receiver {
  server: StartedHttpServer;
  handshakes: number;
  notifications: unknown[];
  /** What the receiver answers to notifications. */
  status: number;
  echoToken: boolean;
}

async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = {
    server: undefined as unknown as StartedHttpServer,
    handshakes: 0,
    notifications: [],
    status: 202,
    echoToken: true,
  };
  receiver.server = await startHttpServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const token = url.searchParams.get('validationToken');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (token !== null) {
        receiver.handshakes += 1;
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end(receiver.echoToken ? token : 'nope');
        return;
      }
      receiver.notifications.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(receiver.status);
      res.end();
    });
  });
  return receiver;
}

let h: Harness;
let receiver: Receiver;
let clock = 0;

describe('BC subscriptions', () => {
  beforeEach(async () => {
    clock = Date.now();
    h = await startHarness({ bc: { now: () => clock } });
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await receiver.server.close();
    await h.close();
  });

  it('when a subscription is created, renewed and deleted, then each create/renew handshakes and expiry moves', async () => {
    const client = h.client();
    const created = await client.createSubscription({
      notificationUrl: `${receiver.server.url}/bc`,
      resource: 'vendors',
      clientState: 'state-1',
    });
    expect(receiver.handshakes).toBe(1);
    expect(Date.parse(created.expirationDateTime) - clock).toBe(3 * 24 * 3600 * 1000);
    clock += 24 * 3600 * 1000;
    const renewed = await client.renewSubscription(
      { ...created, clientState: 'state-1' },
      created['@odata.etag'] ?? '',
    );
    expect(receiver.handshakes).toBe(2);
    expect(Date.parse(renewed.expirationDateTime)).toBeGreaterThan(Date.parse(created.expirationDateTime));
    await client.deleteSubscription(renewed.subscriptionId, renewed['@odata.etag'] ?? '');
    expect(await client.listSubscriptions()).toEqual([]);
    await client.deleteSubscription(renewed.subscriptionId, renewed['@odata.etag'] ?? '');
  });

  it('when the receiver does not echo the validation token, then creation fails with ValidationError', async () => {
    receiver.echoToken = false;
    const error = await h
      .client()
      .createSubscription({ notificationUrl: `${receiver.server.url}/bc`, resource: 'vendors', clientState: 's' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(h.bc.subscriptions.list()).toHaveLength(0);
  });

  it('when a vendor changes, then the receiver gets a notification with clientState and the resource id', async () => {
    const client = h.client();
    await client.createSubscription({
      notificationUrl: `${receiver.server.url}/bc`,
      resource: 'vendors',
      clientState: 'cs',
    });
    const vendor = await client.createVendor({ displayName: 'Fabrikam' });
    await h.bc.flushNotifications();
    const [delivered] = receiver.notifications as Array<{ value: Array<Record<string, string>> }>;
    expect(delivered?.value).toHaveLength(1);
    expect(delivered?.value[0]).toMatchObject({ clientState: 'cs', changeType: 'created' });
    expect(delivered?.value[0]?.resource).toBe(`/api/v2.0/companies(${h.bc.companyId})/vendors(${vendor.id})`);
  });

  it('when the receiver answers 400 to a notification, then BC deletes the subscription', async () => {
    const client = h.client();
    await client.createSubscription({
      notificationUrl: `${receiver.server.url}/bc`,
      resource: 'items',
      clientState: 'cs',
    });
    receiver.status = 400;
    h.bc.addItem({ displayName: 'Widget' });
    await h.bc.flushNotifications();
    expect(await client.listSubscriptions()).toEqual([]);
  });

  it('when the receiver answers 503, then the delivery is retried', async () => {
    const client = h.client();
    await client.createSubscription({
      notificationUrl: `${receiver.server.url}/bc`,
      resource: 'items',
      clientState: 'cs',
    });
    receiver.status = 503;
    h.bc.addItem({ displayName: 'Widget' });
    setTimeout(() => (receiver.status = 202), 60);
    await h.bc.flushNotifications();
    expect(h.bc.deliveries.at(-1)?.status).toBe(202);
    expect(await client.listSubscriptions()).toHaveLength(1);
  });

  it('when a subscription passes its expiry, then it is removed', async () => {
    const client = h.client();
    await client.createSubscription({
      notificationUrl: `${receiver.server.url}/bc`,
      resource: 'vendors',
      clientState: 'cs',
    });
    clock += 3 * 24 * 3600 * 1000 + 1;
    expect(await client.listSubscriptions()).toEqual([]);
  });
});
