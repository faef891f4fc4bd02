/**
 * A mapping gap shared by many invoices (a Cin7 account code BC lacks) parks each of them, and BC's
 * reference data is re-read at most once for the burst, not once per invoice.
 */
import { describe, expect, it } from 'vitest';
import { pollCin7Purchases } from '../../src/sync/purchase/poll-cin7.js';
import { addAuthorisedPurchase, addSupplierWithVendor } from '../support/seed.js';
import { sandboxPerTest } from '../support/invariant-sandbox.js';

describe('mapping gaps in a backfill', () => {
  const start = sandboxPerTest();

  it('I2: when ten invoices hit the same missing account, then all are needs-mapping and BC accounts are read at most twice', async () => {
    const sb = await start();
    const { supplier } = addSupplierWithVendor(sb);
    for (let i = 0; i < 10; i += 1)
      addAuthorisedPurchase(
        sb,
        supplier.ID,
        { InventoryAccount: '999' },
        { Lines: [{ SKU: 'OIL-1L', Name: 'Olive oil', Quantity: 1, Price: 5, Account: '999' }] },
      );

    await pollCin7Purchases(sb.deps);
    await sb.settle();

    const states = (await sb.ledger('purchase-invoice')).map((e) => e.state);
    expect(states).toEqual(Array.from({ length: 10 }, () => 'needs-mapping'));
    expect(sb.faults.count({ system: 'bc', method: 'GET', path: /\/accounts$/ })).toBeLessThanOrEqual(2);
  });
});
