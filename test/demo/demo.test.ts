import { beforeAll, describe, expect, inject, it } from 'vitest';
import { runDemo, type DemoResult } from './demo-runner.js';
import { buildScenario } from './scenario.js';

describe('npm run demo (the same scenario, smaller)', () => {
  let result: DemoResult;
  beforeAll(async () => {
    result = await runDemo({ purchases: 60, seed: 7, azuriteConnectionString: inject('azuriteConnectionString') });
  }, 120_000);

  it('when the scenario is built twice from one seed, then it is the same scenario', () => {
    const strip = (s: ReturnType<typeof buildScenario>) => JSON.stringify({ ...s, purchases: s.purchases.map((p) => ({ ...p, orderDate: 0, invoices: p.invoices.map((i) => ({ ...i, invoiceDate: 0 })) })) });
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
});
