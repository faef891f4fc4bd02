import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createDeleteMappingHandler,
  createImportMappingsHandler,
  createListMappingsHandler,
  createSuggestMappingsHandler,
  createUpsertMappingHandler,
} from '../../src/functions/admin-mappings.js';
import type { MappingSuggestion } from '../../src/sync/admin/suggest.js';
import type { Mapping } from '../../src/core/ports/stores.js';
import { startSandbox, type Sandbox } from '../sandbox/sandbox.js';
import { seedMatchingReference } from '../support/seed.js';
import { adminDeps, call } from './admin-support.js';

describe('admin mappings API', () => {
  let sandbox: Sandbox;
  const handlers = () => ({
    list: createListMappingsHandler(adminDeps(sandbox)),
    upsert: createUpsertMappingHandler(adminDeps(sandbox)),
    remove: createDeleteMappingHandler(adminDeps(sandbox)),
    importCsv: createImportMappingsHandler(adminDeps(sandbox)),
    suggest: createSuggestMappingsHandler(adminDeps(sandbox)),
  });

  beforeAll(async () => {
    sandbox = await startSandbox({ azuriteConnectionString: inject('azuriteConnectionString') });
    seedMatchingReference(sandbox);
  });
  afterAll(() => sandbox?.close());

  const all = () => sandbox.deps.stores.mappings.list();

  it('when a supplier mapping is upserted with an upper-case id, then it is stored lower-case and listed by kind', async () => {
    const response = await call(handlers().upsert, 'admin/mappings', {
      method: 'PUT',
      json: { kind: 'supplier', source: 'ABCDEF12-0000-4000-8000-00000000AAAA', target: 'V0001', note: 'by hand' },
    });
    expect(response.status).toBe(200);
    const listed = await call(handlers().list, 'admin/mappings', { query: { kind: 'supplier' } });
    expect((listed.body['items'] as Mapping[]).map((m) => [m.source, m.target])).toEqual([
      ['abcdef12-0000-4000-8000-00000000aaaa', 'V0001'],
    ]);
  });

  it('when an upsert has an unknown kind, an empty source and a note of the wrong type, then 400 lists every problem', async () => {
    const response = await call(handlers().upsert, 'admin/mappings', {
      method: 'PUT',
      json: { kind: 'colour', source: ' ', target: 'X', note: 5 },
    });
    expect(response.status).toBe(400);
    const problems = response.body['problems'] as string[];
    expect(problems.some((p) => p.startsWith('kind:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('source:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('note:'))).toBe(true);
  });

  it('when a dimension mapping target is not DIM=VALUE, then 400 says so and nothing is stored', async () => {
    const before = (await all()).length;
    const response = await call(handlers().upsert, 'admin/mappings', {
      method: 'PUT',
      json: { kind: 'dimension-location', source: 'Main Warehouse', target: 'EAST' },
    });
    expect(response.status).toBe(400);
    expect(response.body['problems']).toEqual(['target: must be DIMENSION=VALUE, e.g. AREA=EAST']);
    expect(await all()).toHaveLength(before);
  });

  it('when the body is not JSON, then the answer is 400', async () => {
    const response = await call(handlers().upsert, 'admin/mappings', { method: 'PUT', text: '{kind:' });
    expect(response.status).toBe(400);
  });

  it('when a mapping is deleted twice, then both calls succeed and it is gone', async () => {
    await call(handlers().upsert, 'admin/mappings', {
      method: 'PUT',
      json: { kind: 'dimension-location', source: 'Main Warehouse', target: 'area = east' },
    });
    expect((await all()).some((m) => m.kind === 'dimension-location' && m.target === 'AREA=EAST')).toBe(true);
    for (let i = 0; i < 2; i += 1) {
      const response = await call(handlers().remove, 'admin/mappings', {
        method: 'DELETE',
        json: { kind: 'dimension-location', source: 'Main Warehouse', target: 'AREA=EAST' },
      });
      expect(response.status).toBe(200);
    }
    expect((await all()).some((m) => m.kind === 'dimension-location')).toBe(false);
  });

  it('when an imported CSV has bad rows, then 400 reports each by line number and nothing is written', async () => {
    const before = await all();
    const csv = [
      'kind,source,target,note',
      'account,715,715,ok',
      'colour,red,RED,',
      'dimension-location,East,EAST,',
      'tax,,TAX ON PURCHASES,',
      'account,715,716,dup',
    ].join('\n');
    const response = await call(handlers().importCsv, 'admin/mappings/import', { method: 'POST', text: csv });
    expect(response.status).toBe(400);
    const problems = response.body['problems'] as Array<{ line: number; problem: string }>;
    expect(problems.map((p) => p.line)).toEqual([3, 4, 5, 6]);
    expect(problems.find((p) => p.line === 6)?.problem).toBe('duplicates line 2 (same kind and source)');
    expect(await all()).toEqual(before);
  });

  it('when a good CSV with quoted fields is imported, then every row is stored', async () => {
    const csv =
      'kind,source,target,note\r\naccount,5000,630,"freight, inbound"\r\ndimension-supplier,"Smith, Jones & Co",DEPARTMENT=PURCHASING,\r\n';
    const response = await call(handlers().importCsv, 'admin/mappings/import', { method: 'POST', text: csv });
    expect(response.status).toBe(200);
    expect(response.body['imported']).toBe(2);
    const stored = await all();
    expect(stored.find((m) => m.kind === 'account' && m.source === '5000')?.note).toBe('freight, inbound');
    expect(stored.some((m) => m.kind === 'dimension-supplier' && m.source === 'Smith, Jones & Co')).toBe(true);
  });

  it('when suggestions are asked for, then names and numbers are matched across both systems and nothing is written', async () => {
    sandbox.cin7.addAccount({ Code: '5100', Name: 'Freight In' });
    sandbox.cin7.addLocation('East Warehouse');
    sandbox.cin7.addTaxRule({ Name: 'Exempt', IsTaxForPurchase: true, IsActive: true, TaxPercent: 0 });
    sandbox.cin7.addSupplier({ Name: 'Olive Press Ltd' });
    sandbox.bc.addVendor({ displayName: 'Olive Press' });
    const before = await all();

    const response = await call(handlers().suggest, 'admin/mappings/suggest');
    expect(response.status).toBe(200);
    const suggestions = response.body['suggestions'] as MappingSuggestion[];
    const find = (kind: string, source: string) => suggestions.find((s) => s.kind === kind && s.source === source);
    expect(find('account', '5100')).toMatchObject({ target: '820', confidence: 'medium', coveredByDefault: false });
    expect(find('account', '630')).toMatchObject({ target: '630', coveredByDefault: true });
    expect(find('dimension-location', 'East Warehouse')).toMatchObject({ target: 'AREA=EAST', confidence: 'low' });
    expect(find('tax', 'Exempt')).toMatchObject({ target: 'TAX EXEMPT', confidence: 'low' });
    expect(suggestions.find((s) => s.kind === 'supplier' && s.sourceName === 'Olive Press Ltd')).toMatchObject({
      confidence: 'medium',
      coveredByDefault: false,
    });
    expect(await all()).toEqual(before);
  });
});
