/**
 * The BC half of the API contract: what the client sends, filters, reads and compares is checked against the
 * facts taken from the API page source (bc-api-facts.ts), and the simulator is checked to expose exactly the
 * pages' fields.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import {
  BcAccount,
  BcCodeEntity,
  BcDefaultDimension,
  BcCompanyInformation,
  BcDimension,
  BcDimensionSetLine,
  BcDimensionValue,
  BcItem,
  BcPurchaseCreditMemo,
  BcPurchaseInvoice,
  BcPurchaseInvoiceLine,
  BcVendor,
  decodeBcEnum,
  type BcPurchaseCreditMemoCreate,
  type BcPurchaseInvoiceCreate,
  type BcPurchaseInvoiceLineCreate,
  type BcVendorInput,
} from '../../src/bc/schemas.js';
import { encodeEnumMember } from '../sandbox/bc/bc-state.js';
import { startBcSimulator, type BcSimulator } from '../sandbox/bc/bc-simulator.js';
import { str, type Row } from '../sandbox/bc/odata-query.js';
import { BC_PAGE_FACTS, type BcFieldFact } from './bc-api-facts.js';

function fact(entitySet: string, field: string): BcFieldFact | undefined {
  return BC_PAGE_FACTS[entitySet]?.fields.find((f) => f.field === field);
}

/** Every field the client can send, per entity set; `satisfies` keeps each list equal to its type's keys. */
const SENT = {
  vendors: Object.keys({
    number: true,
    displayName: true,
    addressLine1: true,
    addressLine2: true,
    city: true,
    state: true,
    country: true,
    postalCode: true,
    phoneNumber: true,
    email: true,
    website: true,
    taxRegistrationNumber: true,
    currencyCode: true,
    paymentTermsId: true,
    blocked: true,
  } satisfies Record<keyof BcVendorInput, true>),
  purchaseInvoices: Object.keys({
    vendorNumber: true,
    vendorInvoiceNumber: true,
    invoiceDate: true,
    postingDate: true,
    dueDate: true,
    currencyCode: true,
    pricesIncludeTax: true,
  } satisfies Record<Exclude<keyof BcPurchaseInvoiceCreate, 'purchaseInvoiceLines'>, true>),
  purchaseInvoiceLines: Object.keys({
    sequence: true,
    lineType: true,
    lineObjectNumber: true,
    description: true,
    quantity: true,
    unitCost: true,
    discountPercent: true,
    taxCode: true,
    unitOfMeasureCode: true,
  } satisfies Record<Exclude<keyof BcPurchaseInvoiceLineCreate, 'dimensionSetLines'>, true>),
  purchaseCreditMemos: Object.keys({
    vendorNumber: true,
    vendorCreditMemoNumber: true,
    creditMemoDate: true,
    postingDate: true,
    dueDate: true,
    currencyCode: true,
    invoiceId: true,
  } satisfies Record<Exclude<keyof BcPurchaseCreditMemoCreate, 'purchaseCreditMemoLines'>, true>),
  // Credit memo lines are sent with the invoice line's body.
  purchaseCreditMemoLines: Object.keys({
    sequence: true,
    lineType: true,
    lineObjectNumber: true,
    description: true,
    quantity: true,
    unitCost: true,
    discountPercent: true,
    taxCode: true,
    unitOfMeasureCode: true,
  } satisfies Record<Exclude<keyof BcPurchaseInvoiceLineCreate, 'dimensionSetLines'>, true>),
  dimensionSetLines: ['code', 'valueCode'],
} as const;

/** The entity sets each filtered field is used on by the BC client (src/bc/client.ts, purchase-documents.ts). */
const FILTERED: Record<string, readonly string[]> = {
  number: ['vendors'],
  displayName: ['vendors'],
  vendorInvoiceNumber: ['purchaseInvoices'],
  vendorCreditMemoNumber: ['purchaseCreditMemos'],
  lastModifiedDateTime: ['vendors', 'items'],
};

/** Captions the connector compares BC's enum values with (after the client decodes them). */
const COMPARED: ReadonlyArray<readonly [string, string, string]> = [
  ['purchaseInvoices', 'status', 'Draft'],
  ['purchaseCreditMemos', 'status', 'Draft'],
  ['purchaseCreditMemoLines', 'lineType', 'Item'],
  ['accounts', 'accountType', 'Posting'],
  ['vendors', 'blocked', 'All'],
  ['vendors', 'blocked', ' '],
  ['items', 'type', 'Service'],
  ['items', 'type', 'Non-Inventory'],
  ['purchaseInvoiceLines', 'lineType', 'Account'],
  ['purchaseInvoiceLines', 'lineType', 'Item'],
  ['defaultDimensions', 'parentType', 'Vendor'],
  ['defaultDimensions', 'parentType', 'Item'],
  ['defaultDimensions', 'parentType', 'Customer'],
  ['defaultDimensions', 'parentType', 'Employee'],
];

/** The zod shapes the client reads with, per entity set. */
const READ = {
  vendors: BcVendor,
  items: BcItem,
  accounts: BcAccount,
  dimensions: BcDimension,
  dimensionValues: BcDimensionValue,
  paymentTerms: BcCodeEntity,
  currencies: BcCodeEntity,
  taxGroups: BcCodeEntity,
  unitsOfMeasure: BcCodeEntity,
  countriesRegions: BcCodeEntity,
  defaultDimensions: BcDefaultDimension,
  purchaseInvoices: BcPurchaseInvoice,
  purchaseInvoiceLines: BcPurchaseInvoiceLine,
  purchaseCreditMemos: BcPurchaseCreditMemo,
  purchaseCreditMemoLines: BcPurchaseInvoiceLine,
  dimensionSetLines: BcDimensionSetLine,
  companyInformation: BcCompanyInformation,
} as const;

describe('BC contract: the client against the page source', () => {
  it.each(Object.entries(SENT).flatMap(([set, fields]) => fields.map((field) => [set, field] as const)))(
    'when the client sends %s.%s, then the page has it and it is editable',
    (set, field) => {
      expect(fact(set, field), `${set}.${field} is on the page`).toBeDefined();
      expect(fact(set, field)?.editable).toBe(true);
    },
  );

  it('when the client builds a $filter, then every field in it is a table field of its entity', () => {
    const source = ['client.ts', 'purchase-documents.ts']
      .map((file) => readFileSync(new URL(`../../src/bc/${file}`, import.meta.url), 'utf8'))
      .join('\n');
    const templates = [...source.matchAll(/odata`([^`]*)`/g)].map((m) => m[1] ?? '');
    const filtered = new Set(
      templates.flatMap((t) => [...t.matchAll(/(\w+)\s+(?:eq|ne|gt|ge|lt|le)\s/g)].map((m) => m[1] ?? '')),
    );
    expect([...filtered].sort()).toEqual(Object.keys(FILTERED).sort());
    for (const [field, sets] of Object.entries(FILTERED)) {
      for (const set of sets) expect(fact(set, field)?.filterable, `${set}.${field}`).toBe(true);
    }
  });

  it.each(COMPARED)(
    'when the connector compares %s.%s with %j, then BC sends it encoded and the client decodes it',
    (set, field, caption) => {
      const asSent = fact(set, field)?.enumAsSent ?? [];
      expect(asSent).toContain(encodeEnumMember(caption));
      expect(decodeBcEnum(encodeEnumMember(caption))).toBe(caption);
    },
  );

  it.each(Object.entries(READ))('when the client reads %s, then every field it reads is on the page', (set, schema) => {
    for (const field of Object.keys(schema.shape).filter((f) => !f.startsWith('@odata.'))) {
      if (['purchaseInvoiceLines', 'purchaseCreditMemoLines', 'dimensionSetLines'].includes(field)) continue;
      expect(fact(set, field), `${set}.${field}`).toBeDefined();
    }
  });
});

describe("BC contract: the simulator exposes exactly the pages' fields", () => {
  let bc: BcSimulator;
  const rows = new Map<string, Row>();

  beforeAll(async () => {
    bc = await startBcSimulator({ tenantId: 't', environment: 'e', validateToken: () => true, limits: false });
    bc.addTaxGroup('STD', 10);
    bc.addAccount({ number: '6100', displayName: 'Freight' });
    bc.addDimension('AREA', ['NORTH']);
    bc.addPaymentTerm('NET30');
    bc.addCurrency('EUR');
    bc.addUnitOfMeasure('PCS');
    bc.addItem({ number: 'OIL', displayName: 'Olive oil' });
    const vendor = bc.addVendor({ number: 'V100', displayName: 'Contoso' });
    bc.addDimension('DEPT', ['ADM']);
    bc.setTableFields(str(vendor.id), { defaultDimensions: [{ code: 'DEPT', valueCode: 'ADM' }] });
    const root = `${bc.apiRoot}/companies(${bc.companyId})`;
    const get = async (path: string): Promise<Row> => {
      const response = await request(`${root}/${path}`, { headers: { Authorization: 'Bearer t' } });
      return (await response.body.json()) as Row;
    };
    const created = await request(`${root}/purchaseInvoices`, {
      method: 'POST',
      headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
      body: JSON.stringify({
        vendorNumber: 'V100',
        vendorInvoiceNumber: 'C-1',
        purchaseInvoiceLines: [
          {
            lineType: 'Account',
            lineObjectNumber: '6100',
            quantity: 1,
            unitCost: 1,
            dimensionSetLines: [{ code: 'AREA', valueCode: 'NORTH' }],
          },
        ],
      }),
    });
    const invoiceId = str(((await created.body.json()) as Row).id);
    const memo = await request(`${root}/purchaseCreditMemos`, {
      method: 'POST',
      headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
      body: JSON.stringify({
        vendorNumber: 'V100',
        vendorCreditMemoNumber: 'CR-1',
        purchaseCreditMemoLines: [{ lineType: 'Account', lineObjectNumber: '6100', quantity: 1, unitCost: 1 }],
      }),
    });
    const memoId = str(((await memo.body.json()) as Row).id);
    for (const set of Object.keys(BC_PAGE_FACTS)) {
      if (['purchaseInvoiceLines', 'purchaseCreditMemoLines', 'dimensionSetLines'].includes(set)) continue;
      const page = await get(set);
      rows.set(set, (page.value as Row[])[0] ?? {});
    }
    const lines = await get(`purchaseInvoices(${invoiceId})/purchaseInvoiceLines?$expand=dimensionSetLines`);
    const line = (lines.value as Row[])[0] ?? {};
    rows.set('purchaseInvoiceLines', line);
    rows.set('dimensionSetLines', (line.dimensionSetLines as Row[])[0] ?? {});
    const memoLines = await get(`purchaseCreditMemos(${memoId})/purchaseCreditMemoLines`);
    rows.set('purchaseCreditMemoLines', (memoLines.value as Row[])[0] ?? {});
  });
  afterAll(async () => {
    await bc.close();
  });

  it.each(Object.keys(BC_PAGE_FACTS))("when the simulator answers %s, then its fields are the page's", (set) => {
    const exposed = Object.keys(rows.get(set) ?? {}).filter(
      (key) => !key.startsWith('@odata.') && key !== 'dimensionSetLines',
    );
    expect(exposed.sort()).toEqual(BC_PAGE_FACTS[set]?.fields.map((f) => f.field).sort());
  });
});
