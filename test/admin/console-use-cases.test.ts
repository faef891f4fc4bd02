import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pollCin7Purchases } from '../../src/sync/purchase/poll-cin7.js';
import { readActivity, readOverview } from '../../src/sync/admin/overview.js';
import { listGaps, parseGap } from '../../src/sync/admin/gaps.js';
import { listTargets } from '../../src/sync/admin/targets.js';
import { skipRecord } from '../../src/sync/admin/skip-record.js';
import { skipRecords } from '../../src/sync/admin/bulk.js';
import { buildCodedInvoice } from '../../src/sync/admin/coded-invoice.js';
import { findRecords } from '../../src/sync/admin/find-records.js';
import { replayRecords } from '../../src/sync/admin/records.js';
import { upsertMapping } from '../../src/sync/admin/mappings.js';
import type { LedgerEntry } from '../../src/core/ports/stores.js';
import { startSandbox, type Sandbox } from '../sandbox/sandbox.js';
import { addAuthorisedPurchase, addSupplierWithVendor, seedMatchingReference } from '../support/seed.js';

const unknownAccountLines = [
  { SKU: 'OIL-1L', Name: 'Olive oil 1 L', Quantity: 2, Price: 10, Account: '477' },
  { SKU: 'VIN-500', Name: 'Balsamic vinegar 500 ml', Quantity: 1, Price: 5, Account: '477' },
];

describe('console use cases', () => {
  let sandbox: Sandbox;
  let orphanSupplierId: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ azuriteConnectionString: inject('azuriteConnectionString') });
    seedMatchingReference(sandbox);
    const { supplier } = addSupplierWithVendor(sandbox, 'Tuscan Groves');
    addAuthorisedPurchase(sandbox, supplier.ID);
    addAuthorisedPurchase(sandbox, supplier.ID, {}, { Lines: unknownAccountLines });
    addAuthorisedPurchase(sandbox, supplier.ID, {}, { Lines: unknownAccountLines });
    const orphan = addSupplierWithVendor(sandbox, 'Umbrian Mills', { vendor: false });
    orphanSupplierId = orphan.supplier.ID;
    addAuthorisedPurchase(sandbox, orphan.supplier.ID);
    await pollCin7Purchases(sandbox.deps);
    await sandbox.settle();
  });
  afterAll(() => sandbox?.close());

  const parkedFor = async (gap: string): Promise<LedgerEntry[]> =>
    (await sandbox.ledger('purchase-invoice')).filter(
      (e) => e.state === 'needs-mapping' && (e.missing ?? []).some((m) => m.startsWith(gap)),
    );

  it('when a gap text carries an explanation, then its kind, value and explanation are told apart', () => {
    expect(parseGap('account:477 (no BC G/L account 477)')).toEqual({
      kind: 'account',
      value: '477',
      explanation: 'no BC G/L account 477',
    });
  });

  it('when the overview is read, then its counts equal the ledger by type and state', async () => {
    const overview = await readOverview(sandbox.deps);
    const ledger = await sandbox.ledger();
    const expected: Record<string, Record<string, number>> = {};
    for (const e of ledger) {
      const byState = (expected[e.recordType] ??= {});
      byState[e.state] = (byState[e.state] ?? 0) + 1;
    }
    for (const [type, byState] of Object.entries(expected)) expect(overview.counts[type as 'item']).toEqual(byState);
    expect(overview.total).toBe(ledger.length);
    expect(overview.attention.map((a) => a.state)).toContain('needs-mapping');
    expect(overview.sources.find((s) => s.source === 'Cin7 purchases')?.lastPoll).toBeDefined();
  });

  it('when invoices share a missing account, then the gaps list them once with their count and amount', async () => {
    const report = await listGaps(sandbox.deps);
    const group = report.groups.find((g) => g.key === 'account:477');
    expect(group?.count).toBe(2);
    // Each invoice: 25.00 of lines plus 10 % purchase tax.
    expect(group?.amount).toBe(2 * 27.5);
    expect(group?.fix).toEqual({ mappingKind: 'account', source: '477', target: 'account' });
  });

  it('when a supplier has no vendor, then its gap offers a supplier mapping from the Cin7 supplier id', async () => {
    const report = await listGaps(sandbox.deps);
    const group = report.groups.find((g) => g.kind === 'vendor');
    expect(group?.fix?.mappingKind).toBe('supplier');
    expect(group?.fix?.source.toLowerCase()).toBe(orphanSupplierId.toLowerCase());
  });

  it('when account targets are listed, then only accounts that take direct posting come back', async () => {
    const all = await listTargets(sandbox.deps, { kind: 'account' });
    expect(all.items.map((t) => t.value)).toContain('429');
    expect(all.items.map((t) => t.value)).not.toContain('800');
    const searched = await listTargets(sandbox.deps, { kind: 'account', search: 'freight' });
    expect(searched.items).toEqual([{ value: '820', label: 'Freight in' }]);
  });

  it("when records are searched by part of the supplier name, then only that vendor's records come back", async () => {
    // Only records coded to a BC vendor carry one (the posted invoice; the parked ones stopped before).
    const posted = (await sandbox.ledger('purchase-invoice')).find((e) => e.state === 'posted')!;
    const found = await findRecords(sandbox.deps, { supplier: 'tuscan' });
    expect(found.items.map((e) => e.recordId)).toEqual([posted.recordId]);
    expect(found.vendorNames).toEqual({ [posted.vendorNumber!]: 'Tuscan Groves' });
    expect((await findRecords(sandbox.deps, { supplier: 'umbrian' })).total).toBe(0);
  });

  it('when records are searched by a PO number, then every invoice of that purchase is found', async () => {
    const posted = (await sandbox.ledger('purchase-invoice')).find((e) => e.state === 'posted')!;
    const found = await findRecords(sandbox.deps, { text: posted.sourceNumber!.toLowerCase() });
    expect(found.items.map((e) => e.recordId)).toEqual([posted.recordId]);
  });

  it('when a selection mixes a posted record and an unknown id, then both are reported and neither is skipped', async () => {
    const posted = (await sandbox.ledger('purchase-invoice')).find((e) => e.state === 'posted')!;
    const result = await skipRecords(
      sandbox.deps,
      {
        records: [
          { type: 'purchase-invoice', id: posted.recordId },
          { type: 'purchase-invoice', id: 'no-such/record' },
        ],
        reason: 'clean-up',
      },
      'ada@example.com',
    );
    expect(result.skipped).toEqual([]);
    expect(result.refused).toEqual([
      { type: 'purchase-invoice', id: posted.recordId, reason: expect.stringMatching(/is posted/) as string },
    ]);
    expect(result.notFound).toEqual([{ type: 'purchase-invoice', id: 'no-such/record' }]);
  });

  it('when a posted record is asked to be skipped, then it is refused and stays posted', async () => {
    const posted = (await sandbox.ledger('purchase-invoice')).find((e) => e.state === 'posted')!;
    const outcome = await skipRecord(
      sandbox.deps,
      { type: 'purchase-invoice', id: posted.recordId, reason: 'test' },
      'ada@example.com',
    );
    expect(outcome).toMatchObject({ ok: false, problem: 'refused' });
    expect((await sandbox.deps.stores.ledger.get('purchase-invoice', posted.recordId))?.value.state).toBe('posted');
  });

  it('when a posted record is coded, then its lines and BC total are shown against the Cin7 total', async () => {
    const posted = (await sandbox.ledger('purchase-invoice')).find((e) => e.state === 'posted')!;
    const outcome = await buildCodedInvoice(sandbox.deps, posted);
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.coded.invoice?.purchaseInvoiceLines.length).toBeGreaterThan(0);
    expect(outcome.coded.bc?.total).toBeCloseTo(outcome.coded.cin7.total, 2);
  });

  it('when the activity is read, then the posted invoices of the last hours are counted', async () => {
    const activity = await readActivity(sandbox.deps, { hours: 24 });
    const posted = (await sandbox.ledger('purchase-invoice')).filter((e) => e.state === 'posted').length;
    expect(activity.hours).toHaveLength(24);
    expect(activity.hours.reduce((sum, h) => sum + h.posted, 0)).toBe(posted);
  });

  it('when the account gap is mapped and its records replayed, then they are posted', async () => {
    const parked = await parkedFor('account:477');
    await upsertMapping(sandbox.deps, { kind: 'account', source: '477', target: '429' });
    const replay = await replayRecords(sandbox.deps, {
      records: parked.map((e) => ({ type: e.recordType, id: e.recordId })),
    });
    expect(replay.queued).toHaveLength(2);
    await sandbox.settle();
    for (const entry of parked)
      expect((await sandbox.deps.stores.ledger.get('purchase-invoice', entry.recordId))?.value.state).toBe('posted');
  });

  it('when an operator skips a parked record with a reason, then it is skipped and the decision is audited', async () => {
    const [parked] = await parkedFor('vendor:');
    const outcome = await skipRecord(
      sandbox.deps,
      { type: 'purchase-invoice', id: parked!.recordId, reason: 'entered in BC by hand' },
      'ada@example.com',
    );
    expect(outcome.ok).toBe(true);
    const entry = (await sandbox.deps.stores.ledger.get('purchase-invoice', parked!.recordId))?.value;
    expect(entry?.state).toBe('skipped');
    expect(entry?.reason).toBe('skipped by ada@example.com: entered in BC by hand');
    const audit = await sandbox.deps.stores.audit.list('purchase-invoice', parked!.recordId);
    expect(audit.find((a) => a.step === 'operator-skip')).toMatchObject({
      trigger: 'operator',
      details: { operator: 'ada@example.com', previousState: 'needs-mapping' },
    });
  });

  it('when skipping by state finds nothing left in it, then nothing is skipped or refused', async () => {
    const result = await skipRecords(sandbox.deps, { state: 'needs-mapping', reason: 'clean-up' }, 'ada@example.com');
    expect(result).toEqual({ skipped: [], refused: [], notFound: [], truncated: false });
  });
});
