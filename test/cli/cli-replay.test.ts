/** Issue 14: `records` as an operator reads it, and `replay` by short id, PO number, invoice number and state. */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { LedgerEntry } from '../../src/core/ports/stores.js';
import { startSandbox, type Sandbox } from '../sandbox/sandbox.js';
import { addAuthorisedPurchase, addSupplierWithVendor, seedMatchingReference } from '../support/seed.js';
import { runCliAgainst } from './cli-support.js';

const freight = (account: string) => ({
  Status: 'AUTHORISED' as const,
  Lines: [{ SKU: 'FRT', Name: 'Sea freight', Quantity: 1, Price: 120, Account: account }],
});

describe('cin7-bc records and replay by reference', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ azuriteConnectionString: inject('azuriteConnectionString'), cin7RateLimit: false });
    seedMatchingReference(sandbox);
    const { supplier } = addSupplierWithVendor(sandbox, 'Tuscan Groves');
    addAuthorisedPurchase(sandbox, supplier.ID, { OrderNumber: 'PO-00101' });
    // Two invoices of one purchase, both coded to accounts BC lacks, and a third invoice elsewhere.
    sandbox.cin7.addPurchase({
      SupplierID: supplier.ID,
      OrderNumber: 'PO-00102',
      invoices: [
        { ...freight('5100'), InvoiceNumber: 'INV-A1' },
        { ...freight('5200'), InvoiceNumber: 'INV-A2' },
      ],
    });
    addAuthorisedPurchase(
      sandbox,
      supplier.ID,
      { OrderNumber: 'PO-00103' },
      { ...freight('5300'), InvoiceNumber: 'INV-B1' },
    );
    expect((await runCliAgainst(sandbox, ['sync'])).code).toBe(1);
  });
  afterAll(() => sandbox?.close());

  const state = async (label: string) =>
    (await sandbox.ledger('purchase-invoice')).find((e) => e.label === label)?.state;

  it('when records are listed, then a header names the columns and each row has a short id, the PO and the Cin7 invoice number', async () => {
    const run = await runCliAgainst(sandbox, ['records', '--type', 'purchase-invoice']);

    expect(run.code).toBe(0);
    const [header, ...rows] = run.stdout.trimEnd().split('\n');
    expect(header?.split(/\s+/)).toEqual(['ID', 'TYPE', 'STATE', 'SOURCE', 'INVOICE', 'BC', 'UPDATED', 'REASON']);
    const a2 = rows.find((r) => r.includes('INV-A2'));
    expect(a2).toMatch(/^\S{8,17}\s+purchase-invoice\s+needs-mapping\s+PO-00102\s+INV-A2\s/);
    expect(rows.at(-1)).toBe('4 record(s).');
  });

  it('when records are listed as JSON, then each carries a short id that names it alone', async () => {
    const items = (await runCliAgainst(sandbox, ['records', '--json'])).json<{
      items: Array<LedgerEntry & { shortId: string; invoiceNumber?: string }>;
    }>().items;
    const shortIds = items.map((i) => i.shortId);
    expect(new Set(shortIds).size).toBe(items.length);
    for (const item of items) expect(item.shortId.length).toBeLessThan(item.recordId.length);
    expect(
      items
        .filter((i) => i.invoiceNumber?.startsWith('INV-A'))
        .map((i) => i.invoiceNumber)
        .sort(),
    ).toEqual(['INV-A1', 'INV-A2']);
  });

  it('when a record is replayed by the short id records printed, then that record alone is replayed', async () => {
    await sandbox.deps.stores.mappings.upsert({ kind: 'account', source: '5300', target: '429' });
    const items = (await runCliAgainst(sandbox, ['records', '--json'])).json<{
      items: Array<LedgerEntry & { shortId: string; invoiceNumber?: string }>;
    }>().items;
    const b1 = items.find((i) => i.invoiceNumber === 'INV-B1')!;

    const run = await runCliAgainst(sandbox, ['replay', b1.shortId]);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^PO-00103 \/ INV-B1: needs-mapping → posted \(BC /);
    expect(await state('PO-00102 / INV-A1')).toBe('needs-mapping');
  });

  it('when a PO number is replayed, then every invoice of the purchase is replayed and each new state printed', async () => {
    await sandbox.deps.stores.mappings.upsert({ kind: 'account', source: '5100', target: '429' });

    const run = await runCliAgainst(sandbox, ['replay', 'PO-00102', '--json']);

    expect(run.code).toBe(1);
    const result = run.json<{ records: Array<{ label: string; before: string; after: LedgerEntry }> }>();
    expect(result.records.map((r) => [r.label, r.before, r.after.state]).sort()).toEqual([
      ['PO-00102 / INV-A1', 'needs-mapping', 'posted'],
      ['PO-00102 / INV-A2', 'needs-mapping', 'needs-mapping'],
    ]);
  });

  it('when an invoice number is replayed, then the one invoice with that number is replayed', async () => {
    await sandbox.deps.stores.mappings.upsert({ kind: 'account', source: '5200', target: '429' });

    const run = await runCliAgainst(sandbox, ['replay', 'inv-a2']);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('PO-00102 / INV-A2: needs-mapping → posted');
  });

  it('when records in a state are replayed, then each is replayed without asking and a summary counts the outcomes', async () => {
    const posted = (await sandbox.ledger('purchase-invoice')).filter((e) => e.state === 'posted').length;
    sandbox.faults.resetCounts();

    const run = await runCliAgainst(sandbox, ['replay', '--state', 'posted', '--type', 'purchase-invoice']);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Replayed ${posted} record(s) in state posted.`);
    expect(run.stdout).toContain(`Summary: ${posted} posted.`);
    expect(sandbox.faults.count({ system: 'bc', method: 'POST' })).toBe(0);
  });

  it('when a short id is the start of several record ids, then nothing is replayed and the exit code is 2', async () => {
    const invoices = (await sandbox.ledger('purchase-invoice')).filter((e) => e.sourceNumber === 'PO-00102');
    expect(invoices).toHaveLength(2);
    const purchasePart = invoices[0]!.recordId.slice(0, 8);
    sandbox.faults.resetCounts();

    const run = await runCliAgainst(sandbox, ['replay', purchasePart]);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${purchasePart} is the start of 2 record ids`);
    expect(sandbox.faults.count({ system: 'cin7', path: /advanced-purchase/ })).toBe(0);
  });

  it('when nothing matches the reference, then the exit code is 2 and the error says how to find ids', async () => {
    const run = await runCliAgainst(sandbox, ['replay', 'PO-99999']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no record matches PO-99999; run cin7-bc records to find its id');
  });
});
