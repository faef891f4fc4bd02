/**
 * `postPurchaseInvoiceAndRead`: the post action and the read-back in one JSON `$batch` request
 * (reference/bc-api.md §1.4), and the simulator's `$batch` endpoint it relies on.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { NotFoundError, ThrottledError, TransientError, ValidationError } from '../../src/core/errors.js';
import { buildInvoice, seedBasics, startHarness, type Harness } from './bc-harness.js';

let h: Harness;

const batchRequests = () => h.faults.count({ system: 'bc', method: 'POST', path: /\/\$batch$/ });

describe('BC $batch: post and read in one request', () => {
  beforeEach(async () => {
    h = await startHarness();
    seedBasics(h.bc);
  });
  afterEach(async () => {
    await h.close();
  });

  it('when a draft is posted and read back, then one HTTP request posts it and returns the Open invoice with its posted number', async () => {
    const client = h.client();
    const draft = await client.createPurchaseInvoice(buildInvoice());
    h.faults.resetCounts();

    const posted = await client.postPurchaseInvoiceAndRead(draft.id);

    expect(posted).toMatchObject({
      id: draft.id,
      status: 'Open',
      vendorInvoiceNumber: 'INV-1',
      totalAmountIncludingTax: 27.5,
    });
    expect(posted.number).not.toBe(draft.number);
    expect(h.faults.count({ system: 'bc' })).toBe(1);
    expect(batchRequests()).toBe(1);
    expect(h.bc.batchOperations.map((o) => [o.method, o.path.split('/').pop(), o.status])).toEqual([
      ['POST', 'Microsoft.NAV.post', 204],
      ['GET', `purchaseInvoices(${draft.id})`, 200],
    ]);
  });

  it("when BC refuses the post (the vendor invoice number is already posted), then ValidationError with BC's message and the invoice stays a draft", async () => {
    const client = h.client();
    const first = await client.createPurchaseInvoice(buildInvoice({ vendorInvoiceNumber: 'INV-9' }));
    await client.postPurchaseInvoiceAndRead(first.id);
    const second = await client.createPurchaseInvoice(buildInvoice({ vendorInvoiceNumber: 'inv-9' }));

    const error = await client.postPurchaseInvoiceAndRead(second.id).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toContain('Purchase Invoice INV-9 already exists for this vendor.');
    expect((error as ValidationError).code).toBe('Application_DialogException');
    expect((error as ValidationError).correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(h.bc.data.purchaseInvoices.get(second.id)?.status).toBe('Draft');
  });

  it('when the invoice is already posted, then ValidationError "draft invoice only"', async () => {
    const client = h.client();
    const draft = await client.createPurchaseInvoice(buildInvoice());
    await client.postPurchaseInvoiceAndRead(draft.id);
    await expect(client.postPurchaseInvoiceAndRead(draft.id)).rejects.toThrow(/draft invoice only/);
  });

  it('when the post operation inside the batch fails with 500, then TransientError and the batch is not sent again', async () => {
    const client = h.client();
    const draft = await client.createPurchaseInvoice(buildInvoice());
    h.faults.resetCounts();
    h.faults.add({ system: 'bc', method: 'POST', path: /Microsoft\.NAV\.post$/, kind: 'server-error', times: 1 });

    await expect(client.postPurchaseInvoiceAndRead(draft.id)).rejects.toBeInstanceOf(TransientError);

    expect(batchRequests()).toBe(1);
    expect(h.bc.data.purchaseInvoices.get(draft.id)?.status).toBe('Draft');
  });

  it('when the post operation is throttled inside the batch, then the batch is sent again (nothing ran) and the invoice is posted once', async () => {
    const client = h.client();
    const draft = await client.createPurchaseInvoice(buildInvoice());
    h.faults.add({
      system: 'bc',
      method: 'POST',
      path: /Microsoft\.NAV\.post$/,
      kind: 'throttle-no-retry-after',
      times: 2,
    });

    const posted = await client.postPurchaseInvoiceAndRead(draft.id);

    expect(posted.status).toBe('Open');
    expect(h.bc.batchOperations.filter((o) => o.path.endsWith('Microsoft.NAV.post')).map((o) => o.status)).toEqual([
      429, 429, 204,
    ]);
  });

  it('when the post operation stays throttled past the retries, then ThrottledError with its Retry-After and nothing posted', async () => {
    const client = h.client({ maxRetries: 1 });
    const draft = await client.createPurchaseInvoice(buildInvoice());
    h.faults.add({
      system: 'bc',
      method: 'POST',
      path: /Microsoft\.NAV\.post$/,
      kind: 'throttle',
      retryAfterSeconds: 0,
      times: 5,
    });

    const error = await client.postPurchaseInvoiceAndRead(draft.id).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ThrottledError);
    expect(h.bc.data.purchaseInvoices.get(draft.id)?.status).toBe('Draft');
  });

  it('when the batch itself gets a 429, then it is retried (nothing ran) and the invoice is posted once', async () => {
    const client = h.client();
    const draft = await client.createPurchaseInvoice(buildInvoice());
    h.faults.resetCounts();
    h.faults.add({
      system: 'bc',
      method: 'POST',
      path: /\/\$batch$/,
      kind: 'throttle',
      retryAfterSeconds: 0,
      times: 1,
    });

    const posted = await client.postPurchaseInvoiceAndRead(draft.id);

    expect(posted.status).toBe('Open');
    expect(batchRequests()).toBe(2);
    expect(h.bc.batchOperations.filter((o) => o.path.endsWith('Microsoft.NAV.post'))).toHaveLength(1);
  });

  it.each([
    { status: 500, kind: 'server-error' as const },
    { status: 503, kind: 'server-error' as const },
  ])(
    'when the batch itself answers $status, then the error surfaces and the batch is not sent again (the post may have run)',
    async ({ status, kind }) => {
      const client = h.client();
      const draft = await client.createPurchaseInvoice(buildInvoice());
      h.faults.resetCounts();
      h.faults.add({ system: 'bc', method: 'POST', path: /\/\$batch$/, kind, status, times: 1 });

      await expect(client.postPurchaseInvoiceAndRead(draft.id)).rejects.toThrow();

      expect(batchRequests()).toBe(1);
    },
  );

  it('when BC posts but the answer to the batch is lost, then TransientError, no second batch, and the invoice is posted', async () => {
    const client = h.client();
    const draft = await client.createPurchaseInvoice(buildInvoice());
    h.faults.resetCounts();
    h.faults.add({ system: 'bc', method: 'POST', path: /\/\$batch$/, kind: 'lost-response', times: 1 });

    await expect(client.postPurchaseInvoiceAndRead(draft.id)).rejects.toBeInstanceOf(TransientError);

    expect(batchRequests()).toBe(1);
    expect(h.bc.data.purchaseInvoices.get(draft.id)?.status).toBe('Open');
  });

  it('when the read inside the batch fails after a successful post, then one plain GET reads the posted invoice', async () => {
    const client = h.client();
    const draft = await client.createPurchaseInvoice(buildInvoice());
    h.faults.resetCounts();
    h.faults.add({
      system: 'bc',
      method: 'GET',
      path: `/purchaseInvoices(${draft.id})`,
      kind: 'server-error',
      times: 1,
    });

    const posted = await client.postPurchaseInvoiceAndRead(draft.id);

    expect(posted.status).toBe('Open');
    expect(h.faults.count({ system: 'bc' })).toBe(2);
  });

  it('when the invoice does not exist, then NotFoundError', async () => {
    await expect(h.client().postPurchaseInvoiceAndRead('00000000-0000-4000-8000-000000000001')).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });
});

describe('BC simulator $batch endpoint', () => {
  const rawToken = 'raw-test-token';
  beforeEach(async () => {
    h = await startHarness({ bc: { limits: false, validateToken: (token) => token === rawToken } });
    seedBasics(h.bc);
  });
  afterEach(async () => {
    await h.close();
  });

  async function postBatch(body: unknown): Promise<{ status: number; json: unknown }> {
    const response = await request(`${h.bc.apiRoot}/$batch`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${rawToken}`, 'Content-Type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.statusCode, json: await response.body.json() };
  }

  it('when operations are sent, then they run in order, each with its own status and BC error body', async () => {
    const { status, json } = await postBatch({
      requests: [
        { method: 'GET', id: 'a', url: `companies(${h.bc.companyId})/vendors?$filter=number eq 'V100'` },
        { method: 'GET', id: 'b', url: `companies(${h.bc.companyId})/vendors(00000000-0000-4000-8000-000000000009)` },
        {
          method: 'POST',
          id: 'c',
          url: `companies(${h.bc.companyId})/purchaseInvoices`,
          body: buildInvoice(),
          headers: { 'Content-Type': 'application/json' },
        },
      ],
    });
    expect(status).toBe(200);
    const responses = (json as { responses: Array<{ id: string; status: number; body: Record<string, unknown> }> })
      .responses;
    expect(responses.map((r) => [r.id, r.status])).toEqual([
      ['a', 200],
      ['b', 404],
      ['c', 201],
    ]);
    expect(responses[1]?.body).toMatchObject({ error: { code: 'Internal_RecordNotFound' } });
    expect(h.bc.data.purchaseInvoices.all()).toHaveLength(1);
  });

  it.each([
    ['not JSON', '{'],
    ['no requests', {}],
    ['an empty list', { requests: [] }],
    [
      '101 operations',
      { requests: Array.from({ length: 101 }, (_, i) => ({ method: 'GET', id: `r${i}`, url: 'companies' })) },
    ],
    [
      'a duplicate id',
      {
        requests: [
          { method: 'GET', id: 'x', url: 'companies' },
          { method: 'GET', id: 'x', url: 'companies' },
        ],
      },
    ],
    [
      'an absolute URL to another host',
      { requests: [{ method: 'GET', id: 'x', url: 'https://elsewhere.example/companies' }] },
    ],
    ['an unknown method', { requests: [{ method: 'TRACE', id: 'x', url: 'companies' }] }],
  ])('when the batch body has %s, then 400 and nothing runs', async (_what, body) => {
    const { status, json } = await postBatch(body);
    expect(status).toBe(400);
    expect(json).toMatchObject({ error: { code: 'BadRequest' } });
    expect(h.bc.batchOperations).toHaveLength(0);
  });
});
