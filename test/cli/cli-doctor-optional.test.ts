/** Issue 14: gaps that stop no invoice (a location or category without a dimension rule) do not fail doctor. */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DoctorReport } from '../../src/sync/admin/doctor.js';
import { startSandbox, type Sandbox } from '../sandbox/sandbox.js';
import { addSupplierWithVendor, seedMatchingReference } from '../support/seed.js';
import { runCliAgainst } from './cli-support.js';

describe('cin7-bc doctor with optional gaps only', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ azuriteConnectionString: inject('azuriteConnectionString'), cin7RateLimit: false });
    seedMatchingReference(sandbox);
    addSupplierWithVendor(sandbox, 'Tuscan Groves');
    // Every account resolves; the seeded location and category have no dimension rule.
    await sandbox.deps.stores.mappings.upsert({ kind: 'account', source: '800', target: '630' });
  });
  afterAll(() => sandbox?.close());

  it('when only locations and categories lack a dimension rule, then --json marks them optional and the exit code is 0', async () => {
    const run = await runCliAgainst(sandbox, ['doctor', '--json']);

    const report = run.json<DoctorReport>();
    expect(run.code).toBe(0);
    expect([report.gapCount, report.blockingGapCount]).toEqual([2, 0]);
    expect([...report.gaps.locations, ...report.gaps.categories].map((g) => [g.source, g.blocking])).toEqual([
      ['Main Warehouse', false],
      ['General', false],
    ]);
  });

  it('when run for people, then the optional gaps are listed as optional and nothing is called blocking', async () => {
    const run = await runCliAgainst(sandbox, ['doctor']);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No blocking gaps: invoices can sync unattended. 2 optional gap(s):');
    expect(run.stdout).toContain('locations (1, optional: invoices post without the dimension)');
  });

  it('when an account code has no match, then it is a blocking gap and the exit code is 1', async () => {
    sandbox.cin7.addAccount({ Code: '5100', Name: 'Freight Charges' });

    const run = await runCliAgainst(sandbox, ['doctor', '--json']);

    expect(run.code).toBe(1);
    expect(run.json<DoctorReport>()).toMatchObject({ blockingGapCount: 1, gaps: { accounts: [{ blocking: true }] } });
  });
});
