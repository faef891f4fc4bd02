/**
 * Issue 10 item 2: BC gives vendors created through its API posting groups only from a vendor template rule.
 * Without one, an invoice for a vendor the connector created is refused at once (not retried), the reason names
 * the vendor and the missing group, and `doctor` reports it with what to set up in BC.
 */
import { describe, expect, it } from 'vitest';
import { runJob } from '../../src/sync/jobs/run-job.js';
import { allHandlers } from '../../src/sync/jobs/handlers.js';
import { runDoctor } from '../../src/sync/admin/doctor.js';
import { str } from '../sandbox/bc/odata-query.js';
import { addAuthorisedPurchase, addSupplierWithVendor } from '../support/seed.js';
import { purchaseEnvelope, sandboxPerTest } from '../support/invariant-sandbox.js';

describe('vendors created through the BC API', () => {
  const start = sandboxPerTest();

  it('when BC has no vendor template rule, then the invoice of a created vendor fails once naming the vendor, and doctor reports it', async () => {
    const sb = await start({ env: { AUTO_CREATE_VENDORS: 'true' } });
    sb.bc.setVendorTemplate(undefined);
    const { supplier } = addSupplierWithVendor(sb, 'Fresh Supplier', { vendor: false });
    const purchase = addAuthorisedPurchase(sb, supplier.ID);

    const result = await runJob(purchaseEnvelope(purchase), sb.deps, allHandlers);

    expect(result.status).toBe('done');
    const [entry] = await sb.ledger('purchase-invoice');
    const vendorNumber = str(sb.bc.data.vendors.find((v) => v.displayName === 'Fresh Supplier')?.number);
    expect(entry?.state).toBe('failed');
    expect(entry?.attempts).toBe(1);
    expect(entry?.reason).toContain(`Gen. Bus. Posting Group must have a value in Vendor: No.=${vendorNumber}`);
    expect(entry?.reason).toMatch(/give the vendor its posting groups in BC .*then replay$/);

    const report = await runDoctor(sb.deps, { companyId: sb.bc.companyId });
    expect(report.vendorSetup?.advice).toMatch(/Config\. Template Selection Rule/);
    expect(report.vendorSetup?.refusedVendors.map((v) => v.vendorNumber)).toEqual([vendorNumber]);
  });

  it('when BC has a vendor template rule, then the created vendor is posted to and doctor lists no refused vendor', async () => {
    const sb = await start({ env: { AUTO_CREATE_VENDORS: 'true' } });
    const { supplier } = addSupplierWithVendor(sb, 'Templated Supplier', { vendor: false });
    const purchase = addAuthorisedPurchase(sb, supplier.ID);

    await runJob(purchaseEnvelope(purchase), sb.deps, allHandlers);

    expect((await sb.ledger('purchase-invoice')).map((e) => e.state)).toEqual(['posted']);
    const report = await runDoctor(sb.deps, { companyId: sb.bc.companyId });
    expect(report.vendorSetup?.refusedVendors).toEqual([]);
  });
});
