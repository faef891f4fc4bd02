/**
 * The chaos suite at CI size (issue 6): 60 purchases of every shape under faults on every simulator
 * endpoint, worker crashes and redeliveries, overlapping triggers and replays. Invariants 1 and 4.
 * Locally at full size: `npm run test:chaos -- --purchases 500 --seed 42`.
 */
import { describe, expect, inject, it } from 'vitest';
import { formatChaosReport, runChaos } from './chaos.js';

const seed = 4242;

describe('chaos', () => {
  it(
    'I1/I4: when 60 purchases sync through throttling, 5xx, dropped and lost answers, expiring tokens, worker crashes, supplier remaps and Cin7 edits and deletions mid-flight, then no invoice is duplicated, no draft is orphaned, every record ends visibly and every eligible invoice is posted or failed with a reason',
    { timeout: 60_000 },
    async () => {
      // Act
      const report = await runChaos({
        purchases: 60,
        seed,
        azuriteConnectionString: inject('azuriteConnectionString'),
      });

      // Assert
      const summary = formatChaosReport(report).join('\n');
      expect(report.problems, summary).toEqual([]);
      expect(report.duplicates).toEqual([]);
      expect(report.duplicateMemos).toEqual([]);
      expect(report.bcMemos.posted, summary).toBeGreaterThan(0);
      expect(report.notFinal).toEqual([]);
      expect(report.orphanDrafts).toEqual([]);
      // Remaps, edits and deletions in Cin7 really happened mid-flight.
      expect(report.mischief.remaps * report.mischief.edits * report.mischief.removals, summary).toBeGreaterThan(0);
      expect(report.worker.deadLettered).toBe(0);
      expect(report.bcInvoices.posted + report.failed.length, summary).toBeGreaterThanOrEqual(report.expectedPosted);
      // The run really was chaotic: faults of every family, crashes and redeliveries happened.
      expect(Object.keys(report.faultsInjected).length, summary).toBeGreaterThanOrEqual(5);
      expect(report.worker.crashes, summary).toBeGreaterThan(0);
      expect(report.worker.redeliveries, summary).toBeGreaterThan(0);
      // The purchase flow posts and reads back in one $batch.
      expect(report.apiCalls.bcBatchOperations, summary).toBeGreaterThan(0);
    },
  );
});
