/**
 * Invariant 2: every line references a record that exists (DESIGN §3.2). Gaps are found before the first BC
 * write, all at once, and the record waits as `needs-mapping` with nothing written to BC.
 */
import { describe, expect, it } from 'vitest';
import { replayRecord } from '../../src/sync/jobs/replay.js';
import { addAuthorisedPurchase, addSupplierWithVendor } from '../support/seed.js';
import { announceInvoice, bcInvoices, bcLines, invoiceRecordId, sandboxPerTest } from '../support/invariant-sandbox.js';

describe('I2: references exist before anything is written', () => {
  const start = sandboxPerTest();

  const lines = [
    { SKU: 'OIL-1L', Name: 'Olive oil 1 L', Quantity: 12, Price: 8.5, Account: '999' },
    { SKU: 'VIN-500', Name: 'Balsamic vinegar 500 ml', Quantity: 6, Price: 11.25 },
  ];

  it('I2: when an account is unmapped and a dimension value is unknown in BC, then the record is needs-mapping listing both and nothing is sent to BC', async () => {
    // Arrange
    const sb = await start();
    await sb.deps.stores.mappings.upsert({ kind: 'dimension-default', source: '*', target: 'AREA=NORTH' });
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID, {}, { Lines: lines });

    // Act
    await announceInvoice(sb, purchase);
    await sb.settle();

    // Assert
    const [entry] = await sb.ledger('purchase-invoice');
    expect(entry?.state).toBe('needs-mapping');
    expect(entry?.missing).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^account:999\b/),
        expect.stringMatching(/^dimension:AREA=NORTH\b/),
      ]) as unknown,
    );
    expect(sb.faults.count({ system: 'bc', method: 'POST' })).toBe(0);
    expect(bcInvoices(sb)).toEqual([]);
  });

  it('I2: when the missing account mapping and dimension value are added and the record is replayed, then it is posted with the right account and dimension on every line', async () => {
    // Arrange
    const sb = await start();
    await sb.deps.stores.mappings.upsert({ kind: 'dimension-default', source: '*', target: 'AREA=NORTH' });
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID, {}, { Lines: lines });
    await announceInvoice(sb, purchase);
    await sb.settle();
    await sb.deps.stores.mappings.upsert({ kind: 'account', source: '999', target: '429' });
    sb.bc.addDimension('AREA', ['NORTH']);

    // Act
    await replayRecord('purchase-invoice', invoiceRecordId(purchase), sb.deps);
    await sb.settle();

    // Assert
    const [entry] = await sb.ledger('purchase-invoice');
    expect([entry?.state, entry?.missing]).toEqual(['posted', undefined]);
    const [invoice] = bcInvoices(sb);
    expect(invoice?.status).toBe('Open');
    expect(bcLines(sb, invoice).map((l) => [l.lineObjectNumber, l.dimensions])).toEqual([
      ['429', ['AREA=NORTH']],
      ['630', ['AREA=NORTH']],
    ]);
  });

  it.each([
    { problem: 'blocked', account: { number: '901', displayName: 'Blocked expenses', blocked: true } },
    {
      problem: 'direct posting is off',
      account: { number: '902', displayName: 'Payables control', directPosting: false },
    },
    {
      problem: 'account type is Heading',
      account: { number: '903', displayName: 'Expenses', accountType: 'Heading' as const },
    },
  ])(
    'I2: when a line codes to a G/L account that is $problem, then the record is needs-mapping and nothing is written to BC',
    async ({ problem, account }) => {
      // Arrange
      const sb = await start();
      sb.bc.addAccount({ accountType: 'Posting', directPosting: true, ...account });
      const { supplier } = addSupplierWithVendor(sb);
      const purchase = addAuthorisedPurchase(
        sb,
        supplier.ID,
        {},
        { Lines: [{ Name: 'Shelving', Quantity: 1, Price: 300, Account: account.number }] },
      );

      // Act
      await announceInvoice(sb, purchase);
      await sb.settle();

      // Assert
      const [entry] = await sb.ledger('purchase-invoice');
      expect(entry?.state).toBe('needs-mapping');
      expect(entry?.missing).toEqual([
        expect.stringContaining(`account:${account.number} (BC G/L account ${account.number}: ${problem}`),
      ]);
      expect(sb.faults.count({ system: 'bc', method: 'POST' })).toBe(0);
      expect(bcInvoices(sb)).toEqual([]);
    },
  );
});
