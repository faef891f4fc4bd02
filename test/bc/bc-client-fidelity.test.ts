/** The BC client reads BC as it really answers: encoded enums, pay-to vendors, no page-variable filters. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cin7ProductType } from '../../src/mapping/to-cin7-product.js';
import { str } from '../sandbox/bc/odata-query.js';
import { buildInvoice, collect, seedBasics, startHarness, type Harness } from './bc-harness.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
  seedBasics(h.bc);
});
afterEach(async () => {
  await h.close();
});

describe('BC client: what BC sends', () => {
  it('when BC sends a Non-Inventory item, then the client reads its caption and it becomes a Cin7 Service, not Stock', async () => {
    const item = h.bc.addItem({ number: 'CLEAN', displayName: 'Cleaning', type: 'Non-Inventory' });
    const read = await h.client().getItem(str(item.id));
    expect(read?.type).toBe('Non-Inventory');
    expect(cin7ProductType(read?.type)).toBe('Service');
  });

  it('when BC sends a blank Blocked and a Begin-Total account, then the client reads the captions', async () => {
    h.bc.addAccount({ number: '6000', displayName: 'Expenses', accountType: 'Begin-Total' });
    const client = h.client();
    const [vendor] = await client.findVendors({ number: 'V100' });
    expect(vendor?.blocked).toBe(' ');
    const accounts = await collect(client.listAccounts());
    expect(accounts.find((a) => a.number === '6000')?.accountType).toBe('Begin-Total');
  });

  it('when an invoice was created under a vendor whose pay-to vendor is ours, then the look-up finds it under either vendor', async () => {
    h.bc.addVendor({ number: 'V900', displayName: 'Group Payables' });
    const vendor = h.bc.data.vendors.find((v) => v.number === 'V100');
    h.bc.setTableFields(str(vendor?.id), { payToVendorNumber: 'V900' });
    const client = h.client();
    const draft = await client.createPurchaseInvoice(buildInvoice({ vendorInvoiceNumber: "O'NEIL-7" }));
    const byPayTo = await client.findPurchaseInvoices({ vendorNumber: 'V900', vendorInvoiceNumber: "O'NEIL-7" });
    const byBuyFrom = await client.findPurchaseInvoices({ vendorNumber: 'V100', vendorInvoiceNumber: "O'NEIL-7" });
    const other = await client.findPurchaseInvoices({ vendorNumber: 'V555', vendorInvoiceNumber: "O'NEIL-7" });
    expect(byPayTo.map((i) => i.id)).toEqual([draft.id]);
    expect(byBuyFrom.map((i) => i.id)).toEqual([draft.id]);
    expect(other).toEqual([]);
  });
});
