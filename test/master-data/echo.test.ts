import { afterEach, describe, expect, it } from 'vitest';
import { idOf, startMasterSandbox, bcVendorWrites, cin7SupplierWrites, type MasterSandbox } from './master-sandbox.js';

/** A supplier and its vendor, created through the connector and settled, with both subscriptions live. */
async function syncedPair(sandbox: MasterSandbox) {
  sandbox.registerSupplierWebhook();
  await sandbox.subscribe();
  const supplier = sandbox.cin7.addSupplier({
    Name: 'Echo Estates',
    TaxNumber: 'ECHO-1',
    Addresses: [{ Line1: '1 Echo Lane', City: 'Napa', Country: 'US', Type: 'Business' }],
    Contacts: [{ Name: 'Ed', Phone: '555-0100', Email: 'ed@echo.example' }],
  });
  await sandbox.cin7.deliverWebhooks({ type: 'Supplier/Updated', supplierIds: [supplier.ID] });
  await sandbox.settleEchoes({ supplierIds: [supplier.ID] });
  const vendor = sandbox.bc.data.vendors.all()[0];
  if (!vendor) throw new Error('no vendor was created');
  return { supplier, vendorId: idOf(vendor) };
}

describe('I6: master data never loops', () => {
  let sandbox: MasterSandbox;
  afterEach(() => sandbox.close());

  it('I6: when a new supplier becomes a vendor, then the vendor notification writes nothing back to Cin7', async () => {
    sandbox = await startMasterSandbox();
    await syncedPair(sandbox);
    expect(bcVendorWrites(sandbox)).toBe(1);
    expect(cin7SupplierWrites(sandbox)).toBe(0);
    const [vendorEntry] = await sandbox.ledger('vendor');
    expect(vendorEntry?.state).toBe('synced');
  });

  it('I6: when a supplier is edited in Cin7, then BC is written once and Cin7 not at all after every echo settles', async () => {
    sandbox = await startMasterSandbox();
    const { supplier, vendorId } = await syncedPair(sandbox);
    const bcBefore = bcVendorWrites(sandbox);
    const cin7Before = cin7SupplierWrites(sandbox);

    sandbox.cin7.updateSupplier(supplier.ID, {
      Name: 'Echo Estates & Sons',
      Contacts: [{ Name: 'Ed', Phone: '555-0199', Email: 'ed@echo.example' }],
    });
    await sandbox.cin7.deliverWebhooks({ type: 'Supplier/Updated', supplierIds: [supplier.ID] });
    await sandbox.settleEchoes({ supplierIds: [supplier.ID] });

    expect(bcVendorWrites(sandbox) - bcBefore).toBe(1);
    expect(cin7SupplierWrites(sandbox) - cin7Before).toBe(0);
    expect(sandbox.bc.data.vendors.get(vendorId)).toMatchObject({
      displayName: 'Echo Estates & Sons',
      phoneNumber: '555-0199',
    });
    const audit = await sandbox.deps.stores.audit.list('vendor', vendorId);
    expect(audit.some((a) => a.step === 'echo-check' && /echo suppressed/.test(a.message))).toBe(true);
  });

  it('I6: when a vendor is edited in BC, then Cin7 is written once and BC not at all after every echo settles', async () => {
    sandbox = await startMasterSandbox();
    const { supplier, vendorId } = await syncedPair(sandbox);
    const bcBefore = bcVendorWrites(sandbox);
    const cin7Before = cin7SupplierWrites(sandbox);

    sandbox.bc.updateVendor(vendorId, { displayName: 'Echo Estates LLC', city: 'Sonoma', email: 'ap@echo.example' });
    await sandbox.settleEchoes({ supplierIds: [supplier.ID] });

    expect(cin7SupplierWrites(sandbox) - cin7Before).toBe(1);
    expect(bcVendorWrites(sandbox) - bcBefore).toBe(0);
    const saved = sandbox.cin7.state.suppliers.find((s) => s.ID === supplier.ID);
    expect(saved).toMatchObject({ Name: 'Echo Estates LLC', AccountPayable: '800', TaxRule: 'Tax on Purchases' });
    expect(saved?.Addresses).toHaveLength(1);
    expect(saved?.Addresses[0]).toMatchObject({ City: 'Sonoma' });
    expect(saved?.Contacts).toHaveLength(1);
    expect(saved?.Contacts[0]).toMatchObject({ Email: 'ap@echo.example', Phone: '555-0100' });
    const audit = await sandbox.deps.stores.audit.list('supplier', supplier.ID.toLowerCase());
    expect(audit.some((a) => a.step === 'echo-check' && /echo suppressed/.test(a.message))).toBe(true);
  });

  it('when both sides changed since the last sync and VENDOR_MASTER is cin7, then Cin7 wins and the lost BC change is in the audit', async () => {
    sandbox = await startMasterSandbox();
    const { supplier, vendorId } = await syncedPair(sandbox);

    sandbox.cin7.updateSupplier(supplier.ID, { Name: 'Conflict Cin7 Name' });
    sandbox.bc.updateVendor(vendorId, { displayName: 'Conflict BC Name' });
    await sandbox.settleEchoes({ supplierIds: [supplier.ID] });

    expect(sandbox.bc.data.vendors.get(vendorId)?.displayName).toBe('Conflict Cin7 Name');
    expect(sandbox.cin7.state.suppliers.find((s) => s.ID === supplier.ID)?.Name).toBe('Conflict Cin7 Name');
    const audits = [
      ...(await sandbox.deps.stores.audit.list('vendor', vendorId)),
      ...(await sandbox.deps.stores.audit.list('supplier', supplier.ID.toLowerCase())),
    ];
    const conflict = audits.find((a) => a.step === 'conflict');
    expect(conflict?.message).toMatch(/VENDOR_MASTER=cin7 keeps Cin7's values; BC's change to displayName/);
    expect(conflict?.details).toMatchObject({ 'lost.displayName': 'Conflict BC Name', winner: 'cin7' });
  });

  it('when both sides changed since the last sync and VENDOR_MASTER is bc, then BC wins and the lost Cin7 change is in the audit', async () => {
    sandbox = await startMasterSandbox({ env: { VENDOR_MASTER: 'bc' } });
    const { supplier, vendorId } = await syncedPair(sandbox);

    sandbox.cin7.updateSupplier(supplier.ID, { Name: 'Conflict Cin7 Name' });
    sandbox.bc.updateVendor(vendorId, { displayName: 'Conflict BC Name' });
    await sandbox.settleEchoes({ supplierIds: [supplier.ID] });

    expect(sandbox.bc.data.vendors.get(vendorId)?.displayName).toBe('Conflict BC Name');
    expect(sandbox.cin7.state.suppliers.find((s) => s.ID === supplier.ID)?.Name).toBe('Conflict BC Name');
    const audits = [
      ...(await sandbox.deps.stores.audit.list('vendor', vendorId)),
      ...(await sandbox.deps.stores.audit.list('supplier', supplier.ID.toLowerCase())),
    ];
    const conflict = audits.find((a) => a.step === 'conflict');
    expect(conflict?.details).toMatchObject({ 'lost.displayName': 'Conflict Cin7 Name', winner: 'bc' });
  });
});
