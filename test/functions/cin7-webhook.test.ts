import { HttpRequest, InvocationContext } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/secret.js';
import { cin7WebhookSecretHeader } from '../../src/cin7/webhook-payloads.js';
import { createCin7WebhookHandler } from '../../src/functions/cin7-webhook.js';
import { createMemorySessionQueue } from '../../src/queue/memory-session-queue.js';
import { createLogger, memorySink } from '../../src/telemetry/logger.js';

const secret = 'webhook-secret-5f1d9c';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function setup(getWebhookSecret = () => Promise.resolve(new Secret(secret))) {
  const queue = createMemorySessionQueue();
  const logs = memorySink();
  const handler = createCin7WebhookHandler({
    getWebhookSecret,
    getQueue: () => Promise.resolve(queue),
    clock: { now: () => Date.parse('2026-11-28T08:00:00Z') },
    logger: () => createLogger(logs.sink),
    maxBodyBytes: 4096,
  });
  const callWith = (body: string, headers: Record<string, string>) =>
    handler(
      new HttpRequest({
        method: 'POST',
        url: 'https://connector.example/api/webhooks/cin7',
        body: { string: body },
        headers: { 'content-type': 'application/json', ...headers },
      }),
      new InvocationContext({ invocationId: 'test', functionName: 'cin7-webhook' }),
    );
  const call = (body: string, authorization?: string) => callWith(body, authorization ? { authorization } : {});
  return { queue, call, callWith, logs };
}

const invoiceAuthorised = JSON.stringify({
  TaskID: '8B1538E4-1A2B-4C3D-8E9F-0123456789AB',
  PurchaseOrderNumber: 'PO-00005',
  InvoiceNumber: '1',
  SupplierName: null,
  SupplierContactName: null,
  SupplierContactEmail: null,
  EventType: 'Purchase/InvoiceAuthorised',
});

describe('Cin7 webhook function', () => {
  it('when a thin InvoiceAuthorised arrives with Basic auth, then one job keyed by the order number is queued and 202 returned', async () => {
    const { queue, call } = setup();
    const response = await call(invoiceAuthorised, basic('cin7', secret));
    expect(response.status).toBe(202);
    expect(queue.stats().sent).toBe(1);
  });

  it('when the secret store fails, then the webhook answers 503 (Cin7 retries) and nothing is queued', async () => {
    const { queue, call, logs } = setup(() => Promise.reject(new Error('Key Vault answered 503')));
    const response = await call(invoiceAuthorised, `Bearer ${secret}`);
    expect(response.status).toBe(503);
    expect(queue.stats().sent).toBe(0);
    expect(logs.lines.some((line) => line.level === 'error')).toBe(true);
  });

  it('when the secret arrives in the header the connector registers through ExternalHeaders, then the job is queued and 202 returned', async () => {
    const { queue, callWith } = setup();
    const response = await callWith(invoiceAuthorised, { [cin7WebhookSecretHeader]: secret });
    expect(response.status).toBe(202);
    expect(queue.stats().sent).toBe(1);
  });

  it.each([
    ['a wrong value in the connector header', { [cin7WebhookSecretHeader]: `${secret}-old` }],
    ['the secret as a bare Authorization value', { authorization: secret }],
    ['the secret in some other header', { 'x-api-key': secret }],
  ])('I8: when the request has %s, then it gets 401 and nothing is queued', async (_label, headers) => {
    const { queue, callWith } = setup();
    expect((await callWith(invoiceAuthorised, headers)).status).toBe(401);
    expect(queue.stats().sent).toBe(0);
  });

  it('when the same webhook is delivered three times, then duplicate detection keeps one message (I1)', async () => {
    const { queue, call } = setup();
    for (let i = 0; i < 3; i += 1) expect((await call(invoiceAuthorised, `Bearer ${secret}`)).status).toBe(202);
    expect(queue.stats()).toMatchObject({ sent: 1, duplicatesDropped: 2 });
  });

  it('when a fat Purchase/Updated names two purchases, then two jobs are queued', async () => {
    const { queue, call } = setup();
    const body = JSON.stringify({
      NumberOfPurchase: 2,
      CustomerDetailsList: [
        {
          ID: '78f64a2d-f339-4f0d-b29e-28646d05093d',
          OrderNumber: 'PO-00069',
          LastUpdatedDate: '2026-11-28T07:00:00Z',
        },
        {
          ID: '11f64a2d-f339-4f0d-b29e-28646d05093d',
          OrderNumber: 'PO-00070',
          LastUpdatedDate: '2026-11-28T07:00:00Z',
        },
      ],
      EventType: 'Purchase/Updated',
    });
    expect((await call(body, `Bearer ${secret}`)).status).toBe(202);
    expect(queue.stats().sent).toBe(2);
  });

  it.each([
    ['no credentials', undefined],
    ['a wrong bearer token', 'Bearer not-the-secret'],
    ['a wrong basic password', basic('cin7', 'guess')],
    ['the secret as a basic user name', basic(secret, '')],
    ['an unknown scheme', `Token ${secret}`],
  ])('I8: when the request has %s, then it gets 401 and nothing is queued', async (_label, authorization) => {
    const { queue, call } = setup();
    expect((await call(invoiceAuthorised, authorization)).status).toBe(401);
    expect(queue.stats().sent).toBe(0);
  });

  it.each([
    ['not JSON', '{"EventType": "Purchase/Updated"'],
    ['no EventType', '{"TaskID":"x"}'],
    ['an unsupported event', '{"EventType":"Sale/Created","SaleID":"x"}'],
    ['a purchase event without any key', '{"EventType":"Purchase/InvoiceAuthorised"}'],
    ['a list of the wrong type', '{"EventType":"Purchase/Updated","CustomerDetailsList":"PO-1"}'],
    ['a JSON array', '[1,2,3]'],
  ])('I8: when the body is %s, then it gets 400 and nothing is queued', async (_label, body) => {
    const { queue, call } = setup();
    expect((await call(body, `Bearer ${secret}`)).status).toBe(400);
    expect(queue.stats().sent).toBe(0);
  });

  it('I8: when the body exceeds the size cap, then it gets 413 and nothing is queued', async () => {
    const { queue, call } = setup();
    const body = JSON.stringify({
      EventType: 'Purchase/InvoiceAuthorised',
      PurchaseOrderNumber: 'PO-1',
      padding: 'x'.repeat(5000),
    });
    expect((await call(body, `Bearer ${secret}`)).status).toBe(413);
    expect(queue.stats().sent).toBe(0);
  });

  it('I7: when a request is rejected, then no log line contains the secret or the presented credential', async () => {
    const { call, logs } = setup();
    await call(invoiceAuthorised, `Bearer ${secret}-wrong`);
    await call(invoiceAuthorised, `Bearer ${secret}`);
    expect(JSON.stringify(logs.lines)).not.toContain(secret);
  });
});
