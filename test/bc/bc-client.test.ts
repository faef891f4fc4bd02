import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthError, ConflictError, ThrottledError, TransientError, ValidationError } from '../../src/core/errors.js';
import type { DependencyCall } from '../../src/core/ports/telemetry.js';
import type { TokenCredential } from '@azure/core-auth';
import { createBcCredential } from '../../src/bc/auth.js';
import { createTrustingHttpClient } from '../sandbox/entra/trusting-http-client.js';
import {
  CLIENT_ID,
  SECRET,
  TENANT,
  buildInvoice,
  collect,
  seedBasics,
  startHarness,
  type Harness,
} from './bc-harness.js';

let h: Harness;

/** The harness's real credential, keeping every token it hands out so a test can look for them. */
function recordingCredential(harness: Harness, tokens: string[]): TokenCredential {
  const credential = createBcCredential({
    tenantId: TENANT,
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    authorityHost: harness.entra.authorityHost,
    httpClient: createTrustingHttpClient(harness.entra.caCertificatePem),
  });
  return {
    async getToken(scopes, options) {
      const token = await credential.getToken(scopes, options);
      if (token !== null) tokens.push(token.token);
      return token;
    },
  };
}

describe('BC client against the simulators', () => {
  beforeEach(async () => {
    h = await startHarness();
    seedBasics(h.bc);
  });
  afterEach(async () => {
    await h.close();
  });

  it('when several calls are made, then one token from Entra is reused', async () => {
    const client = h.client();
    await client.listCompanies();
    await collect(client.listVendors());
    await client.findVendors({ number: 'V100' });
    expect(h.entra.issuedTokens).toBe(1);
    expect(h.faults.count({ system: 'bc' })).toBe(3);
  });

  it('when the client secret is wrong, then AuthError and no retry storm', async () => {
    const client = h.client({ secret: 'wrong' });
    await expect(client.listCompanies()).rejects.toBeInstanceOf(AuthError);
    expect(h.entra.rejectedTokenRequests).toBe(1);
    expect(h.faults.count({ system: 'bc' })).toBe(0);
    const error = await client.listCompanies().catch((e: unknown) => e);
    expect(String(error)).not.toContain('wrong');
  });

  it('when a vendor name has quotes, & and #, then findVendors finds exactly that vendor', async () => {
    h.bc.addVendor({ displayName: "O'Brien & Sons #1" });
    h.bc.addVendor({ displayName: "O'Brien & Sons #2" });
    h.bc.addVendor({ displayName: 'O' });
    const found = await h.client().findVendors({ displayName: "O'Brien & Sons #1" });
    expect(found.map((v) => v.displayName)).toEqual(["O'Brien & Sons #1"]);
  });

  it('when a list spans pages, then every page is followed', async () => {
    for (let i = 0; i < 11; i += 1) h.bc.addItem({ number: `ITEM${i}`, displayName: `Item ${i}` });
    const items = await collect(h.client({ pageSize: 4 }).listItems());
    expect(items).toHaveLength(11);
    expect(h.faults.count({ system: 'bc', path: '/items' })).toBe(3);
  });

  it("when the countries are listed, then every row of BC's Country/Region table comes back with its code and name", async () => {
    h.bc.addCountry('PF', 'French Polynesia');
    const countries = await collect(h.client().listCountriesRegions());
    expect(countries).toContainEqual(expect.objectContaining({ code: 'NZ', displayName: 'New Zealand' }));
    expect(countries).toContainEqual(expect.objectContaining({ code: 'PF', displayName: 'French Polynesia' }));
    expect(h.faults.count({ system: 'bc', path: '/countriesRegions' })).toBe(1);
  });

  it('when a vendor changed in BC since it was read, then a PATCH with the old ETag is a TransientError with status 409, sent once, and a PATCH after a re-read succeeds', async () => {
    const client = h.client();
    const [vendor] = await client.findVendors({ number: 'V100' });
    if (vendor?.['@odata.etag'] === undefined) throw new Error('no vendor');
    h.bc.updateVendor(vendor.id, { email: 'ap@contoso.example' });
    const error = await client
      .updateVendor(vendor.id, vendor['@odata.etag'], { phoneNumber: '555' })
      .catch((e: unknown) => e);
    // A BC 409 is never ConflictError: that one means our own store lost an ETag race.
    expect(error).toBeInstanceOf(TransientError);
    expect(error).not.toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ status: 409, code: 'Request_EntityChanged' });
    expect(h.faults.count({ system: 'bc', method: 'PATCH' })).toBe(1);
    const fresh = await client.getVendor(vendor.id);
    const updated = await client.updateVendor(vendor.id, fresh?.['@odata.etag'] ?? '', { phoneNumber: '555' });
    expect(updated.phoneNumber).toBe('555');
  });

  it('when BC throttles GETs with 429/503, with and without Retry-After, then the calls still succeed', async () => {
    h.faults
      .add({ system: 'bc', method: 'GET', kind: 'throttle', retryAfterSeconds: 0, times: 2 })
      .add({ system: 'bc', method: 'GET', kind: 'throttle-no-retry-after', times: 2 })
      .add({ system: 'bc', method: 'GET', kind: 'throttle', status: 503, retryAfterSeconds: 0, times: 1 })
      .add({ system: 'bc', method: 'GET', kind: 'throttle-no-retry-after', status: 504, times: 1 });
    const throttles: number[] = [];
    const client = h.client({ maxRetries: 8, onThrottle: (info) => throttles.push(info.status) });
    const companies = await client.listCompanies();
    const vendors = await collect(client.listVendors());
    expect(companies).toHaveLength(1);
    expect(vendors).toHaveLength(1);
    expect(throttles.sort()).toEqual([429, 429, 429, 429, 503, 504]);
  });

  it('when createPurchaseInvoice gets a 503, then it surfaces and exactly one POST reached BC', async () => {
    h.faults.add({
      system: 'bc',
      method: 'POST',
      path: '/purchaseInvoices',
      kind: 'server-error',
      status: 503,
      times: 1,
    });
    await expect(h.client().createPurchaseInvoice(buildInvoice())).rejects.toBeInstanceOf(ThrottledError);
    expect(h.faults.count({ system: 'bc', method: 'POST', path: '/purchaseInvoices' })).toBe(1);
  });

  it('when the answer to createPurchaseInvoice is lost, then TransientError, no retry, and the draft exists', async () => {
    h.faults.add({ system: 'bc', method: 'POST', path: '/purchaseInvoices', kind: 'lost-response', times: 1 });
    const client = h.client();
    await expect(client.createPurchaseInvoice(buildInvoice())).rejects.toBeInstanceOf(TransientError);
    expect(h.faults.count({ system: 'bc', method: 'POST', path: '/purchaseInvoices' })).toBe(1);
    const found = await client.findPurchaseInvoices({ vendorNumber: 'V100', vendorInvoiceNumber: 'INV-1' });
    expect(found.map((i) => i.status)).toEqual(['Draft']);
  });

  it('when createPurchaseInvoice gets a 429, then it is retried once and one invoice exists', async () => {
    h.faults.add({
      system: 'bc',
      method: 'POST',
      path: '/purchaseInvoices',
      kind: 'throttle',
      retryAfterSeconds: 0,
      times: 1,
    });
    const created = await h.client().createPurchaseInvoice(buildInvoice());
    expect(created.status).toBe('Draft');
    expect(h.bc.data.purchaseInvoices.all()).toHaveLength(1);
  });

  it('when an invoice with lines and line dimensions is created and posted, then it is Open with a new number and the same id', async () => {
    const client = h.client();
    const draft = await client.createPurchaseInvoice(buildInvoice());
    expect(draft.totalAmountExcludingTax).toBe(25);
    expect(draft.totalTaxAmount).toBe(2.5);
    expect(draft.totalAmountIncludingTax).toBe(27.5);
    await client.postPurchaseInvoiceAndRead(draft.id);
    const posted = await client.getPurchaseInvoice(draft.id);
    expect(posted?.status).toBe('Open');
    expect(posted?.id).toBe(draft.id);
    expect(posted?.number).not.toBe(draft.number);
    expect(posted?.purchaseInvoiceLines[0]?.dimensionSetLines).toMatchObject([{ code: 'AREA', valueCode: 'NORTH' }]);
  });

  it('when a second invoice with the same vendor invoice number is posted for the same vendor, then ValidationError', async () => {
    const client = h.client();
    const first = await client.createPurchaseInvoice(buildInvoice({ vendorInvoiceNumber: 'inv-9' }));
    await client.postPurchaseInvoiceAndRead(first.id);
    const second = await client.createPurchaseInvoice(buildInvoice({ vendorInvoiceNumber: 'INV-9' }));
    const error = await client.postPurchaseInvoiceAndRead(second.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toContain('Purchase Invoice INV-9 already exists for this vendor.');
  });

  it("when a line's dimension value is unknown, then ValidationError with BC's message and correlation id, and nothing is created", async () => {
    const body = buildInvoice();
    const line = body.purchaseInvoiceLines[0];
    if (line) line.dimensionSetLines = [{ code: 'AREA', valueCode: 'WEST' }];
    const error = await h
      .client()
      .createPurchaseInvoice(body)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const validation = error as ValidationError;
    expect(validation.message).toContain('The "valueCode" does not match to a Dimension Value.');
    expect(validation.message).not.toContain('CorrelationId');
    expect(validation.correlationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(validation.code).toBe('Application_DialogException');
    expect(h.bc.data.purchaseInvoices.all()).toHaveLength(0);
    expect(h.bc.data.purchaseInvoiceLines.all()).toHaveLength(0);
  });

  it('when an account does not allow direct posting, then ValidationError with the field validation text', async () => {
    h.bc.addAccount({ number: '6200', displayName: 'Control', directPosting: false });
    const body = buildInvoice();
    const line = body.purchaseInvoiceLines[0];
    if (line) line.lineObjectNumber = '6200';
    const error = await h
      .client()
      .createPurchaseInvoice(body)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toContain('Direct Posting must have a value in G/L Account: No.=6200');
  });

  it('when a look-up is throttled, loses its connection and succeeds, and a post travels in a $batch, then onRequest fires once per attempt with its status and the bare host', async () => {
    // Arrange
    const calls: DependencyCall[] = [];
    const tokens: string[] = [];
    const client = h.client({ onRequest: (call) => calls.push(call), credential: recordingCredential(h, tokens) });
    const draft = await client.createPurchaseInvoice(buildInvoice({ vendorInvoiceNumber: "INV-7?code=x&o'k" }));
    h.faults
      .add({ system: 'bc', method: 'GET', kind: 'throttle', retryAfterSeconds: 0, times: 1 })
      .add({ system: 'bc', method: 'GET', kind: 'drop-connection', times: 1 });

    // Act
    await client.findPurchaseInvoices({ vendorNumber: 'V100', vendorInvoiceNumber: "INV-7?code=x&o'k" });
    await client.postPurchaseInvoiceAndRead(draft.id);

    // Assert
    const host = new URL(h.bc.baseUrl).host;
    expect(tokens.length).toBeGreaterThan(0);
    expect(h.faults.count({ system: 'bc' })).toBe(5);
    expect(calls.map((c) => [c.system, c.method, c.operation, c.target, c.status, c.success])).toEqual([
      ['bc', 'POST', 'createPurchaseInvoice', host, 201, true],
      ['bc', 'GET', 'findPurchaseInvoices', host, 429, false],
      ['bc', 'GET', 'findPurchaseInvoices', host, 0, false],
      ['bc', 'GET', 'findPurchaseInvoices', host, 200, true],
      ['bc', 'POST', 'postPurchaseInvoiceAndRead', host, 200, true],
    ]);
    const text = JSON.stringify(calls);
    for (const secret of ['?', '$filter', 'INV-7', draft.id, 'companies', SECRET, ...tokens])
      expect(text).not.toContain(secret);
  });

  it('when a token is rejected with 401 and refreshed, then both attempts are reported', async () => {
    // Arrange
    const calls: DependencyCall[] = [];
    const client = h.client({ onRequest: (call) => calls.push(call) });
    await client.listCompanies();
    h.entra.expireAllTokens();

    // Act
    await client.listCompanies();

    // Assert
    expect(calls.map((c) => [c.operation, c.status])).toEqual([
      ['listCompanies', 200],
      ['listCompanies', 401],
      ['listCompanies', 200],
    ]);
  });
});
