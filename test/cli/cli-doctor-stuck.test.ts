/** Issue 11 item 4: `doctor` lists records stuck in creating/created past STUCK_RECORD_MINUTES and asks for attention. */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DoctorReport } from '../../src/sync/admin/doctor.js';
import type { LedgerEntry } from '../../src/core/ports/stores.js';
import { startSandbox, type Sandbox } from '../sandbox/sandbox.js';
import { addSupplierWithVendor, seedMatchingReference } from '../support/seed.js';
import { runCliAgainst } from './cli-support.js';

const HOUR = 3_600_000;

describe('cin7-bc doctor and stuck records', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ azuriteConnectionString: inject('azuriteConnectionString'), cin7RateLimit: false });
    seedMatchingReference(sandbox);
    addSupplierWithVendor(sandbox, 'Tuscan Groves');
    // Close every gap the seeded Cin7 defaults leave, so only stuck records can ask for attention.
    for (const mapping of [
      { kind: 'account', source: '800', target: '630' },
      { kind: 'dimension-location', source: 'Main Warehouse', target: 'AREA=WEST' },
      { kind: 'dimension-category', source: 'General', target: 'DEPARTMENT=PURCHASING' },
    ] as const)
      await sandbox.deps.stores.mappings.upsert(mapping);
  });
  afterAll(() => sandbox?.close());

  const record = (recordId: string, state: LedgerEntry['state'], ageMs: number): LedgerEntry => ({
    recordType: 'purchase-invoice',
    recordId,
    state,
    correlationId: recordId,
    label: `PO-${recordId} / INV-1`,
    attempts: 1,
    updatedAt: new Date(Date.now() - ageMs).toISOString(),
  });

  it('when no record is stuck and nothing has a gap, then doctor exits 0', async () => {
    // Arrange
    await sandbox.deps.stores.ledger.create(record('fresh', 'creating', 5 * 60_000));

    // Act
    const run = await runCliAgainst(sandbox, ['doctor', '--json']);

    // Assert
    const report = run.json<DoctorReport>();
    expect([report.gapCount, report.stuckRecords.records]).toEqual([0, []]);
    expect(run.code).toBe(0);
  });

  it('when records sit in created and creating past STUCK_RECORD_MINUTES, then doctor lists them oldest first with label and age, and exits 1', async () => {
    // Arrange
    await sandbox.deps.stores.ledger.create(record('p1/i1', 'created', 2 * HOUR + 5 * 60_000));
    await sandbox.deps.stores.ledger.create(record('p2/i1', 'creating', 26 * HOUR));
    await sandbox.deps.stores.ledger.create(record('p3/i1', 'posted', 30 * HOUR));

    // Act
    const json = await runCliAgainst(sandbox, ['doctor', '--json']);
    const text = await runCliAgainst(sandbox, ['doctor']);

    // Assert
    const report = json.json<DoctorReport>();
    expect(report.stuckRecords.records.map((r) => [r.label, r.state, r.ageMinutes])).toEqual([
      ['PO-p2/i1 / INV-1', 'creating', 1560],
      ['PO-p1/i1 / INV-1', 'created', 125],
    ]);
    expect(json.code).toBe(1);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('2 record(s) stuck in creating/created for more than 60 min (STUCK_RECORD_MINUTES)');
    expect(text.stdout).toContain(
      'purchase-invoice PO-p2/i1 / INV-1: creating for 1 d 2 h [replay purchase-invoice p2/i1]',
    );
    expect(text.stdout).toContain('purchase-invoice PO-p1/i1 / INV-1: created for 2 h 5 min');
  });
});
