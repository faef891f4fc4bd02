import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DryRunReport } from '../../src/sync/admin/dry-run.js';
import { cin7PurchaseWatermark } from '../../src/sync/purchase/poll-cin7.js';
import type { LedgerEntry } from '../../src/core/ports/stores.js';
import type { RecordSummary } from '../../src/cli/sync-command.js';
import { startSandbox, type Sandbox } from '../sandbox/sandbox.js';
import { addAuthorisedPurchase, addSupplierWithVendor, seedMatchingReference } from '../support/seed.js';
import { runCliAgainst } from './cli-support.js';

describe('cin7-bc sync, mappings, records and replay', () => {
  let sandbox: Sandbox;
  let dir: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ azuriteConnectionString: inject('azuriteConnectionString'), cin7RateLimit: false });
    seedMatchingReference(sandbox);
    const { supplier } = addSupplierWithVendor(sandbox, 'Tuscan Groves');
    addAuthorisedPurchase(sandbox, supplier.ID, { Location: 'Main Warehouse' });
    // An invoice coded to an account BC does not have: it needs a mapping.
    addAuthorisedPurchase(
      sandbox,
      supplier.ID,
      {},
      { Lines: [{ SKU: 'FRT', Name: 'Sea freight', Quantity: 1, Price: 120, Account: '5100' }] },
    );
    await sandbox.deps.stores.mappings.upsert({
      kind: 'dimension-location',
      source: 'Main Warehouse',
      target: 'AREA=WEST',
    });
    dir = await mkdtemp(join(tmpdir(), 'cin7-bc-cli-'));
  });
  afterAll(() => sandbox?.close());

  const bcWrites = () =>
    ['POST', 'PATCH', 'PUT', 'DELETE'].reduce((n, method) => n + sandbox.faults.count({ system: 'bc', method }), 0);
  const cin7Writes = () =>
    ['POST', 'PUT', 'DELETE'].reduce((n, method) => n + sandbox.faults.count({ system: 'cin7', method }), 0);

  it('when sync --dry-run --json runs, then it shows the coded BC invoices and writes nothing to BC, Cin7 or storage', async () => {
    sandbox.faults.resetCounts();
    const mappingsBefore = await sandbox.deps.stores.mappings.list();

    const run = await runCliAgainst(sandbox, ['sync', '--dry-run', '--json']);

    expect(run.code).toBe(1);
    const report = run.json<DryRunReport>();
    expect(report.counts).toMatchObject({ 'would-create': 1, 'needs-mapping': 1 });
    const create = report.invoices.find((i) => i.outcome === 'would-create');
    expect(create?.vendor?.how).toBe('matched by tax-number');
    expect(
      create?.invoice?.purchaseInvoiceLines.map((l) => [
        l.lineType,
        l.lineObjectNumber,
        l.taxCode,
        l.dimensionSetLines,
      ]),
    ).toEqual([
      ['Account', '630', 'TAX ON PURCHASES', [{ code: 'AREA', valueCode: 'WEST' }]],
      ['Account', '630', 'TAX ON PURCHASES', [{ code: 'AREA', valueCode: 'WEST' }]],
    ]);
    expect(create?.totals).toMatchObject({ netAmount: 169.5, currency: 'USD' });
    expect(report.invoices.find((i) => i.outcome === 'needs-mapping')?.missing?.[0]).toContain('account:5100');

    expect(sandbox.faults.count({ system: 'bc' })).toBeGreaterThan(0);
    expect(bcWrites()).toBe(0);
    expect(cin7Writes()).toBe(0);
    expect(await sandbox.ledger()).toEqual([]);
    expect(await sandbox.deps.stores.mappings.list()).toEqual(mappingsBefore);
    expect(await sandbox.deps.stores.watermarks.get(cin7PurchaseWatermark)).toBeUndefined();
    expect(sandbox.bc.data.purchaseInvoices.rows.size).toBe(0);
  });

  it('when sync --dry-run runs for people, then each invoice is printed with vendor, lines and totals', async () => {
    const run = await runCliAgainst(sandbox, ['sync', '--dry-run']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('[WOULD-CREATE]');
    expect(run.stdout).toContain('vendor ');
    expect(run.stdout).toMatch(/Account\s+630\s+Olive oil 1 L\s+12 x 8\.50\s+tax TAX ON PURCHASES\s+AREA=WEST/);
    expect(run.stdout).toContain('net 169.50 USD');
    expect(run.stdout).toContain('[NEEDS-MAPPING]');
    expect(run.stderr).toContain('listing Cin7 purchases');
    expect(await sandbox.ledger()).toEqual([]);
  });

  it('when sync runs, then the coded invoice is posted, the other parked, and the exit code is 1', async () => {
    const run = await runCliAgainst(sandbox, ['sync', '--json']);
    expect(run.code).toBe(1);
    const summary = run.json<{ records: RecordSummary[]; counts: Record<string, number>; needsAttention: number }>();
    expect(summary.counts).toEqual({ posted: 1, 'needs-mapping': 1 });
    expect(summary.needsAttention).toBe(1);
    expect(sandbox.bc.data.purchaseInvoices.rows.size).toBe(1);
    expect(run.stderr).toContain('[2/2]');
  });

  it('when records are listed by state, then the parked record is the one shown', async () => {
    const run = await runCliAgainst(sandbox, ['records', '--state', 'needs-mapping', '--json']);
    expect(run.code).toBe(0);
    const items = run.json<{ items: LedgerEntry[] }>().items;
    expect(items.map((e) => e.state)).toEqual(['needs-mapping']);
  });

  it('when a CSV has bad rows, then every bad line is reported, nothing is imported and the exit code is 2', async () => {
    const file = join(dir, 'bad.csv');
    await writeFile(
      file,
      'kind,source,target,note\naccount,5100,429,freight\nwarehouse,x,y,\ndimension-location,East,EAST,\n',
    );
    const before = await sandbox.deps.stores.mappings.list();
    const run = await runCliAgainst(sandbox, ['mappings', 'import', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('nothing was written');
    expect(run.stderr).toContain('line 3: kind:');
    expect(run.stderr).toContain('line 4: target: must be DIMENSION=VALUE');
    expect(await sandbox.deps.stores.mappings.list()).toEqual(before);
  });

  it('when a good CSV is imported and the parked record replayed, then it is posted and the exit code is 0', async () => {
    const file = join(dir, 'good.csv');
    await writeFile(file, 'kind,source,target,note\naccount,5100,429,"freight, sea"\n');
    const imported = await runCliAgainst(sandbox, ['mappings', 'import', file]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('Imported 1 mapping(s)');

    const exported = await runCliAgainst(sandbox, ['mappings', 'export', '--kind', 'account']);
    expect(exported.stdout).toBe('kind,source,target,note\naccount,5100,429,"freight, sea"\n');

    const parked = (await sandbox.ledger('purchase-invoice')).find((e) => e.state === 'needs-mapping')!;
    const replay = await runCliAgainst(sandbox, ['replay', 'purchase-invoice', parked.recordId]);
    expect(replay.code).toBe(0);
    expect(replay.stdout).toContain('needs-mapping → posted');
    expect((await sandbox.deps.stores.ledger.get('purchase-invoice', parked.recordId))?.value.state).toBe('posted');
    expect(sandbox.bc.data.purchaseInvoices.rows.size).toBe(2);
  });

  it('when a posted record is replayed, then no second BC invoice is created', async () => {
    const posted = (await sandbox.ledger('purchase-invoice'))[0]!;
    sandbox.faults.resetCounts();
    const run = await runCliAgainst(sandbox, ['replay', 'purchase-invoice', posted.recordId, '--json']);
    expect(run.code).toBe(0);
    expect(run.json<{ after: LedgerEntry }>().after.state).toBe('posted');
    expect(sandbox.faults.count({ system: 'bc', method: 'POST' })).toBe(0);
    expect(sandbox.bc.data.purchaseInvoices.rows.size).toBe(2);
  });

  it('when sync runs again over purchases unchanged since they were posted, then no purchase is read and the summary counts them', async () => {
    sandbox.faults.resetCounts();

    const run = await runCliAgainst(sandbox, ['sync', '--json']);

    expect(run.code).toBe(0);
    expect(run.json<{ listed: number; enqueued: number; unchanged: number }>()).toMatchObject({
      listed: 2,
      enqueued: 0,
      unchanged: 2,
    });
    expect(sandbox.faults.count({ system: 'cin7', path: /advanced-purchase/ })).toBe(0);
    const human = await runCliAgainst(sandbox, ['sync']);
    expect(human.stdout).toContain('2 purchase(s) not read again: unchanged in Cin7 since last processed');
  });

  it('when sync --force runs, then every listed purchase is read again and nothing new is created in BC', async () => {
    sandbox.faults.resetCounts();

    const run = await runCliAgainst(sandbox, ['sync', '--force', '--json']);

    expect(run.code).toBe(0);
    expect(run.json<{ enqueued: number; unchanged: number }>()).toMatchObject({ enqueued: 2, unchanged: 0 });
    expect(sandbox.faults.count({ system: 'cin7', path: /advanced-purchase/ })).toBe(2);
    expect(sandbox.faults.count({ system: 'bc', method: 'POST' })).toBe(0);
    expect(sandbox.bc.data.purchaseInvoices.rows.size).toBe(2);
  });

  it('when an unknown record is replayed, then the exit code is 2 and the error says how to find ids', async () => {
    const run = await runCliAgainst(sandbox, ['replay', 'purchase-invoice', 'nope/nope']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('run cin7-bc records to find its id');
  });
});
