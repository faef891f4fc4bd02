/**
 * Holds the Cin7 client, the connector's enum comparisons and the Cin7 simulator to the facts taken from
 * Cin7's published spec (`cin7-spec-facts.ts`): what the client reads, sends and filters on exists there, and
 * the simulator sends what the spec documents for each record, nothing more, and everything the client reads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import * as schemas from '../../src/cin7/schemas.js';
import type { Cin7ProductInput, Cin7SupplierInput, Cin7WebhookInput } from '../../src/cin7/schemas.js';
import { defaultSyncSettings, type Approach } from '../../src/core/settings.js';
import { authorisedInvoiceStatuses, voidedPurchaseStatus } from '../../src/mapping/eligibility.js';
import { accountId, applicationKey, collect, startHarness, type Harness } from '../cin7/harness.js';
import { cin7Endpoints, cin7Entities, cin7Enums, type Cin7EntityName } from './cin7-spec-facts.js';

/** The zod shape the client parses each documented record with. */
const readShapes: ReadonlyArray<[Cin7EntityName, z.ZodObject]> = [
  ['PurchaseListRow', schemas.Cin7PurchaseListRow],
  ['Purchase', schemas.Cin7Purchase],
  ['PurchaseInvoice', schemas.Cin7PurchaseInvoice],
  ['PurchaseInvoiceLine', schemas.Cin7InvoiceLine],
  ['PurchaseAdditionalCharge', schemas.Cin7AdditionalCharge],
  ['Supplier', schemas.Cin7Supplier],
  ['SupplierAddress', schemas.Cin7Address],
  ['SupplierContact', schemas.Cin7Contact],
  ['Product', schemas.Cin7Product],
  ['Account', schemas.Cin7Account],
  ['TaxRule', schemas.Cin7TaxRule],
  ['PaymentTerm', schemas.Cin7PaymentTerm],
  ['Location', schemas.Cin7NamedRef],
  ['Category', schemas.Cin7NamedRef],
  ['Unit', schemas.Cin7NamedRef],
  ['Me', schemas.Cin7Me],
  ['Webhook', schemas.Cin7Webhook],
];

/** Nested records a body or an answer carries, by parent entity and key. */
const children: Partial<Record<Cin7EntityName, Record<string, Cin7EntityName>>> = {
  Purchase: { Invoice: 'PurchaseInvoice' },
  PurchaseInvoice: { Lines: 'PurchaseInvoiceLine', AdditionalCharges: 'PurchaseAdditionalCharge' },
  Supplier: { Addresses: 'SupplierAddress', Contacts: 'SupplierContact' },
  Webhook: { ExternalHeaders: 'WebhookHeader' },
};

function documented(entity: Cin7EntityName): string[] {
  return Object.keys(cin7Entities[entity].fields);
}

/** Every `entity.field` path in a record (and its documented children) that the spec does not list. */
function undocumentedKeys(entity: Cin7EntityName, record: unknown): string[] {
  if (typeof record !== 'object' || record === null) return [];
  const known = new Set(documented(entity));
  return Object.entries(record).flatMap(([key, value]) => {
    if (!known.has(key)) return [`${entity}.${key}`];
    const child = children[entity]?.[key];
    return child && Array.isArray(value) ? value.flatMap((item: unknown) => undocumentedKeys(child, item)) : [];
  });
}

/** Lists every member of a string union; leaving one out is a type error. */
function everyValueOf<T extends string>() {
  return <const V extends readonly T[]>(values: V & ([Exclude<T, V[number]>] extends [never] ? unknown : never)) =>
    values;
}

describe('Cin7 contract: the client against the spec', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it.each(readShapes)('when the client reads a %s, then every field it parses is documented', (entity, shape) => {
    expect(Object.keys(shape.shape).filter((field) => !documented(entity).includes(field))).toEqual([]);
  });

  it('when every client call has run, then each endpoint, method and query parameter it used is documented, and every body field it sent too', async () => {
    // Arrange: one record of each kind, so gets and updates have something to act on.
    const supplier = h.sim.addSupplier({ Name: 'Contract Supplies' });
    const purchase = h.sim.addPurchase({ SupplierID: supplier.ID, invoices: [{ Status: 'AUTHORISED' }] });
    h.sim.addProduct({ SKU: 'CT-1' });
    const supplierInput: Required<Omit<Cin7SupplierInput, 'ID'>> = {
      Name: 'Written Supplies',
      Currency: 'USD',
      PaymentTerm: '30 days',
      AccountPayable: '800',
      TaxRule: 'Tax on Purchases',
      Status: 'Active',
      TaxNumber: '123',
      Addresses: [
        {
          Line1: '1 Main St',
          Line2: 'Unit 2',
          City: 'Auckland',
          State: 'AUK',
          Postcode: '1010',
          Country: 'New Zealand',
          Type: 'Billing',
          DefaultForType: true,
        },
      ],
      Contacts: [{ Name: 'Ana', Phone: '1', Email: 'a@example.com', Website: 'example.com', Default: true }],
    };
    const productInput: Required<Omit<Cin7ProductInput, 'ID'>> = {
      SKU: 'CT-2',
      Name: 'Written product',
      Category: 'General',
      Type: 'Stock',
      CostingMethod: 'FIFO',
      UOM: 'Item',
      Status: 'Active',
      Barcode: '123',
      PriceTier1: 1,
    };
    const webhookInput: Required<Omit<Cin7WebhookInput, 'ID'>> = {
      Type: 'Supplier/Updated',
      IsActive: true,
      ExternalURL: 'https://connector.example/api/webhooks/cin7',
      ExternalAuthorizationType: 'basicauth',
      ExternalUserName: 'cin7',
      ExternalPassword: 'pw',
      ExternalBearerToken: 'token',
      ExternalHeaders: [{ Key: 'X-Cin7-Webhook-Secret', Value: 'secret' }],
    };
    h.sim.received.length = 0;

    // Act: every method of the client.
    const since = new Date('2026-01-01T00:00:00Z');
    await h.client.getMe();
    await collect(h.client.listPurchases({ updatedSince: since, search: purchase.OrderNumber }));
    await h.client.getPurchase(purchase.ID);
    await collect(h.client.listSuppliers({ modifiedSince: since, name: 'Contract' }));
    await h.client.getSupplier(supplier.ID);
    const created = await h.client.createSupplier(supplierInput);
    await h.client.updateSupplier({ ...supplierInput, ID: created.ID });
    await collect(h.client.listProducts({ modifiedSince: since }));
    await h.client.getProductBySku('CT-1');
    const product = await h.client.createProduct(productInput);
    await h.client.updateProduct({ ...productInput, ID: product.ID });
    await collect(h.client.listAccounts());
    await collect(h.client.listTaxRules());
    await collect(h.client.listPaymentTerms());
    await collect(h.client.listLocations());
    await collect(h.client.listCategories());
    await h.client.createCategory('Contract category');
    await collect(h.client.listUnits());
    const hook = await h.client.createWebhook(webhookInput);
    await h.client.updateWebhook({ ...webhookInput, ID: hook.ID });
    await h.client.listWebhooks();

    // Assert
    const problems = h.sim.received.flatMap((request) => {
      const endpoint = request.path.replace(/^\/externalapi\/v2\//i, '').toLowerCase();
      const fact = cin7Endpoints.find((e) => e.endpoint === endpoint && e.method === request.method);
      if (!fact) return [`${request.method} ${endpoint}: not a documented endpoint`];
      const query = Object.keys(request.query)
        .filter((name) => !(name in fact.query))
        .map((name) => `${request.method} ${endpoint}: query ${name} is not documented`);
      const body = request.body === undefined ? [] : fact.body ? undocumentedKeys(fact.body, request.body) : ['body'];
      return [...query, ...body.map((field) => `${request.method} ${endpoint}: sends ${field}`)];
    });
    expect(h.sim.received.length).toBeGreaterThanOrEqual(21);
    expect(problems).toEqual([]);
  });
});

describe('Cin7 contract: the values the connector compares against', () => {
  const documentedValues = (name: keyof typeof cin7Enums): string[] => Object.keys(cin7Enums[name].values);

  it.each([
    ['invoiceStatus', authorisedInvoiceStatuses],
    ['purchaseStatus', [voidedPurchaseStatus]],
    ['approach', defaultSyncSettings.eligibleApproaches],
    ['approach', everyValueOf<Approach>()(['INVOICE', 'STOCK'])],
    ['supplierStatus', everyValueOf<Cin7SupplierInput['Status']>()(['Active', 'Deprecated'])],
    ['productType', everyValueOf<NonNullable<Cin7ProductInput['Type']>>()(['Stock', 'Service'])],
    ['productStatus', everyValueOf<Cin7ProductInput['Status']>()(['Active', 'Deprecated'])],
    [
      'webhookAuthorizationType',
      everyValueOf<Cin7WebhookInput['ExternalAuthorizationType']>()(['noauth', 'basicauth', 'bearerauth']),
    ],
  ] as const)('when the connector uses %s values %j, then each is spelled as Cin7 sends it', (name, values) => {
    expect(values.filter((value) => !documentedValues(name).includes(value))).toEqual([]);
  });
});

describe('Cin7 contract: the simulator against the spec', () => {
  let h: Harness;
  const raw: Partial<Record<Cin7EntityName, unknown>> = {};
  beforeAll(async () => {
    h = await startHarness();
    const supplier = h.sim.addSupplier({
      Name: 'Raw Supplies',
      Addresses: [{ Line1: '1 Main St', Country: 'New Zealand', Type: 'Billing' }],
      Contacts: [{ Name: 'Ana' }],
    });
    const purchase = h.sim.addPurchase({
      SupplierID: supplier.ID,
      invoices: [
        {
          Status: 'AUTHORISED',
          Lines: [{ Name: 'Bolts', Quantity: 1, Price: 2 }],
          AdditionalCharges: [{ Description: 'Freight', Price: 5 }],
        },
      ],
    });
    h.sim.addProduct({ SKU: 'RAW-1' });
    h.sim.addWebhook({ Type: 'Supplier/Updated', ExternalURL: 'https://x.example', ExternalHeaders: [] });
    const get = async (path: string): Promise<Record<string, unknown>> => {
      const response = await fetch(`${h.sim.baseUrl}${path}`, {
        headers: { 'api-auth-accountid': accountId, 'api-auth-applicationkey': applicationKey },
      });
      return (await response.json()) as Record<string, unknown>;
    };
    const firstOf = (json: Record<string, unknown>, key: string): unknown => (json[key] as unknown[])[0];
    raw.PurchaseListRow = firstOf(await get('purchaseList'), 'PurchaseList');
    raw.Purchase = await get(`advanced-purchase?ID=${purchase.ID}`);
    raw.Supplier = firstOf(await get('supplier'), 'SupplierList');
    raw.Product = firstOf(await get('product'), 'Products');
    raw.Account = firstOf(await get('ref/account'), 'AccountsList');
    raw.TaxRule = firstOf(await get('ref/tax'), 'TaxRuleList');
    raw.PaymentTerm = firstOf(await get('ref/paymentterm'), 'PaymentTermList');
    raw.Location = firstOf(await get('ref/location'), 'LocationList');
    raw.Category = firstOf(await get('ref/category'), 'CategoryList');
    raw.Unit = firstOf(await get('ref/unit'), 'UnitList');
    raw.Me = await get('me');
    raw.Webhook = firstOf(await get('webhooks'), 'Webhooks');
  });
  afterAll(() => h.close());

  const topLevel = ['PurchaseListRow', 'Purchase', 'Supplier', 'Product', 'Account', 'TaxRule', 'PaymentTerm'] as const;
  const more = ['Location', 'Category', 'Unit', 'Me', 'Webhook'] as const;

  it.each([...topLevel, ...more])(
    'when the simulator sends a %s, then it sends no field the spec does not document',
    (entity) => {
      expect(undocumentedKeys(entity, raw[entity])).toEqual([]);
    },
  );

  it.each(readShapes.filter(([entity]) => entity in raw))(
    'when the simulator sends a %s, then every field the client reads is there',
    (entity, shape) => {
      const sent = Object.keys(raw[entity] as object);
      expect(Object.keys(shape.shape).filter((field) => !sent.includes(field))).toEqual([]);
    },
  );
});
