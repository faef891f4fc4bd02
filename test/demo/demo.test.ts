import { beforeAll, describe, expect, inject, it } from 'vitest';
import { runDemo, type DemoResult } from './demo-runner.js';
import { buildScenario } from './scenario.js';

describe('npm run demo (the same scenario, smaller)', () => {
  let result: DemoResult;
  beforeAll(async () => {
    result = await runDemo({ purchases: 60, seed: 7, azuriteConnectionString: inject('azuriteConnectionString') });
  }, 120_000);

  it('when the scenario is built twice from one seed, then it is the same scenario', () => {
    const strip = (s: ReturnType<typeof buildScenario>) =>
      JSON.stringify({
        ...s,
        purchases: s.purchases.map((p) => ({
          ...p,
          orderDate: 0,
          invoices: p.invoices.map((i) => ({ ...i, invoiceDate: 0 })),
        })),
      });
    expect(strip(buildScenario({ purchases: 60, seed: 7 }))).toBe(strip(buildScenario({ purchases: 60, seed: 7 })));
  });

  it('when the demo runs, then every outcome count is the one the scenario expects', () => {
    const { actual, expected } = result;
    expect({
      records: actual.records,
      posted: actual.posted,
      skipped: actual.skipped,
      needsMapping: actual.needsMapping,
      gaps: Object.fromEntries(Object.entries(actual.gaps).map(([gap, v]) => [gap, v.records])),
      amountMismatch: actual.amountMismatch.length,
      failed: actual.failed.map((f) => `${f.label}: ${f.reason}`),
      diverged: actual.diverged.length,
      unfinished: actual.unfinished.length,
      bcInvoices: result.bc.invoices,
    }).toEqual({
      records: expected.records,
      posted: expected.posted,
      skipped: expected.skipped,
      needsMapping: expected.needsMapping,
      gaps: expected.gaps,
      amountMismatch: expected.amountMismatch,
      failed: [],
      diverged: 0,
      unfinished: 0,
      bcInvoices: expected.bcInvoices,
    });
    expect(result.differences).toEqual([]);
  });

  it('when the demo runs, then the scenario covers every outcome kind', () => {
    const { expected } = result;
    expect(expected.posted).toBeGreaterThan(30);
    expect(Object.keys(expected.skipped).length).toBeGreaterThanOrEqual(4);
    expect(Object.keys(expected.gaps).sort()).toEqual(['account:477', 'account:640', 'account:715']);
    expect(expected.amountMismatch).toBe(1);
  });

  it('when returns are credited, then four memos post, the draft and the voided one are skipped, and the one crediting a parked invoice waited and then posted', () => {
    const { returns } = result;
    expect(returns.outcomes.map((o) => [o.kind, o.state])).toEqual([
      ['damaged-partial', 'posted'],
      ['full-return', 'posted'],
      ['eur-partial', 'posted'],
      ['draft', 'skipped'],
      ['voided', 'skipped'],
      ['waits-for-mapping', 'posted'],
    ]);
    expect(returns.waited).toEqual({
      state: 'needs-mapping',
      reason: expect.stringMatching(/posted-invoice:/) as unknown,
    });
    expect(returns.differences).toEqual([]);
  });

  it('I1: when a credit memo is applied, then its BC invoice owes exactly its memo less, and the full return leaves nothing owing', () => {
    const applied = result.returns.outcomes.flatMap((o) => (o.invoice ? [{ kind: o.kind, ...o.invoice }] : []));
    expect(applied).toHaveLength(4);
    for (const a of applied) expect(a.after).toBeCloseTo(Math.max(0, a.before - a.memoTotal), 2);
    expect(applied.find((a) => a.kind === 'full-return')?.after).toBe(0);
  });

  it('I1: when webhooks repeat and the poll overlaps them, then no vendor has two BC invoices with one vendor invoice number', () => {
    expect(result.queue.duplicatesDropped).toBeGreaterThan(0);
    expect(result.checks.duplicateVendorInvoiceNumbers).toEqual([]);
  });

  it('when invoices are posted, then every BC line carries the AREA and DEPARTMENT the rules give', () => {
    expect(result.checks.linesChecked).toBeGreaterThan(0);
    expect(result.checks.dimensionProblems).toEqual([]);
    expect(result.checks.headerProblems).toEqual([]);
  });

  it('when the webhooks are fired with the shared secret, then the webhook function accepts every one and nothing is dead-lettered', () => {
    expect(result.webhooks.rejected).toBe(0);
    expect(result.webhooks.accepted).toBe(result.webhooks.fired);
    expect(result.deadLettered).toBe(0);
  });

  it('when the connector is set up, then the Supplier/Updated webhook and the BC vendors and items subscriptions exist', () => {
    expect(result.setup.cin7Webhooks.map((h) => `${h.type} ${h.action}`)).toContain('Supplier/Updated created');
    expect(result.masterData.subscriptions.map((s) => `${s.resource} ${s.action}`).sort()).toEqual([
      'items created',
      'vendors created',
    ]);
  });

  it('when two new Cin7 suppliers are announced (and redelivered), then exactly two BC vendors are created with their fields and Cin7 is not written back', () => {
    const step = result.masterData.steps.find((s) => s.key === 'suppliers-to-vendors');
    expect(step?.problems).toEqual([]);
    expect(step?.checks.filter((c) => c.actual !== c.expected)).toEqual([]);
    expect(step?.writes).toEqual({ bc: 2, cin7: 0 });
  });

  it('when BC items are notified, then five Cin7 products are created with every required field and the existing SKU is updated in place, with nothing written to BC', () => {
    const step = result.masterData.steps.find((s) => s.key === 'items-to-products');
    expect(step?.problems).toEqual([]);
    expect(
      Object.fromEntries(step?.checks.map((c) => [c.label.replace(/ [A-Z]{3}-\d{3} /, ' '), c.actual]) ?? []),
    ).toEqual({
      'Cin7 products created': 5,
      'existing SKU updated in place': 1,
      'products with every required field as in BC': 6,
      'Cin7 writes (POST/PUT)': 6,
      'BC writes back (echo)': 0,
    });
  });

  it('when a vendor is edited in BC, then its Cin7 supplier gets the edit with one write and BC is not written back', () => {
    const step = result.masterData.steps.find((s) => s.key === 'vendor-edit');
    expect(step?.problems).toEqual([]);
    expect(step?.checks.filter((c) => c.actual !== c.expected)).toEqual([]);
    expect(step?.writes).toEqual({ bc: 0, cin7: 1 });
  });

  it('I6: when every notification and webhook has settled, then the echoes were recognised, every master-data record is synced, and the demo counts it as expected', () => {
    const m = result.masterData;
    // Two vendor notifications echoing the vendors the connector created, one Supplier/Updated echoing its PUT.
    expect(m.echoesSuppressed).toBeGreaterThanOrEqual(3);
    expect(m.cin7Webhooks.echoes).toBeGreaterThanOrEqual(1);
    expect(m.bcNotifications.delivered).toBeGreaterThan(0);
    expect(m.bcNotifications.accepted).toBe(m.bcNotifications.delivered);
    expect(m.notSynced).toEqual([]);
    expect({ supplier: m.ledger.supplier.synced, vendor: m.ledger.vendor.synced, item: m.ledger.item.synced }).toEqual({
      supplier: 2,
      vendor: 2,
      item: 6,
    });
    expect(m.differences).toEqual([]);
  });
});
