/**
 * The BC simulator behaves as the API page and base-app source says (each rule cites its file in
 * test/sandbox/bc/bc-state.ts). Raw HTTP, so what is checked is what BC would send and refuse.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { startBcSimulator, type BcSimulator } from '../sandbox/bc/bc-simulator.js';
import { str, type Row } from '../sandbox/bc/odata-query.js';

let bc: BcSimulator;
let root: string;

async function call(
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Row }> {
  const response = await request(`${root}/${path}`, {
    method,
    headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json', ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.body.text();
  return { status: response.statusCode, json: text === '' ? {} : (JSON.parse(text) as Row) };
}

const errorMessage = (json: Row): string => {
  const error = json.error as Row | undefined;
  return str(error?.message);
};

function accountLine(overrides: Row = {}): Row {
  return {
    lineType: 'Account',
    lineObjectNumber: '6100',
    description: 'Freight',
    quantity: 1,
    unitCost: 100,
    ...overrides,
  };
}

async function createInvoice(body: Row): Promise<{ status: number; json: Row }> {
  return call('POST', 'purchaseInvoices', {
    vendorNumber: 'V100',
    vendorInvoiceNumber: 'INV-1',
    invoiceDate: '2026-03-01',
    ...body,
  });
}

beforeEach(async () => {
  bc = await startBcSimulator({ tenantId: 't', environment: 'e', validateToken: () => true, limits: false });
  root = `${bc.apiRoot}/companies(${bc.companyId})`;
  bc.addTaxGroup('STD', 10);
  bc.addAccount({ number: '6100', displayName: 'Freight' });
  bc.addDimension('AREA', ['NORTH', 'SOUTH']);
  bc.addDimension('DEPT', ['ADMIN', 'SALES']);
  bc.addUnitOfMeasure('PCS');
  bc.addUnitOfMeasure('BOX');
  bc.addVendor({ number: 'V100', displayName: 'Contoso Supplies' });
});
afterEach(async () => {
  await bc.close();
});

describe('BC simulator: default dimensions (issue 10 item 1)', () => {
  it('when the vendor and the account have default dimensions, then a new line carries both, the header value winning', async () => {
    const vendor = bc.data.vendors.find((v) => v.number === 'V100');
    const account = bc.data.accounts.find((a) => a.number === '6100');
    bc.setTableFields(str(vendor?.id), { defaultDimensions: [{ code: 'AREA', valueCode: 'NORTH' }] });
    bc.setTableFields(str(account?.id), {
      defaultDimensions: [
        { code: 'AREA', valueCode: 'SOUTH' },
        { code: 'DEPT', valueCode: 'ADMIN' },
      ],
    });
    const created = await createInvoice({ purchaseInvoiceLines: [accountLine()] });
    expect(created.status).toBe(201);
    const read = await call(
      'GET',
      `purchaseInvoices(${str(created.json.id)})/purchaseInvoiceLines?$expand=dimensionSetLines`,
    );
    const line = (read.json.value as Row[])[0] as Row;
    const dims = (line.dimensionSetLines as Row[]).map((d) => `${str(d.code)}=${str(d.valueCode)}`);
    expect(dims.sort()).toEqual(['AREA=NORTH', 'DEPT=ADMIN']);
    expect((line.dimensionSetLines as Row[])[0]?.parentType).toBe('Purchase_x0020_Invoice_x0020_Line');
  });

  it("when a line sends a dimension a default already put there, then the whole deep insert fails with BC's error", async () => {
    const vendor = bc.data.vendors.find((v) => v.number === 'V100');
    bc.setTableFields(str(vendor?.id), { defaultDimensions: [{ code: 'AREA', valueCode: 'NORTH' }] });
    const created = await createInvoice({
      purchaseInvoiceLines: [accountLine({ dimensionSetLines: [{ code: 'AREA', valueCode: 'SOUTH' }] })],
    });
    expect(created.status).toBe(400);
    expect(errorMessage(created.json)).toContain('The dimension set line already exists.');
    expect(bc.data.purchaseInvoices.all()).toHaveLength(0);
  });

  it('when the value of an inherited line dimension is patched, then the line carries the new value', async () => {
    const vendor = bc.data.vendors.find((v) => v.number === 'V100');
    bc.setTableFields(str(vendor?.id), { defaultDimensions: [{ code: 'AREA', valueCode: 'NORTH' }] });
    const created = await createInvoice({ purchaseInvoiceLines: [accountLine()] });
    const line = bc.data.purchaseInvoiceLines.all()[0] as Row;
    const area = bc.data.dimensions.find((d) => d.code === 'AREA');
    const patched = await call('PATCH', `purchaseInvoiceLines(${str(line.id)})/dimensionSetLines(${str(area?.id)})`, {
      valueCode: 'SOUTH',
    });
    expect(patched.status).toBe(200);
    expect(patched.json.valueCode).toBe('SOUTH');
    expect(created.status).toBe(201);
    const again = await call('POST', `purchaseInvoiceLines(${str(line.id)})/dimensionSetLines`, {
      code: 'AREA',
      valueCode: 'NORTH',
    });
    expect(errorMessage(again.json)).toContain('The dimension set line already exists.');
  });
});

describe('BC simulator: vendor posting groups (item 2)', () => {
  it('when the API setup has no vendor template, then an invoice for a vendor created through the API is refused naming the vendor and the group', async () => {
    bc.setVendorTemplate(undefined);
    const vendor = await call('POST', 'vendors', { displayName: 'New Supplier' });
    const created = await createInvoice({
      vendorNumber: str(vendor.json.number),
      purchaseInvoiceLines: [accountLine()],
    });
    expect(created.status).toBe(400);
    expect(errorMessage(created.json)).toContain(
      `Gen. Bus. Posting Group must have a value in Vendor: No.=${str(vendor.json.number)}`,
    );
  });
});

describe('BC simulator: units of measure and Purchasing Blocked (item 3)', () => {
  it('when an item has a purchase unit, then a line without a unit takes it', async () => {
    const item = bc.addItem({ number: 'OIL', displayName: 'Olive oil', baseUnitOfMeasureCode: 'PCS' });
    bc.setTableFields(str(item.id), {
      purchUnitOfMeasure: 'BOX',
      itemUnitsOfMeasure: new Map([
        ['PCS', 1],
        ['BOX', 12],
      ]),
    });
    const created = await createInvoice({
      purchaseInvoiceLines: [{ lineType: 'Item', lineObjectNumber: 'OIL', quantity: 2, unitCost: 60 }],
    });
    expect(created.status).toBe(201);
    expect(bc.data.purchaseInvoiceLines.all()[0]?.unitOfMeasureCode).toBe('BOX');
  });

  it('when an item is Purchasing Blocked, then its line is refused', async () => {
    const item = bc.addItem({ number: 'OIL', displayName: 'Olive oil', baseUnitOfMeasureCode: 'PCS' });
    bc.setTableFields(str(item.id), { purchasingBlocked: true });
    const created = await createInvoice({
      purchaseInvoiceLines: [{ lineType: 'Item', lineObjectNumber: 'OIL', quantity: 1, unitCost: 5 }],
    });
    expect(errorMessage(created.json)).toContain('You cannot purchase Item OIL because the Purchasing Blocked');
  });
});

describe('BC simulator: tax models (item 4)', () => {
  it("when the company is W1, then the VAT % comes from VAT Posting Setup and an account line without a tax code takes the account's", async () => {
    bc.setTaxModel('W1');
    bc.addVatPostingSetup('DOMESTIC', 'VAT20', 20);
    bc.addVatPostingSetup('DOMESTIC', 'VAT5', 5);
    const account = bc.data.accounts.find((a) => a.number === '6100');
    bc.setTableFields(str(account?.id), { vatProdPostingGroup: 'VAT5' });
    const created = await createInvoice({
      purchaseInvoiceLines: [accountLine({ taxCode: 'VAT20' }), accountLine({ sequence: 20000 })],
    });
    expect(created.status).toBe(201);
    expect(created.json.totalAmountIncludingTax).toBe(225);
  });

  it("when the company is NA, then tax applies only with the vendor's tax area, and prices including tax are refused", async () => {
    bc.setTaxModel('NA');
    bc.addTaxArea('ATLANTA', { STD: 8 });
    const untaxed = await createInvoice({ purchaseInvoiceLines: [accountLine({ taxCode: 'STD' })] });
    expect(untaxed.json.totalAmountIncludingTax).toBe(100);
    const vendor = bc.addVendor({ number: 'V200', displayName: 'Taxed Vendor' });
    bc.data.vendors.put({ ...vendor, id: str(vendor.id), taxLiable: true });
    bc.setTableFields(str(vendor.id), { taxAreaCode: 'ATLANTA' });
    const taxed = await createInvoice({
      vendorNumber: 'V200',
      purchaseInvoiceLines: [accountLine({ taxCode: 'STD' })],
    });
    expect(taxed.json.totalAmountIncludingTax).toBe(108);
    const inclusive = await createInvoice({
      vendorNumber: 'V200',
      vendorInvoiceNumber: 'INV-2',
      pricesIncludeTax: true,
      purchaseInvoiceLines: [accountLine({ taxCode: 'STD' })],
    });
    expect(errorMessage(inclusive.json)).toContain("Prices Including VAT must be equal to 'No'");
  });

  it("when the company keeps the default model, then the tax group's rate applies as before", async () => {
    const created = await createInvoice({ purchaseInvoiceLines: [accountLine({ taxCode: 'STD' })] });
    expect(created.json.totalAmountIncludingTax).toBe(110);
  });
});

describe('BC simulator: enums as sent (item 5)', () => {
  it('when items, vendors and accounts are read, then enum values are XML-encoded and filters use the encoded name', async () => {
    bc.addItem({ number: 'SVC', displayName: 'Cleaning', type: 'Non-Inventory' });
    bc.addAccount({ number: '6000', displayName: 'Expenses', accountType: 'Begin-Total' });
    const items = await call('GET', `items?$filter=type eq 'Non_x002D_Inventory'`);
    expect((items.json.value as Row[]).map((i) => i.type)).toEqual(['Non_x002D_Inventory']);
    const vendor = await call('GET', `vendors?$filter=number eq 'V100'`);
    expect((vendor.json.value as Row[])[0]?.blocked).toBe('_x0020_');
    const account = await call('GET', `accounts?$filter=number eq '6000'`);
    expect((account.json.value as Row[])[0]?.accountType).toBe('Begin_x002D_Total');
  });

  it('when a write sends an enum caption instead of its encoded name, then BC refuses the literal', async () => {
    const vendor = bc.data.vendors.find((v) => v.number === 'V100');
    const etag = bc.data.vendors.etag(str(vendor?.id));
    const refused = await call('PATCH', `vendors(${str(vendor?.id)})`, { blocked: ' ' }, { 'If-Match': etag });
    expect(refused.status).toBe(400);
    const accepted = await call('PATCH', `vendors(${str(vendor?.id)})`, { blocked: '_x0020_' }, { 'If-Match': etag });
    expect(accepted.status).toBe(200);
  });
});

describe('BC simulator: vendor field validation (item 6)', () => {
  it.each([
    [{ country: 'XX' }, 'cannot be found in the related table (Country/Region)'],
    [{ phoneNumber: 'call 555' }, 'Phone No. must not contain letters'],
    [{ email: 'not-an-address' }, 'The email address "not-an-address" is not valid.'],
    [
      { country: 'GB', taxRegistrationNumber: 'ABC' },
      'is not in agreement with the format specified for Country/Region Code GB',
    ],
  ])('when a vendor is created with %o, then BC refuses it', async (fields, message) => {
    bc.addCountry('GB', 'United Kingdom', ['GB#########']);
    const created = await call('POST', 'vendors', { displayName: 'Checked', ...fields });
    expect(created.status).toBe(400);
    expect(errorMessage(created.json)).toContain(message);
  });
});

describe('BC simulator: deep-insert answer (item 8)', () => {
  it('when the answer is modelled header-only, then its totals are zero while a read shows the line totals', async () => {
    bc.setDeepInsertAnswer('header-only');
    const created = await createInvoice({ purchaseInvoiceLines: [accountLine({ taxCode: 'STD' })] });
    expect(created.json.totalAmountIncludingTax).toBe(0);
    const read = await call('GET', `purchaseInvoices(${str(created.json.id)})`);
    expect(read.json.totalAmountIncludingTax).toBe(110);
  });
});

describe('BC simulator: pay-to vendor (item 9)', () => {
  it("when the vendor has a Pay-to Vendor No., then the invoice's pay-to is that vendor and posting's duplicate check uses it", async () => {
    const payTo = bc.addVendor({ number: 'V900', displayName: 'Group Payables' });
    const vendor = bc.data.vendors.find((v) => v.number === 'V100');
    bc.setTableFields(str(vendor?.id), { payToVendorNumber: 'V900' });
    const first = await createInvoice({ purchaseInvoiceLines: [accountLine()] });
    expect(first.json.payToVendorNumber).toBe('V900');
    expect((await call('POST', `purchaseInvoices(${str(first.json.id)})/Microsoft.NAV.post`)).status).toBe(204);
    const second = await createInvoice({ vendorNumber: str(payTo.number), purchaseInvoiceLines: [accountLine()] });
    const post = await call('POST', `purchaseInvoices(${str(second.json.id)})/Microsoft.NAV.post`);
    expect(errorMessage(post.json)).toContain('Purchase Invoice INV-1 already exists for this vendor.');
  });
});

describe('BC simulator: page-variable filters (item 10)', () => {
  it.each([
    ['vendors', "taxRegistrationNumber eq 'GB1'"],
    ['vendors', "currencyCode eq 'EUR'"],
    ['purchaseInvoices', "currencyCode eq 'EUR'"],
  ])('when %s are filtered with %s, then BC refuses the filter', async (entitySet, filter) => {
    const listed = await call('GET', `${entitySet}?$filter=${encodeURIComponent(filter)}`);
    expect(listed.status).toBe(400);
    expect(errorMessage(listed.json)).toContain('is not a table field');
  });
});

describe('BC simulator: smaller rules (item 11)', () => {
  it('when a create sends status, then BC says the field is read-only', async () => {
    const created = await createInvoice({ status: 'Draft', purchaseInvoiceLines: [accountLine()] });
    expect(errorMessage(created.json)).toContain("Control 'status' is read-only.");
  });

  it('when a vendor, an item or a payment term is created or renamed onto a key another one holds, then BC refuses naming the table and the key', async () => {
    const refusal = (r: { status: number; json: Row }) => [
      r.status,
      (r.json.error as Row | undefined)?.code,
      errorMessage(r.json),
    ];
    expect((await call('POST', 'vendors', { number: 'V900', displayName: 'First' })).status).toBe(201);
    const other = await call('POST', 'vendors', { number: 'V901', displayName: 'Other' });
    expect((await call('POST', 'items', { number: 'I-1', displayName: 'First' })).status).toBe(201);
    expect((await call('POST', 'paymentTerms', { code: 'NET45', displayName: 'Net 45' })).status).toBe(201);

    const refused = [
      await call('POST', 'vendors', { number: 'V900', displayName: 'Again' }),
      await call(
        'PATCH',
        `vendors(${str(other.json.id)})`,
        { number: 'V900' },
        { 'If-Match': str(other.json['@odata.etag']) },
      ),
      await call('POST', 'items', { number: 'I-1', displayName: 'Again' }),
      await call('POST', 'paymentTerms', { code: 'NET45', displayName: 'Again' }),
    ];

    const key = (table: string, fields: string): unknown[] => [
      400,
      'Internal_EntityWithSameKeyExists',
      expect.stringContaining(
        `The record in table ${table} already exists. Identification fields and values: ${fields}`,
      ),
    ];
    expect(refused.map(refusal)).toEqual([
      key('Vendor', "No.='V900'"),
      key('Vendor', "No.='V900'"),
      key('Item', "No.='I-1'"),
      key('paymentTerms', "Code='NET45'"),
    ]);
  });

  it('when payment terms, currencies, tax groups and units are written, then BC accepts them', async () => {
    for (const [set, body] of [
      ['paymentTerms', { code: 'NET45', displayName: 'Net 45', dueDateCalculation: '45D' }],
      ['currencies', { code: 'NZD', displayName: 'New Zealand dollar' }],
      ['taxGroups', { code: 'GST', displayName: 'GST' }],
      ['unitsOfMeasure', { code: 'CASE', displayName: 'Case' }],
    ] as const) {
      const created = await call('POST', set, body);
      expect(created.status).toBe(201);
      const etag = str(created.json['@odata.etag']);
      const patched = await call(
        'PATCH',
        `${set}(${str(created.json.id)})`,
        { displayName: 'Renamed' },
        { 'If-Match': etag },
      );
      expect(patched.json.displayName).toBe('Renamed');
    }
  });

  it('when a line is added to and patched on a draft, then the totals follow', async () => {
    const created = await createInvoice({ purchaseInvoiceLines: [accountLine()] });
    const added = await call('POST', `purchaseInvoices(${str(created.json.id)})/purchaseInvoiceLines`, accountLine());
    expect(added.status).toBe(201);
    const etag = str(added.json['@odata.etag']);
    await call('PATCH', `purchaseInvoiceLines(${str(added.json.id)})`, { quantity: 3 }, { 'If-Match': etag });
    const read = await call('GET', `purchaseInvoices(${str(created.json.id)})`);
    expect(read.json.totalAmountIncludingTax).toBe(400);
  });

  it.each([
    ['an approval workflow is on', () => bc.setPurchaseApprovalWorkflow(true), 'must be approved and released'],
    [
      'the posting date is outside the allowed range',
      () => bc.setAllowedPostingDates({ from: '2026-04-01' }),
      'is not within your range of allowed posting dates',
    ],
  ])("when %s, then posting is refused with BC's words", async (_case, arrange, message) => {
    arrange();
    const created = await createInvoice({ purchaseInvoiceLines: [accountLine()] });
    const post = await call('POST', `purchaseInvoices(${str(created.json.id)})/Microsoft.NAV.post`);
    expect(post.status).toBe(400);
    expect(errorMessage(post.json)).toContain(message);
  });

  it('when a foreign currency has no exchange rate, then the deep insert is refused on the Currency Factor', async () => {
    bc.addCurrency('EUR');
    bc.setExchangeRateMissing('EUR', true);
    const created = await createInvoice({ currencyCode: 'EUR', purchaseInvoiceLines: [accountLine()] });
    expect(errorMessage(created.json)).toContain('Currency Factor must have a value in Purchase Header');
  });
});
