import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DoctorReport } from '../../src/sync/admin/doctor.js';
import { startSandbox, type Sandbox } from '../sandbox/sandbox.js';
import { addSupplierWithVendor, seedMatchingReference } from '../support/seed.js';
import { runCliAgainst } from './cli-support.js';

describe('cin7-bc doctor', () => {
  let sandbox: Sandbox;
  let orphanId: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ azuriteConnectionString: inject('azuriteConnectionString'), cin7RateLimit: false });
    seedMatchingReference(sandbox);
    // The scenario: most values match by default, a few do not.
    addSupplierWithVendor(sandbox, 'Tuscan Groves');
    orphanId = addSupplierWithVendor(sandbox, 'Nordic Oils', { vendor: false }).supplier.ID;
    sandbox.cin7.addAccount({ Code: '5100', Name: 'Freight Charges' });
    sandbox.cin7.addTaxRule({ Name: 'GST on Imports', IsTaxForPurchase: true, IsActive: true, TaxPercent: 15 });
    sandbox.cin7.addTaxRule({ Name: 'Export sales', IsTaxForPurchase: false, IsActive: true, TaxPercent: 0 });
    sandbox.cin7.addLocation('East Warehouse');
    sandbox.cin7.addCategory('Oils');
    await sandbox.deps.stores.mappings.upsert({
      kind: 'dimension-location',
      source: 'Main Warehouse',
      target: 'AREA=WEST',
    });
    await sandbox.deps.stores.mappings.upsert({
      kind: 'dimension-category',
      source: 'General',
      target: 'DEPARTMENT=PURCHASING',
    });
  });
  afterAll(() => sandbox?.close());

  it('when some Cin7 values have no mapping or default match, then --json lists every gap and the exit code is 1', async () => {
    const run = await runCliAgainst(sandbox, ['doctor', '--json']);
    expect(run.code).toBe(1);
    const report = run.json<DoctorReport>();
    expect(report.connected).toBe(true);
    expect(report.bc.configuredCompany.found).toBe(true);
    expect(report.gaps.accounts.map((g) => g.source)).toEqual(['800', '5100']);
    expect(report.gaps.accounts[0]?.reason).toContain('direct posting is off');
    expect(report.gaps.taxRules.map((g) => g.source)).toEqual(['GST on Imports']);
    expect(report.gaps.suppliers.map((g) => [g.source, g.name])).toEqual([[orphanId.toLowerCase(), 'Nordic Oils']]);
    expect(report.gaps.locations.map((g) => g.source)).toEqual(['East Warehouse']);
    expect(report.gaps.categories.map((g) => g.source)).toEqual(['Oils']);
    expect(report.gapCount).toBe(6);
    expect(report.counts).toMatchObject({ cin7: { suppliers: 2 }, bc: { vendors: 1, items: 0, dimensions: 2 } });
  });

  it('when run for people, then both connections, the counts and each gap are printed', async () => {
    const run = await runCliAgainst(sandbox, ['doctor']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('Business Central: connected');
    expect(run.stdout).toContain('(configured)');
    expect(run.stdout).toContain('Cin7 Core: connected');
    expect(run.stdout).toContain('BC:   1 vendors, 0 items');
    for (const gap of ['5100', 'GST on Imports', 'Nordic Oils', 'East Warehouse', 'Oils'])
      expect(run.stdout).toContain(gap);
    expect(run.stderr).toContain('connecting to Business Central');
  });

  it('when the Cin7 key is wrong, then the Cin7 failure is reported and the exit code is 3', async () => {
    const run = await runCliAgainst(sandbox, ['doctor'], { CIN7_APPLICATION_KEY: 'wrong-key' });
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('Cin7 Core: FAILED');
    expect(run.stdout).not.toContain('wrong-key');
  });

  it('when BC_COMPANY_ID names a company the app cannot see, then the exit code is 2 and the visible companies are listed', async () => {
    const run = await runCliAgainst(sandbox, ['doctor'], { BC_COMPANY_ID: '00000000-0000-4000-8000-000000000000' });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('BC_COMPANY_ID 00000000-0000-4000-8000-000000000000 is not among the 1 companies');
  });

  it('when the suggestions are saved as a file and imported, then doctor no longer lists the gap they close', async () => {
    const suggest = await runCliAgainst(sandbox, ['mappings', 'suggest']);
    expect(suggest.code).toBe(0);
    expect(suggest.stdout.split('\n')[0]).toBe('kind,source,target,note');
    expect(suggest.stdout).toContain('dimension-location,East Warehouse,AREA=EAST,');
    expect(await sandbox.deps.stores.mappings.list()).toHaveLength(2);

    const file = join(await mkdtemp(join(tmpdir(), 'cin7-bc-suggest-')), 'suggested.csv');
    await writeFile(file, suggest.stdout);
    const imported = await runCliAgainst(sandbox, ['mappings', 'import', file]);
    expect(imported.code).toBe(0);

    const after = (await runCliAgainst(sandbox, ['doctor', '--json'])).json<DoctorReport>();
    expect(after.gaps.locations).toEqual([]);
  });
});
