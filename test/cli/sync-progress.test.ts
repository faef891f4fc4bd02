import { describe, expect, it } from 'vitest';
import { createSyncProgress, estimateSecondsLeft, formatTimeLeft } from '../../src/cli/sync-progress.js';

describe('sync progress estimate', () => {
  it('when purchases remain, then the time left is at least what Cin7 allows (one read each at 60 a minute)', () => {
    expect(estimateSecondsLeft({ remaining: 120, done: 10, elapsedMs: 1_000, callsPerMinute: 60 })).toBe(120);
    expect(formatTimeLeft(120)).toBe('about 2 min left');
  });

  it('when the run has been slower than the budget, then the pace seen so far sets the estimate', () => {
    expect(estimateSecondsLeft({ remaining: 30, done: 10, elapsedMs: 40_000, callsPerMinute: 60 })).toBe(120);
    expect(formatTimeLeft(45)).toBe('about 45 s left');
    expect(formatTimeLeft(2 * 3600 + 300)).toBe('about 2 h 5 min left');
  });

  it('when stderr is a terminal, then one line is redrawn in place; otherwise each purchase gets a plain line', () => {
    const written: string[] = [];
    const lines: string[] = [];
    const io = { stdout: { write: () => true }, stderr: { write: (s: string) => written.push(s) }, env: {} };
    const options = { total: 2, callsPerMinute: 60, now: () => 0, line: (s: string) => lines.push(s) };

    const terminal = createSyncProgress(io, { ...options, terminal: true });
    terminal.jobEnded('PO-1', 'processed');
    terminal.jobEnded('PO-2', 'processed');
    terminal.finish();
    const plain = createSyncProgress(io, { ...options, terminal: false });
    plain.jobEnded('PO-1', 'processed');

    expect(written).toEqual(['\r\u001b[K[1/2] PO-1, about 1 s left', '\r\u001b[K[2/2] PO-2', '\n']);
    expect(lines).toEqual(['[1/2] PO-1: processed']);
  });
});
