import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { envelopeFor } from '../../src/sync/jobs/intake.js';
import { pollCin7Suppliers } from '../../src/sync/master-data/poll-master-data.js';
import { syncSupplier } from '../../src/sync/master-data/sync-supplier.js';
import type { RecordContext } from '../../src/sync/jobs/record.js';
import { idOf, startMasterSandbox, type MasterSandbox } from './master-sandbox.js';

function context(): RecordContext {
  return { trigger: 'cli', attempt: 1, correlationId: randomUUID(), receivedAt: new Date().toISOString() };
}

const business = { Line1: '12 Via Roma', City: 'Firenze', Postcode: '50123', Country: 'IT', Type: 'Business' as const };

describe('Cin7 supplier → BC vendor', () => {
  let sandbox: MasterSandbox;
  beforeEach(async () => {
    sandbox = await startMasterSandbox();
    sandbox.registerSupplierWebhook();
  });
  afterEach(() => sandbox.close());

  it('when a new supplier is announced by webhook, then exactly one BC vendor is created with its fields and the pair is mapped', async () => {
    const supplier = sandbox.cin7.addSupplier({
      Name: 'Tuscan Groves',
      TaxNumber: 'IT-1234',
      Currency: 'EUR',
      PaymentTerm: '14 days',
      Addresses: [business],
      Contacts: [{ Name: 'Gia', Phone: '+39 055 1234', Email: 'gia@groves.example' }],
    });
    await sandbox.cin7.deliverWebhooks({ type: 'Supplier/Updated', supplierIds: [supplier.ID] });
    await sandbox.settle();

    const vendors = sandbox.bc.data.vendors.all();
    expect(vendors).toHaveLength(1);
    const paymentTerm = sandbox.bc.data.paymentTerms.find((p) => p.code === '14 DAYS');
    expect(vendors[0]).toMatchObject({
      displayName: 'Tuscan Groves',
      taxRegistrationNumber: 'IT-1234',
      currencyCode: 'EUR',
      addressLine1: '12 Via Roma',
      city: 'Firenze',
      country: 'IT',
      postalCode: '50123',
      phoneNumber: '+39 055 1234',
      email: 'gia@groves.example',
      paymentTermsId: paymentTerm?.id,
      blocked: ' ',
    });
    const [entry] = await sandbox.ledger('supplier');
    expect(entry).toMatchObject({ state: 'synced', targetNumber: vendors[0]?.number });
    expect(entry?.writtenFingerprint).toBeDefined();
    expect((await sandbox.deps.stores.mappings.get('supplier', supplier.ID.toLowerCase()))?.target).toBe(
      vendors[0]?.number,
    );
  });

  it('when the webhook and the poll race for a new supplier, then exactly one BC vendor exists', async () => {
    const supplier = sandbox.cin7.addSupplier({ Name: 'Racing Olives', TaxNumber: 'RACE-1' });
    // A third trigger in its own session (as the invoice flow would be) makes the race real.
    const stray = {
      ...envelopeFor({ type: 'cin7-supplier', supplierId: supplier.ID }, 'stray', 'replay', { now: () => Date.now() }),
      sessionId: 'another-session',
    };
    await Promise.all([
      sandbox.cin7.deliverWebhooks({ type: 'Supplier/Updated', supplierIds: [supplier.ID] }),
      pollCin7Suppliers(sandbox.deps),
      sandbox.queue.enqueue([stray]),
    ]);
    await sandbox.settle();

    expect(sandbox.bc.data.vendors.all().filter((v) => v.displayName === 'Racing Olives')).toHaveLength(1);
    const entries = await sandbox.ledger('supplier');
    expect(entries.map((e) => e.state)).toEqual(['synced']);
  });

  it('when two workers sync the same new supplier at once, then the claim lets one create and the other retry without a second vendor', async () => {
    const supplier = sandbox.cin7.addSupplier({ Name: 'Twin Presses' });
    const results = await Promise.allSettled([
      syncSupplier({ type: 'cin7-supplier', supplierId: supplier.ID }, context(), sandbox.deps),
      syncSupplier({ type: 'cin7-supplier', supplierId: supplier.ID }, context(), sandbox.deps),
    ]);
    expect(sandbox.bc.data.vendors.all()).toHaveLength(1);
    const rejected = results.filter((r) => r.status === 'rejected');
    for (const r of rejected) expect(String(r.reason)).toMatch(/another worker|ConflictError/);

    const again = await syncSupplier({ type: 'cin7-supplier', supplierId: supplier.ID }, context(), sandbox.deps);
    expect(again.state).toBe('synced');
    expect(sandbox.bc.data.vendors.all()).toHaveLength(1);
  });

  it('when a vendor with the same tax number exists, then it is updated with the ETag instead of a new one created', async () => {
    const vendor = sandbox.bc.addVendor({ displayName: 'Old Name Srl', taxRegistrationNumber: 'IT 99.88' });
    const supplier = sandbox.cin7.addSupplier({ Name: 'New Name Srl', TaxNumber: 'IT9988', Addresses: [business] });
    await syncSupplier({ type: 'cin7-supplier', supplierId: supplier.ID }, context(), sandbox.deps);

    expect(sandbox.bc.data.vendors.all()).toHaveLength(1);
    expect(sandbox.bc.data.vendors.get(idOf(vendor))).toMatchObject({ displayName: 'New Name Srl', city: 'Firenze' });
    expect(sandbox.faults.count({ system: 'bc', method: 'PATCH', path: /vendors/ })).toBe(1);
    const audit = await sandbox.deps.stores.audit.list('supplier', supplier.ID.toLowerCase());
    expect(audit.some((a) => a.step === 'conflict' && /never synced/.test(a.message))).toBe(true);
  });

  it('when the payment term has no BC payment terms, then the supplier is needs-mapping naming it and nothing is written', async () => {
    sandbox.cin7.addPaymentTerm({ Name: 'End of month' });
    const supplier = sandbox.cin7.addSupplier({ Name: 'Monthly Mills', PaymentTerm: 'End of month' });
    const entry = await syncSupplier({ type: 'cin7-supplier', supplierId: supplier.ID }, context(), sandbox.deps);

    expect(entry.state).toBe('needs-mapping');
    expect(entry.missing).toEqual([expect.stringMatching(/^payment-term:End of month/)]);
    expect(sandbox.bc.data.vendors.all()).toHaveLength(0);
  });

  it('when a payment-term mapping names the BC code, then the vendor gets those payment terms', async () => {
    sandbox.cin7.addPaymentTerm({ Name: 'Two weeks' });
    await sandbox.deps.stores.mappings.upsert({ kind: 'payment-term', source: 'Two weeks', target: '14 DAYS' });
    const supplier = sandbox.cin7.addSupplier({ Name: 'Fortnight Farms', PaymentTerm: 'Two weeks' });
    await syncSupplier({ type: 'cin7-supplier', supplierId: supplier.ID }, context(), sandbox.deps);

    const term = sandbox.bc.data.paymentTerms.find((p) => p.code === '14 DAYS');
    expect(sandbox.bc.data.vendors.all()[0]?.paymentTermsId).toBe(term?.id);
  });

  it('when a deprecated supplier has no vendor yet, then it is skipped and no vendor is created', async () => {
    const supplier = sandbox.cin7.addSupplier({ Name: 'Gone Groves', Status: 'Deprecated' });
    const entry = await syncSupplier({ type: 'cin7-supplier', supplierId: supplier.ID }, context(), sandbox.deps);

    expect(entry).toMatchObject({ state: 'skipped', reason: expect.stringMatching(/deprecated/) as string });
    expect(sandbox.bc.data.vendors.all()).toHaveLength(0);
  });

  it('when a paired supplier is deprecated in Cin7, then its vendor is not blocked', async () => {
    const supplier = sandbox.cin7.addSupplier({ Name: 'Fading Farms', TaxNumber: 'FADE-1' });
    await syncSupplier({ type: 'cin7-supplier', supplierId: supplier.ID }, context(), sandbox.deps);
    sandbox.cin7.updateSupplier(supplier.ID, { Status: 'Deprecated', Name: 'Fading Farms (old)' });
    await syncSupplier({ type: 'cin7-supplier', supplierId: supplier.ID }, context(), sandbox.deps);

    expect(sandbox.bc.data.vendors.all()[0]).toMatchObject({ displayName: 'Fading Farms (old)', blocked: ' ' });
  });
});
