/**
 * Invariant 8 under fuzzing: the Cin7 webhook and the BC notification endpoint answer every malformed,
 * oversized, unauthenticated or hostile request with a 4xx (or, for BC's handshake, the token) and enqueue
 * nothing; what they accept enqueues only messages Service Bus can carry.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Secret } from '../../src/config/secret.js';
import { createBcNotificationHandler } from '../../src/functions/bc-notification.js';
import { createCin7WebhookHandler } from '../../src/functions/cin7-webhook.js';
import { JobEnvelopeSchema } from '../../src/queue/job-schema.js';
import { MAX_SERVICE_BUS_ID_LENGTH } from '../../src/core/job-ids.js';
import type { JobEnvelope, JobQueue } from '../../src/core/ports/jobs.js';
import { createLogger, memorySink } from '../../src/telemetry/logger.js';
import {
  callHandler,
  fuzzParameters,
  injectionString,
  isClientError,
  malformedJson,
  wrongAuthorization,
  wrongTypedValue,
} from './fuzz-support.js';

const webhookSecret = 'fuzz-webhook-secret-8c1f';
const clientState = 'fuzz-client-state-41d2';
const companyId = '5d115c9c-44e3-ea11-bb43-000d3a2feca1';
const maxBodyBytes = 64 * 1024;

/** A queue that records what it is given. */
function recordingQueue(): JobQueue & { sent: JobEnvelope[] } {
  const sent: JobEnvelope[] = [];
  return {
    sent,
    enqueue: (envelopes) => {
      sent.push(...envelopes);
      return Promise.resolve();
    },
    schedule: (envelope) => {
      sent.push(envelope);
      return Promise.resolve();
    },
    probe: () => Promise.resolve('recording queue'),
  };
}

function webhookSetup() {
  const queue = recordingQueue();
  const handler = createCin7WebhookHandler({
    getWebhookSecret: () => Promise.resolve(new Secret(webhookSecret)),
    getQueue: () => Promise.resolve(queue),
    clock: { now: () => Date.parse('2026-11-28T08:00:00Z') },
    logger: () => createLogger(memorySink().sink),
    maxBodyBytes,
  });
  const call = (
    body: string | Uint8Array,
    authorization: string | null = `Bearer ${webhookSecret}`,
    extraHeaders: Record<string, string> = {},
  ) =>
    callHandler(handler, {
      url: 'https://connector.example/api/webhooks/cin7',
      body,
      headers: {
        'content-type': 'application/json',
        ...(authorization !== null ? { authorization } : {}),
        ...extraHeaders,
      },
    });
  return { queue, call };
}

function notificationSetup() {
  const queue = recordingQueue();
  const handler = createBcNotificationHandler({
    getClientState: () => Promise.resolve(new Secret(clientState)),
    getQueue: () => Promise.resolve(queue),
    clock: { now: () => Date.parse('2026-11-28T08:00:00Z') },
    logger: () => createLogger(memorySink().sink),
    maxBodyBytes,
    companyId,
  });
  const call = (options: { body?: string | Uint8Array; query?: string; method?: string }) =>
    callHandler(handler, {
      method: options.method ?? 'POST',
      url: `https://connector.example/api/notifications/bc${options.query ?? ''}`,
      ...(options.body !== undefined ? { body: options.body } : {}),
      headers: { 'content-type': 'application/json' },
    });
  return { queue, call };
}

/** Every field of every Cin7 purchase event, to put a hostile value into. */
const cin7Event = fc.oneof(
  fc.record({
    EventType: fc.constantFrom('Purchase/InvoiceAuthorised', 'Purchase/OrderAuthorised'),
    TaskID: fc.oneof(fc.uuid(), injectionString),
    PurchaseOrderNumber: injectionString,
    InvoiceNumber: injectionString,
    SupplierName: fc.oneof(fc.constant(null), injectionString),
  }),
  fc.record({
    EventType: fc.constant('Purchase/Updated'),
    PurchaseList: fc.array(
      fc.record({ ID: injectionString, OrderNumber: injectionString, LastUpdatedDate: injectionString }),
      { minLength: 1, maxLength: 3 },
    ),
  }),
  fc.record({
    EventType: fc.constant('Supplier/Updated'),
    SupplierList: fc.array(
      fc.record({ Supplier: fc.record({ ID: injectionString, LastModifiedOn: injectionString }) }),
      { minLength: 1, maxLength: 3 },
    ),
  }),
);

/** A well-formed event with one field replaced by a value of the wrong type. */
const wronglyTypedCin7Event = fc
  .tuple(
    fc.constantFrom(
      ['EventType'],
      ['TaskID'],
      ['PurchaseOrderNumber'],
      ['PurchaseList'],
      ['PurchaseList', 0],
      ['PurchaseList', 0, 'ID'],
      ['SupplierList', 0, 'Supplier'],
      ['SupplierList', 0, 'Supplier', 'ID'],
    ) as fc.Arbitrary<Array<string | number>>,
    // null is Cin7's "absent" for optional fields; a thin event with a TaskID and no order number is valid.
    wrongTypedValue.filter((v) => typeof v !== 'string' && v !== null),
  )
  .map(([path, value]) => {
    const event: Record<string, unknown> =
      path[0] === 'PurchaseList'
        ? {
            EventType: 'Purchase/Updated',
            PurchaseList: [
              {
                ID: 'c3c5d3a1-0000-4000-8000-000000000001',
                OrderNumber: 'PO-1',
                LastUpdatedDate: '2026-11-28T08:00:00Z',
              },
            ],
          }
        : path[0] === 'SupplierList'
          ? {
              EventType: 'Supplier/Updated',
              SupplierList: [
                { Supplier: { ID: 'c3c5d3a1-0000-4000-8000-000000000002', LastModifiedOn: '2026-11-28T08:00:00Z' } },
              ],
            }
          : {
              EventType: 'Purchase/InvoiceAuthorised',
              TaskID: 'c3c5d3a1-0000-4000-8000-000000000003',
              PurchaseOrderNumber: 'PO-1',
              InvoiceNumber: '1',
            };
    let target: Record<string | number, unknown> = event;
    for (const key of path.slice(0, -1)) target = target[key] as Record<string | number, unknown>;
    target[path[path.length - 1] ?? ''] = value;
    // A wrong EventType may still name another (unsupported) event: what matters is that nothing is queued for a non-string.
    return event;
  });

function expectCarriable(envelopes: readonly JobEnvelope[]): void {
  for (const envelope of envelopes) {
    expect(JobEnvelopeSchema.safeParse(envelope).success).toBe(true);
    expect(envelope.messageId.length).toBeLessThanOrEqual(MAX_SERVICE_BUS_ID_LENGTH);
    expect(envelope.sessionId.length).toBeLessThanOrEqual(MAX_SERVICE_BUS_ID_LENGTH);
  }
}

describe('fuzz: Cin7 webhook', () => {
  it('I8: when the body is not a JSON event (malformed, truncated, binary), then 400 and nothing is enqueued', async () => {
    await fc.assert(
      fc.asyncProperty(malformedJson, async (body) => {
        const { queue, call } = webhookSetup();
        const response = await call(body);
        expect(response.status).toBe(400);
        expect(queue.sent).toHaveLength(0);
      }),
      fuzzParameters,
    );
  });

  it('I8: when a field of the event has the wrong type, then 400 and nothing is enqueued', async () => {
    await fc.assert(
      fc.asyncProperty(wronglyTypedCin7Event, async (event) => {
        const { queue, call } = webhookSetup();
        const response = await call(JSON.stringify(event));
        expect(response.status).toBe(400);
        expect(queue.sent).toHaveLength(0);
      }),
      fuzzParameters,
    );
  });

  it('I8: when the credentials are missing or wrong, then 401 and nothing is enqueued, whatever the body', async () => {
    await fc.assert(
      fc.asyncProperty(
        wrongAuthorization(webhookSecret),
        fc.oneof(
          malformedJson,
          cin7Event.map((e) => JSON.stringify(e)),
        ),
        async (authorization, body) => {
          const { queue, call } = webhookSetup();
          const response = await call(body, authorization ?? null);
          expect(response.status).toBe(401);
          expect(queue.sent).toHaveLength(0);
          expect(JSON.stringify(response.jsonBody ?? '')).not.toContain(webhookSecret);
        },
      ),
      fuzzParameters,
    );
  });

  it('I8: when the body is larger than the limit (declared or not), then 413 and nothing is enqueued', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: maxBodyBytes + 1, max: maxBodyBytes * 4 }),
        fc.boolean(),
        fc.constantFrom('a', 'é', '€', '😀'),
        async (size, declare, unit) => {
          const { queue, call } = webhookSetup();
          const body = `{"EventType":"Purchase/Updated","PurchaseList":[],"pad":"${unit.repeat(Math.ceil(size / Buffer.byteLength(unit)))}"}`;
          const response = await call(
            body,
            `Bearer ${webhookSecret}`,
            declare ? { 'content-length': String(Buffer.byteLength(body)) } : {},
          );
          expect(response.status).toBe(413);
          expect(queue.sent).toHaveLength(0);
        },
      ),
      { ...fuzzParameters, numRuns: 20 },
    );
  });

  it('I8: when the body is in an odd encoding (UTF-16, BOM, invalid UTF-8), then 400 and nothing is enqueued', async () => {
    const valid = JSON.stringify({
      EventType: 'Purchase/InvoiceAuthorised',
      TaskID: 'c3c5d3a1-0000-4000-8000-000000000003',
      PurchaseOrderNumber: 'PO-1',
      InvoiceNumber: '1',
    });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constant(new Uint8Array(Buffer.from(valid, 'utf16le'))),
          fc.constant(new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(valid, 'utf16le')]))),
          fc.uint8Array({ minLength: 1, maxLength: 300 }).map((bytes) => new Uint8Array([0x7b, 0xc3, 0x28, ...bytes])),
        ),
        async (bytes) => {
          const { queue, call } = webhookSetup();
          const response = await call(bytes);
          expect(response.status).toBe(400);
          expect(queue.sent).toHaveLength(0);
        },
      ),
      { ...fuzzParameters, numRuns: 50 },
    );
  });

  it('I8: when every field of a well-formed event holds an injection string, then 202 with Service Bus-safe messages or 400 with nothing enqueued, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(cin7Event, async (event) => {
        const { queue, call } = webhookSetup();
        const response = await call(JSON.stringify(event));
        expect([202, 400]).toContain(response.status);
        if (response.status === 400) expect(queue.sent).toHaveLength(0);
        expectCarriable(queue.sent);
      }),
      fuzzParameters,
    );
  });
});

describe('fuzz: BC notification endpoint', () => {
  const notification = (overrides: Record<string, unknown> = {}) => ({
    subscriptionId: 'sub-1',
    clientState,
    expirationDateTime: '2026-12-01T08:00:00Z',
    resource: `api/v2.0/companies(${companyId})/vendors(c3c5d3a1-0000-4000-8000-000000000004)`,
    changeType: 'updated',
    lastModifiedDateTime: '2026-11-28T08:00:00Z',
    ...overrides,
  });

  it('I8: when the body is malformed JSON or not a notification list, then 400 and nothing is enqueued', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          malformedJson,
          wrongTypedValue.map((v) => JSON.stringify({ value: v })),
        ),
        async (body) => {
          const { queue, call } = notificationSetup();
          const response = await call({ body });
          // 202 only for `{"value": []}`-like bodies that carry no notification at all.
          if (response.status === 202) expect(queue.sent).toHaveLength(0);
          else expect(response.status).toBe(400);
          expect(queue.sent).toHaveLength(0);
        },
      ),
      fuzzParameters,
    );
  });

  it('I8: when a notification field has the wrong type, then 400 and nothing is enqueued', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('subscriptionId', 'resource', 'changeType', 'clientState'),
        wrongTypedValue.filter((v) => typeof v !== 'string' && v !== null),
        async (field, value) => {
          const { queue, call } = notificationSetup();
          const response = await call({ body: JSON.stringify({ value: [notification({ [field]: value })] }) });
          expect(response.status).toBe(400);
          expect(queue.sent).toHaveLength(0);
        },
      ),
      fuzzParameters,
    );
  });

  it('I8: when clientState is missing or wrong, then the notification is ignored (2xx so BC keeps the subscription) and nothing is enqueued', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constant(undefined),
          injectionString.filter((s) => s !== clientState),
        ),
        async (state) => {
          const { queue, call } = notificationSetup();
          const body = {
            value: [notification(state === undefined ? { clientState: undefined } : { clientState: state })],
          };
          const response = await call({ body: JSON.stringify(body) });
          expect(response.status).toBe(202);
          expect(queue.sent).toHaveLength(0);
        },
      ),
      fuzzParameters,
    );
  });

  it('I8: when every field of a notification with the right clientState holds an injection string, then 202 or 400, never a 5xx, and only Service Bus-safe messages', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          subscriptionId: injectionString,
          resource: fc.oneof(
            injectionString,
            injectionString.map((s) => `api/v2.0/companies(${companyId})/vendors(${s})`),
          ),
          changeType: fc.oneof(fc.constantFrom('created', 'updated', 'deleted', 'collection'), injectionString),
          lastModifiedDateTime: injectionString,
        }),
        async (fields) => {
          const { queue, call } = notificationSetup();
          const response = await call({ body: JSON.stringify({ value: [notification(fields)] }) });
          expect([202, 400]).toContain(response.status);
          if (response.status === 400) expect(queue.sent).toHaveLength(0);
          expectCarriable(queue.sent);
        },
      ),
      fuzzParameters,
    );
  });

  it('I8: when a validationToken arrives, then it is echoed as text only when non-empty and at most 1,024 characters, and nothing is enqueued', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(injectionString, fc.string({ maxLength: 50 })),
        fc.constantFrom('GET', 'POST'),
        async (token, method) => {
          const { queue, call } = notificationSetup();
          const response = await call({ method, query: `?validationToken=${encodeURIComponent(token)}` });
          if (token.length > 0 && token.length <= 1024) {
            expect(response.status).toBe(200);
            expect(response.body).toBe(token);
            expect(response.headers).toMatchObject({ 'Content-Type': 'text/plain; charset=utf-8' });
          } else {
            expect(response.status).toBe(400);
          }
          expect(queue.sent).toHaveLength(0);
        },
      ),
      fuzzParameters,
    );
  });

  it('I8: when the body is larger than the limit, then 413 and nothing is enqueued', async () => {
    const { queue, call } = notificationSetup();
    const response = await call({
      body: JSON.stringify({ value: [notification({ subscriptionId: 'x'.repeat(maxBodyBytes) })] }),
    });
    expect(response.status).toBe(413);
    expect(queue.sent).toHaveLength(0);
    expect(isClientError(response.status)).toBe(true);
  });
});
