import type { IncomingHttpHeaders } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/core/errors.js';
import { startHttpServer, type StartedHttpServer } from '../sandbox/http-server.js';
import { accountId, applicationKey, collect, rejectionOf, startHarness, type Harness } from './harness.js';

let h: Harness | undefined;
let receiver: StartedHttpServer | undefined;
afterEach(async () => {
  await h?.close();
  await receiver?.close();
  h = undefined;
  receiver = undefined;
});

interface Delivery {
  url: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** A webhook receiver that records deliveries; `/fail` answers 500. */
async function startReceiver(): Promise<{ server: StartedHttpServer; deliveries: Delivery[] }> {
  const deliveries: Delivery[] = [];
  const server = await startHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      deliveries.push({
        url: req.url ?? '',
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
      });
      res.writeHead(req.url === '/fail' ? 500 : 200).end();
    });
  });
  return { server, deliveries };
}

const auth = { 'api-auth-accountid': accountId, 'api-auth-applicationkey': applicationKey };

describe('Cin7 simulator', () => {
  it('when the auth headers are missing, then it answers 403 Incorrect credentials!', async () => {
    h = await startHarness();
    const res = await fetch(`${h.sim.baseUrl}me`);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual([{ ErrorCode: 403, Exception: 'Incorrect credentials!' }]);
  });

  it('when the path is unknown, then it answers 200 with an HTML page', async () => {
    h = await startHarness();
    const res = await fetch(`${h.sim.baseUrl}Products`, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
  });

  it('when its own limit is exceeded, then it answers 429 or 503, some with Retry-After and some without', async () => {
    h = await startHarness({ sim: { rateLimit: { limit: 2, windowMs: 60_000 } } });
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => fetch(`${h?.sim.baseUrl}me`, { headers: auth })),
    );
    const throttled = answers.filter((r) => r.status !== 200);
    expect(answers.filter((r) => r.status === 200)).toHaveLength(2);
    expect(new Set(throttled.map((r) => r.status))).toEqual(new Set([429, 503]));
    expect(throttled.some((r) => r.headers.get('retry-after') !== null)).toBe(true);
    expect(throttled.some((r) => r.headers.get('retry-after') === null)).toBe(true);
    expect(await throttled[0]?.text()).toContain('calls per minute API limit');
  });

  it('when a simple purchase is read raw from /advanced-purchase, then Invoice is an array whose stage has the purchase ID as TaskID', async () => {
    h = await startHarness();
    const supplier = h.sim.addSupplier({ Name: 'Raw' });
    const p = h.sim.addPurchase({
      SupplierID: supplier.ID,
      Type: 'Simple Purchase',
      invoices: [{ InvoiceNumber: 'R-1' }],
    });
    const body = (await (await fetch(`${h.sim.baseUrl}advanced-purchase?ID=${p.ID}`, { headers: auth })).json()) as {
      Invoice: unknown[];
    };
    expect(body.Invoice).toEqual([expect.objectContaining({ InvoiceNumber: 'R-1', TaskID: p.ID })]);
  });

  it('when a purchase has no invoice yet, then Invoice and CreditNote each hold the NOT AVAILABLE stand-in keyed by the purchase ID', async () => {
    h = await startHarness();
    const supplier = h.sim.addSupplier({ Name: 'Waiting' });
    const p = h.sim.addPurchase({ SupplierID: supplier.ID, invoices: [] });
    const body = (await (await fetch(`${h.sim.baseUrl}advanced-purchase?ID=${p.ID}`, { headers: auth })).json()) as {
      Invoice: unknown[];
      CreditNote: unknown[];
    };
    const standIn = { Status: 'NOT AVAILABLE', TaskID: p.ID, Total: 0, TotalBeforeTax: 0, Tax: 0 };
    expect(body.Invoice).toEqual([expect.objectContaining({ ...standIn, InvoiceNumber: '', InvoiceDate: null })]);
    expect(body.CreditNote).toEqual([expect.objectContaining({ ...standIn, CreditNoteNumber: '' })]);
  });

  it('when a purchase has draft, authorised and voided credit notes, then CreditNote lists each and the voided one has no lines and zero totals', async () => {
    h = await startHarness();
    const supplier = h.sim.addSupplier({ Name: 'Returns' });
    const p = h.sim.addPurchase({ SupplierID: supplier.ID, invoices: [{ Status: 'AUTHORISED' }] });
    h.sim.addCreditNote(p.ID, { Lines: [{ Name: 'Damaged', Quantity: 2, Price: 10 }] });
    const authorised = h.sim.addCreditNote(p.ID, { Status: 'AUTHORISED', Refunds: [5] });
    const voided = h.sim.addCreditNote(p.ID, { Status: 'AUTHORISED' });
    h.sim.voidCreditNote(p.ID, voided.TaskID);
    const body = (await (await fetch(`${h.sim.baseUrl}advanced-purchase?ID=${p.ID}`, { headers: auth })).json()) as {
      CreditNote: Array<Record<string, unknown>>;
    };
    expect(body.CreditNote.map((c) => c.Status)).toEqual(['DRAFT', 'AUTHORISED', 'VOIDED']);
    expect(body.CreditNote[1]).toMatchObject({
      TaskID: authorised.TaskID,
      CreditNoteInvoiceNumber: p.Invoices[0]?.InvoiceNumber,
      Refunds: [expect.objectContaining({ Amount: 5 })],
    });
    expect(body.CreditNote[2]).toMatchObject({ Lines: [], Total: 0, TotalBeforeTax: 0, Tax: 0 });
  });

  it('when an invoice is authorised, then InvoiceAuthorised reaches a basic-auth webhook with an upper-case TaskID', async () => {
    h = await startHarness();
    const r = await startReceiver();
    receiver = r.server;
    await h.client.createWebhook({
      Type: 'Purchase/InvoiceAuthorised',
      IsActive: true,
      ExternalURL: `${r.server.url}/hook`,
      ExternalAuthorizationType: 'basicauth',
      ExternalUserName: 'cin7',
      ExternalPassword: 's3cret',
    });
    const supplier = h.sim.addSupplier({ Name: 'Hooked' });
    const p = h.sim.addPurchase({ SupplierID: supplier.ID, invoices: [{ InvoiceNumber: 'INV-1' }] });
    const taskId = p.Invoices[0]?.TaskID ?? '';
    h.sim.authoriseInvoice(p.ID, taskId);
    const results = await h.sim.deliverWebhooks({ type: 'Purchase/InvoiceAuthorised', purchaseId: p.ID });
    expect(results).toEqual([expect.objectContaining({ ok: true, status: 200 })]);
    expect(r.deliveries[0]?.headers.authorization).toBe(`Basic ${Buffer.from('cin7:s3cret').toString('base64')}`);
    expect(r.deliveries[0]?.body).toEqual({
      TaskID: taskId.toUpperCase(),
      PurchaseOrderNumber: p.OrderNumber,
      InvoiceNumber: 'INV-1',
      SupplierName: null,
      SupplierContactName: null,
      SupplierContactEmail: null,
      EventType: 'Purchase/InvoiceAuthorised',
    });
  });

  it('when the webhook sends a wrong TaskID, then the purchase is not found by it but is found by PurchaseOrderNumber', async () => {
    h = await startHarness();
    const supplier = h.sim.addSupplier({ Name: 'Wrong Task' });
    const p = h.sim.addPurchase({ SupplierID: supplier.ID, invoices: [{ Status: 'AUTHORISED' }] });
    const payload = h.sim.webhookPayload({
      type: 'Purchase/InvoiceAuthorised',
      purchaseId: p.ID,
      wrongTaskId: true,
    }) as { TaskID: string; PurchaseOrderNumber: string };
    expect(payload.TaskID.toLowerCase()).not.toBe(p.Invoices[0]?.TaskID);
    expect(await h.client.getPurchase(payload.TaskID)).toBeUndefined();
    const [row] = await collect(h.client.listPurchases({ search: payload.PurchaseOrderNumber }));
    expect(row?.ID).toBe(p.ID);
  });

  it('when Purchase/Updated, Supplier/Updated and Product/Updated are delivered, then they carry the documented shapes', async () => {
    h = await startHarness();
    const r = await startReceiver();
    receiver = r.server;
    for (const Type of ['Purchase/Updated', 'Supplier/Updated', 'Product/Updated']) {
      h.sim.addWebhook({
        Type,
        ExternalURL: `${r.server.url}/hook`,
        ExternalAuthorizationType: 'bearerauth',
        ExternalBearerToken: 'tok',
      });
    }
    const supplier = h.sim.addSupplier({ Name: 'Fat', Contacts: [{ Name: 'Bo' }] });
    const p = h.sim.addPurchase({
      SupplierID: supplier.ID,
      OrderDate: new Date(Date.UTC(2018, 0, 29)),
      invoices: [{}],
    });
    const product = h.sim.addProduct({ SKU: 'W-1' });
    await h.sim.deliverWebhooks({ type: 'Purchase/Updated', purchaseIds: [p.ID] });
    await h.sim.deliverWebhooks({ type: 'Supplier/Updated', supplierIds: [supplier.ID] });
    await h.sim.deliverWebhooks({ type: 'Product/Updated', productIds: [product.ID] });
    const [purchase, supplierHook, productHook] = r.deliveries;
    expect(purchase?.headers.authorization).toBe('Bearer tok');
    expect(purchase?.body).toMatchObject({
      NumberOfPurchase: 1,
      EventType: 'Purchase/Updated',
      CustomerDetailsList: [expect.objectContaining({ ID: p.ID, OrderDate: '29/01/2018' })],
    });
    expect((purchase?.body['CustomerDetailsList'] as Array<Record<string, unknown>>)[0]).not.toHaveProperty('Invoice');
    expect(supplierHook?.body).toMatchObject({
      NumberOfSuppliers: 1,
      SupplierDetailsList: [
        {
          Supplier: expect.objectContaining({ ID: supplier.ID }) as unknown,
          Contacts: [expect.objectContaining({ Name: 'Bo' })],
        },
      ],
    });
    expect(productHook?.body).toMatchObject({
      NumberOfProducts: 1,
      ProductDetailsList: [expect.objectContaining({ Event: 'Creation', SKU: 'W-1' })],
    });
  });

  it('when six deliveries fail, then the webhook is deactivated and PUT re-activates it', async () => {
    h = await startHarness();
    const r = await startReceiver();
    receiver = r.server;
    const hook = await h.client.createWebhook({
      Type: 'Supplier/Updated',
      IsActive: true,
      ExternalURL: `${r.server.url}/fail`,
      ExternalAuthorizationType: 'noauth',
    });
    const supplier = h.sim.addSupplier({ Name: 'Flaky' });
    const [result] = await h.sim.deliverWebhooks(
      { type: 'Supplier/Updated', supplierIds: [supplier.ID] },
      { attempts: 6 },
    );
    expect(result).toMatchObject({ ok: false, attempts: 6, deactivated: true });
    expect(h.sim.deliveryFailures(hook.ID)).toBe(6);
    expect((await h.client.listWebhooks())[0]?.IsActive).toBe(false);
    const reactivated = await h.client.updateWebhook({
      ID: hook.ID,
      Type: 'Supplier/Updated',
      IsActive: true,
      ExternalURL: `${r.server.url}/ok`,
      ExternalAuthorizationType: 'noauth',
    });
    expect(reactivated.IsActive).toBe(true);
    expect(h.sim.deliveryFailures(hook.ID)).toBe(0);
  });

  it('when a sixth webhook of one Type is created, then Cin7 rejects it', async () => {
    h = await startHarness();
    const input = {
      Type: 'Product/Updated',
      IsActive: true,
      ExternalURL: 'http://127.0.0.1:1/x',
      ExternalAuthorizationType: 'noauth',
    } as const;
    for (let i = 0; i < 5; i += 1) await h.client.createWebhook(input);
    expect(await rejectionOf(h.client.createWebhook(input))).toBeInstanceOf(ValidationError);
  });
});
