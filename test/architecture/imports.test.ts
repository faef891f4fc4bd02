import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findCycles, findLayerViolations, readImportGraph, type ImportEdge } from '../support/import-graph.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const edge = (from: string, to: string, typeOnly = false): ImportEdge => ({ from, to, typeOnly });

describe('import graph of src', () => {
  it('when the tree is read, then it has no import cycle', () => {
    expect(findCycles(readImportGraph(root))).toEqual([]);
  });

  it('when the tree is read, then no import crosses a layer boundary', () => {
    expect(findLayerViolations(readImportGraph(root))).toEqual([]);
  });

  it('when two files import each other at run time, then the cycle is reported', () => {
    const cycles = findCycles([edge('src/sync/a.ts', 'src/sync/b.ts'), edge('src/sync/b.ts', 'src/sync/a.ts')]);
    expect(cycles).toEqual([['src/sync/a.ts', 'src/sync/b.ts', 'src/sync/a.ts']]);
  });

  it('when the loop is closed by a type-only import, then it is not a cycle', () => {
    expect(findCycles([edge('src/sync/a.ts', 'src/sync/b.ts'), edge('src/sync/b.ts', 'src/sync/a.ts', true)])).toEqual(
      [],
    );
  });

  it.each([
    ['src/store/table-store.ts', 'src/sync/deps.ts', false],
    ['src/core/errors.ts', 'src/sync/deps.ts', true],
    ['src/core/ports/bc.ts', 'src/bc/schemas.ts', false],
    ['src/mapping/eligibility.ts', 'src/sync/deps.ts', true],
    ['src/sync/jobs/run-job.ts', 'src/queue/job-schema.ts', false],
    ['src/sync/jobs/run-job.ts', 'src/cin7/client.ts', true],
  ])('when %s imports %s, then it is a boundary violation', (from, to, typeOnly) => {
    expect(findLayerViolations([edge(from, to, typeOnly)])).toHaveLength(1);
  });

  it.each([
    ['src/core/ports/bc.ts', 'src/bc/schemas.ts', true],
    ['src/sync/jobs/run-job.ts', 'src/core/errors.ts', false],
    ['src/functions/sync-job.ts', 'src/sync/jobs/run-job.ts', false],
    ['src/store/table-store.ts', 'src/core/ports/stores.ts', true],
  ])('when %s imports %s, then it is allowed', (from, to, typeOnly) => {
    expect(findLayerViolations([edge(from, to, typeOnly)])).toEqual([]);
  });
});
