import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allHandlers } from '../../src/sync/jobs/handlers.js';
import { runJob } from '../../src/sync/jobs/run-job.js';
import { syncSupplier } from '../../src/sync/master-data/sync-supplier.js';
import type { RecordContext } from '../../src/sync/jobs/record.js';
import { addAuthorisedPurchase } from '../support/seed.js';
import { purchaseEnvelope, sandboxPerTest } from '../support/invariant-sandbox.js';
import { bcVendorWrites, cin7SupplierWrites, idOf, startMasterSandbox, type MasterSandbox } from './master-sandbox.js';

function context(): RecordContext {
  return { trigger: 'cli', attempt: 1, correlationId: randomUUID(), receivedAt: new Date().toISOString() };
}

function supplierWith(
  sandbox: MasterSandbox,
  fields: { Country?: string; Phone?: string; Email?: string; TaxNumber?: string } = {},
) {
  return sandbox.cin7.addSupplier({
    Name: 'Kiwi Orchards',
    TaxNumber: fields.TaxNumber ?? 'KIWI-1',
    Addresses: [{ Line1: '1 Orchard Rd', City: 'Nelson', Country: fields.Country ?? 'New Zealand', Type: 'Business' }],
    Contacts: [{ Name: 'Aroha', Phone: fields.Phone ?? '+64 3 555 0100', Email: fields.Email ?? 'aroha@kiwi.example' }],
  });
}

async function leftOutNotes(sandbox: MasterSandbox, supplierId: string): Promise<string[]> {
  const audit = await sandbox.deps.stores.audit.list('supplier', supplierId.toLowerCase());
  return audit.filter((a) => a.step === 'left-out').map((a) => a.message);
}

describe('Cin7 supplier → BC vendor: fields BC validates', () => {
  let sandbox: MasterSandbox;
  beforeEach(async () => {
    sandbox = await startMasterSandbox();
  });
  afterEach(() => sandbox.close());

  it('when the supplier\'s country is "New Zealand", then the vendor gets BC\'s code NZ', async () => {
    const supplier = supplierWith(sandbox);
    const entry = await syncSupplier({ type: 'cin7-supplier', supplierId: supplier.ID }, context(), sandbox.deps);

    expect(entry.state).toBe('synced');
    expect(sandbox.bc.data.vendors.all()[0]).toMatchObject({ country: 'NZ', city: 'Nelson' });
    expect(await leftOutNotes(sandbox, supplier.ID)).toEqual([]);
  });

  it('when the country is unknown to BC, then the vendor is created with it blank and the audit names the country and the mapping to add', async () => {
    const supplier = supplierWith(sandbox, { Country: 'Atlantis' });
    const entry = await syncSupplier({ type: 'cin7-supplier', supplierId: supplier.ID }, context(), sandbox.deps);

    expect(entry.state).toBe('synced');
    expect(sandbox.bc.data.vendors.all()[0]).toMatchObject({ country: '', addressLine1: '1 Orchard Rd' });
    expect(await leftOutNotes(sandbox, supplier.ID)).toEqual([
      expect.stringMatching(/^country "Atlantis" of Kiwi Orchards left out .*add a country mapping from "Atlantis"/),
    ]);
  });

  it('when a country mapping names the BC code, then the vendor gets that code', async () => {
    await sandbox.deps.stores.mappings.upsert({ kind: 'country', source: 'Aotearoa', target: 'NZ' });
    const supplier = supplierWith(sandbox, { Country: 'Aotearoa' });
    await syncSupplier({ type: 'cin7-supplier', supplierId: supplier.ID }, context(), sandbox.deps);

    expect(sandbox.bc.data.vendors.all()[0]?.country).toBe('NZ');
    expect(await leftOutNotes(sandbox, supplier.ID)).toEqual([]);
  });

  it('when the phone has letters and the e-mail is invalid, then the vendor is created without them and the audit names both', async () => {
    const supplier = supplierWith(sandbox, { Phone: '03 555 0100 ask for Bob', Email: 'aroha(at)kiwi' });
    const entry = await syncSupplier({ type: 'cin7-supplier', supplierId: supplier.ID }, context(), sandbox.deps);

    expect(entry.state).toBe('synced');
    expect(sandbox.bc.data.vendors.all()).toHaveLength(1);
    expect(sandbox.bc.data.vendors.all()[0]).toMatchObject({ phoneNumber: '', email: '', country: 'NZ' });
    const notes = await leftOutNotes(sandbox, supplier.ID);
    expect(notes).toHaveLength(2);
    expect(notes).toContainEqual(expect.stringMatching(/^phone number "03 555 0100 ask for Bob" of Kiwi Orchards/));
    expect(notes).toContainEqual(expect.stringMatching(/^e-mail "aroha\(at\)kiwi" of Kiwi Orchards/));
  });

  it('when an update brings a phone with letters, then the vendor is updated without it and the audit names it', async () => {
    const supplier = supplierWith(sandbox);
    await syncSupplier({ type: 'cin7-supplier', supplierId: supplier.ID }, context(), sandbox.deps);
    sandbox.cin7.updateSupplier(supplier.ID, {
      Name: 'Kiwi Orchards Ltd',
      Contacts: [{ Name: 'Aroha', Phone: 'call reception', Email: 'aroha@kiwi.example' }],
    });
    const entry = await syncSupplier({ type: 'cin7-supplier', supplierId: supplier.ID }, context(), sandbox.deps);

    expect(entry.state).toBe('synced');
    expect(sandbox.bc.data.vendors.all()[0]).toMatchObject({ displayName: 'Kiwi Orchards Ltd', phoneNumber: '' });
    expect(await leftOutNotes(sandbox, supplier.ID)).toEqual([expect.stringMatching(/^phone number "call reception"/)]);
  });

  it("when BC refuses the VAT registration number for the country's format, then the supplier is failed with BC's reason, no vendor exists and the claim is released", async () => {
    sandbox.bc.addCountry('GB', 'United Kingdom', ['GB#########']);
    const supplier = supplierWith(sandbox, { Country: 'United Kingdom', TaxNumber: 'GB12' });
    const entry = await syncSupplier({ type: 'cin7-supplier', supplierId: supplier.ID }, context(), sandbox.deps);

    expect(entry.state).toBe('failed');
    expect(entry.reason).toMatch(/Kiwi Orchards.*VAT Registration number.*GB#########.*Correct the supplier in Cin7/s);
    expect(sandbox.bc.data.vendors.all()).toHaveLength(0);
    expect(await sandbox.deps.stores.mappings.get('supplier', supplier.ID.toLowerCase())).toBeUndefined();
  });
});

describe('I6: fields left out or mapped never loop', () => {
  let sandbox: MasterSandbox;
  beforeEach(async () => {
    sandbox = await startMasterSandbox();
    sandbox.registerSupplierWebhook();
    await sandbox.subscribe();
  });
  afterEach(() => sandbox.close());

  it('I6: when a supplier with a country name, a phone with letters and a bad e-mail becomes a vendor, then after every echo BC was written once and Cin7 never', async () => {
    const supplier = supplierWith(sandbox, { Phone: 'ask for Bob', Email: 'nope' });
    await sandbox.cin7.deliverWebhooks({ type: 'Supplier/Updated', supplierIds: [supplier.ID] });
    await sandbox.settleEchoes({ supplierIds: [supplier.ID] });

    expect(bcVendorWrites(sandbox)).toBe(1);
    expect(cin7SupplierWrites(sandbox)).toBe(0);
    expect(sandbox.bc.data.vendors.all()[0]).toMatchObject({ country: 'NZ', phoneNumber: '', email: '' });
    expect((await sandbox.ledger('vendor'))[0]?.state).toBe('synced');
  });

  it('I6: when the vendor of a supplier with an unknown country is edited in BC, then Cin7 is written once, keeps what BC refused, and nothing echoes back', async () => {
    const supplier = supplierWith(sandbox, { Country: 'Atlantis', Phone: 'ask for Bob' });
    await sandbox.cin7.deliverWebhooks({ type: 'Supplier/Updated', supplierIds: [supplier.ID] });
    await sandbox.settleEchoes({ supplierIds: [supplier.ID] });
    const vendor = sandbox.bc.data.vendors.all()[0];
    if (!vendor) throw new Error('no vendor was created');
    const bcBefore = bcVendorWrites(sandbox);

    sandbox.bc.updateVendor(idOf(vendor), { city: 'Motueka' });
    await sandbox.settleEchoes({ supplierIds: [supplier.ID] });

    expect(cin7SupplierWrites(sandbox)).toBe(1);
    expect(bcVendorWrites(sandbox) - bcBefore).toBe(0);
    const saved = sandbox.cin7.state.suppliers.find((s) => s.ID === supplier.ID);
    expect(saved?.Addresses[0]).toMatchObject({ City: 'Motueka', Country: 'Atlantis' });
    expect(saved?.Contacts[0]).toMatchObject({ Phone: 'ask for Bob' });
  });

  it("I6: when a vendor's country is changed in BC, then the supplier gets BC's country name and nothing echoes back", async () => {
    const supplier = supplierWith(sandbox);
    await sandbox.cin7.deliverWebhooks({ type: 'Supplier/Updated', supplierIds: [supplier.ID] });
    await sandbox.settleEchoes({ supplierIds: [supplier.ID] });
    const vendor = sandbox.bc.data.vendors.all()[0];
    if (!vendor) throw new Error('no vendor was created');
    const bcBefore = bcVendorWrites(sandbox);

    sandbox.bc.updateVendor(idOf(vendor), { country: 'AU' });
    await sandbox.settleEchoes({ supplierIds: [supplier.ID] });

    expect(cin7SupplierWrites(sandbox)).toBe(1);
    expect(bcVendorWrites(sandbox) - bcBefore).toBe(0);
    expect(sandbox.cin7.state.suppliers.find((s) => s.ID === supplier.ID)?.Addresses[0]?.Country).toBe('Australia');
  });
});

describe('invoice flow: a vendor created for an invoice (AUTO_CREATE_VENDORS)', () => {
  const start = sandboxPerTest();

  it("when the supplier has a country name and a phone with letters, then the vendor gets BC's code without the phone, the invoice posts and its audit names the phone", async () => {
    const sb = await start({ env: { AUTO_CREATE_VENDORS: 'true' } });
    const supplier = sb.cin7.addSupplier({
      Name: 'Kiwi Orchards',
      TaxNumber: 'KIWI-9',
      Addresses: [{ Line1: '1 Orchard Rd', Country: 'new zealand', Type: 'Business' }],
      Contacts: [{ Name: 'Aroha', Phone: 'ask for Bob' }],
    });
    const purchase = addAuthorisedPurchase(sb, supplier.ID);

    await runJob(purchaseEnvelope(purchase), sb.deps, allHandlers);

    const [entry] = await sb.ledger('purchase-invoice');
    expect(entry?.state).toBe('posted');
    expect(sb.bc.data.vendors.find((v) => v.displayName === 'Kiwi Orchards')).toMatchObject({
      country: 'NZ',
      phoneNumber: '',
    });
    const audit = await sb.deps.stores.audit.list('purchase-invoice', entry?.recordId ?? '');
    expect(audit.some((a) => /created; phone number "ask for Bob" of Kiwi Orchards left out/.test(a.message))).toBe(
      true,
    );
  });
});
