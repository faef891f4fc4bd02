import { afterEach, describe, expect, it } from 'vitest';
import { pollBcVendors } from '../../src/sync/master-data/poll-master-data.js';
import { idOf, startMasterSandbox, type MasterSandbox } from './master-sandbox.js';

describe('BC vendor → Cin7 supplier', () => {
  let sandbox: MasterSandbox;
  afterEach(() => sandbox.close());

  it("when a new BC vendor is notified, then a Cin7 supplier is created with Cin7's required fields from the vendor and the settings", async () => {
    sandbox = await startMasterSandbox();
    await sandbox.subscribe();
    const vendor = sandbox.bc.addVendor({
      displayName: 'Harbour Freight Co',
      taxRegistrationNumber: 'HF-77',
      currencyCode: 'EUR',
      paymentTermsCode: '14 DAYS',
      addressLine1: '9 Quay St',
      city: 'Cork',
      country: 'IE',
      email: 'ap@harbour.example',
    });
    await sandbox.bc.flushNotifications();
    await sandbox.settle();

    const suppliers = sandbox.cin7.state.suppliers;
    expect(suppliers).toHaveLength(1);
    expect(suppliers[0]).toMatchObject({
      Name: 'Harbour Freight Co',
      TaxNumber: 'HF-77',
      Currency: 'EUR',
      PaymentTerm: '14 days',
      AccountPayable: '800',
      TaxRule: 'Tax on Purchases',
      Status: 'Active',
    });
    expect(suppliers[0]?.Addresses[0]).toMatchObject({
      Line1: '9 Quay St',
      City: 'Cork',
      // Cin7 stores a country name (openapi.yaml:1482): BC's name for code IE.
      Country: 'Ireland',
      Type: 'Business',
    });
    expect(suppliers[0]?.Contacts[0]).toMatchObject({ Name: 'Harbour Freight Co', Email: 'ap@harbour.example' });
    const [entry] = await sandbox.ledger('vendor');
    expect(entry).toMatchObject({ recordId: idOf(vendor), state: 'synced', targetId: suppliers[0]?.ID });
    expect((await sandbox.deps.stores.mappings.get('supplier', suppliers[0]?.ID.toLowerCase() ?? ''))?.target).toBe(
      vendor.number,
    );
  });

  it('when CIN7_DEFAULT_TAX_RULE is not set, then the vendor is needs-mapping naming the setting and nothing is written', async () => {
    sandbox = await startMasterSandbox({ env: { CIN7_DEFAULT_TAX_RULE: '' } });
    sandbox.bc.addVendor({ displayName: 'No Tax Rule Ltd' });
    await pollBcVendors(sandbox.deps);
    await sandbox.settle();

    const [entry] = await sandbox.ledger('vendor');
    expect(entry).toMatchObject({ state: 'needs-mapping', missing: ['setting:CIN7_DEFAULT_TAX_RULE'] });
    expect(sandbox.cin7.state.suppliers).toHaveLength(0);
  });

  it('when a Cin7 supplier has the same name and VENDOR_MASTER is bc, then it is paired and updated instead of duplicated', async () => {
    sandbox = await startMasterSandbox({ env: { VENDOR_MASTER: 'bc' } });
    const supplier = sandbox.cin7.addSupplier({ Name: 'Same Name Traders', TaxNumber: '' });
    sandbox.bc.addVendor({ displayName: 'Same Name Traders', phoneNumber: '555-0123' });
    await pollBcVendors(sandbox.deps);
    await sandbox.settle();

    expect(sandbox.cin7.state.suppliers).toHaveLength(1);
    expect(sandbox.cin7.state.suppliers[0]?.Contacts[0]).toMatchObject({ Phone: '555-0123' });
    expect((await sandbox.deps.stores.mappings.get('supplier', supplier.ID.toLowerCase()))?.target).toBeDefined();
  });

  it('when a Cin7 supplier has the same name and VENDOR_MASTER is cin7, then the never-synced pair takes Cin7 values and the BC ones are audited', async () => {
    sandbox = await startMasterSandbox();
    sandbox.cin7.addSupplier({ Name: 'Owner Olives', TaxNumber: '' });
    const vendor = sandbox.bc.addVendor({ displayName: 'Owner Olives', phoneNumber: '555-0124' });
    await pollBcVendors(sandbox.deps);
    await sandbox.settle();

    expect(sandbox.cin7.state.suppliers).toHaveLength(1);
    expect(sandbox.bc.data.vendors.get(idOf(vendor))?.phoneNumber).toBe('');
    const audit = await sandbox.deps.stores.audit.list('vendor', idOf(vendor));
    expect(audit.find((a) => a.step === 'conflict')?.details).toMatchObject({ 'lost.phoneNumber': '555-0124' });
  });

  it('when a BC vendor blocked with All has no supplier, then it is skipped and no supplier is created', async () => {
    sandbox = await startMasterSandbox();
    sandbox.bc.addVendor({ displayName: 'Blocked Bros', blocked: 'All' });
    await pollBcVendors(sandbox.deps);
    await sandbox.settle();

    const [entry] = await sandbox.ledger('vendor');
    expect(entry).toMatchObject({ state: 'skipped', reason: expect.stringMatching(/blocked/) as string });
    expect(sandbox.cin7.state.suppliers).toHaveLength(0);
  });

  it('when the poll runs twice, then the watermark moves after enqueueing and the second run lists only the overlap', async () => {
    sandbox = await startMasterSandbox({ sync: { pollOverlapMs: 0 } });
    sandbox.bc.addVendor({ displayName: 'Watermark Wines' });
    const first = await pollBcVendors(sandbox.deps);
    await sandbox.settle();
    const mark = await sandbox.deps.stores.watermarks.get('bc-vendors');
    expect(mark?.value).toBe(first.until);
    const second = await pollBcVendors(sandbox.deps);
    expect(first.enqueued).toBe(1);
    expect(second.listed).toBe(0);
  });
});
