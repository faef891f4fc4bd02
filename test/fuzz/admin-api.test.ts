/**
 * Invariant 8 under fuzzing for the admin API (records, replay, mappings, CSV import) against real Table
 * Storage (Azurite): malformed or hostile input gets a 4xx and writes and enqueues nothing; input that is
 * valid however odd (quotes, `#`, `/`, control characters, long values) never gets a 5xx, and what it
 * writes reads back unchanged. Credentials are the Functions host's job here (`authLevel: 'function'`), so
 * they are not fuzzed in process.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createGetRecordHandler,
  createListRecordsHandler,
  createReplayRecordsHandler,
} from '../../src/functions/admin-records.js';
import {
  createDeleteMappingHandler,
  createImportMappingsHandler,
  createListMappingsHandler,
  createUpsertMappingHandler,
} from '../../src/functions/admin-mappings.js';
import type { AdminDeps } from '../../src/functions/admin-http.js';
import { mappingKinds } from '../../src/sync/admin/mappings.js';
import { pollCin7Purchases } from '../../src/sync/purchase/poll-cin7.js';
import { startSandbox, type Sandbox } from '../sandbox/sandbox.js';
import { addAuthorisedPurchase, addSupplierWithVendor, seedMatchingReference } from '../support/seed.js';
import { callHandler, fuzzParameters, injectionString, malformedJson, wrongTypedValue } from './fuzz-support.js';

/** Storage round trips per case: fewer runs than the in-memory suites keep the file within seconds. */
const storageRuns = { ...fuzzParameters, numRuns: 60 };

let sandbox: Sandbox;
let deps: AdminDeps;

interface Snapshot {
  mappings: string;
  ledger: string;
  sent: number;
}

async function snapshot(): Promise<Snapshot> {
  const mappings = await sandbox.deps.stores.mappings.list();
  const ledger = await sandbox.ledger();
  return {
    mappings: JSON.stringify(mappings.map((m) => [m.kind, m.source, m.target, m.note]).sort()),
    ledger: JSON.stringify(ledger.map((e) => [e.recordId, e.state, e.attempts]).sort()),
    sent: sandbox.queue.stats().sent,
  };
}

/** Runs `act`; a 4xx must leave storage and the queue exactly as they were, and nothing may be a 5xx. */
async function expectRejectedCleanlyOrHandled(act: () => Promise<{ status: number }>): Promise<number> {
  const before = await snapshot();
  const { status } = await act();
  expect(status).toBeLessThan(500);
  if (status >= 400) expect(await snapshot()).toEqual(before);
  return status;
}

beforeAll(async () => {
  sandbox = await startSandbox({ azuriteConnectionString: inject('azuriteConnectionString') });
  deps = { getDeps: () => Promise.resolve(sandbox.deps), logger: () => sandbox.deps.logger };
  // One real record in the ledger, so look-ups and replays have something to find.
  seedMatchingReference(sandbox);
  const { supplier } = addSupplierWithVendor(sandbox, 'Fuzz Supplier');
  addAuthorisedPurchase(sandbox, supplier.ID);
  await pollCin7Purchases(sandbox.deps);
  await sandbox.settle();
}, 60_000);

afterAll(async () => {
  await sandbox.close();
});

const mappingKind = fc.oneof(fc.constantFrom(...mappingKinds), injectionString);

describe('fuzz: admin records API', () => {
  it('I8: when a replay body is malformed, wrongly typed or hostile, then a 4xx that changes nothing, or a handled answer', async () => {
    const body = fc.oneof(
      malformedJson,
      wrongTypedValue.map((v) => JSON.stringify(v)),
      fc
        .record({
          records: fc.oneof(
            wrongTypedValue,
            fc.array(
              fc.record({
                type: fc.oneof(fc.constantFrom('purchase-invoice', 'supplier'), injectionString),
                id: injectionString,
              }),
              { maxLength: 3 },
            ),
          ),
        })
        .map((v) => JSON.stringify(v)),
      fc
        .record(
          {
            state: fc.oneof(injectionString, wrongTypedValue),
            type: fc.oneof(injectionString, wrongTypedValue),
            limit: wrongTypedValue,
          },
          { requiredKeys: ['state'] },
        )
        .map((v) => JSON.stringify(v)),
      fc.constant(
        JSON.stringify({ records: Array.from({ length: 201 }, (_, i) => ({ type: 'supplier', id: `s${i}` })) }),
      ),
    );
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        await expectRejectedCleanlyOrHandled(() =>
          callHandler(createReplayRecordsHandler(deps), {
            url: 'https://connector.example/api/admin/records/replay',
            body: text,
          }),
        );
      }),
      storageRuns,
    );
  });

  it('I8: when a record is read with a hostile type or id (encoded or not), then 400 or 404 and nothing changes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom('purchase-invoice', 'supplier', 'vendor', 'item'), injectionString),
        injectionString,
        fc.boolean(),
        async (type, id, encode) => {
          const status = await expectRejectedCleanlyOrHandled(() =>
            callHandler(createGetRecordHandler(deps), {
              method: 'GET',
              url: 'https://connector.example/api/admin/records/x/y',
              params: { type, id: encode ? encodeURIComponent(id) : id },
            }),
          );
          expect([400, 404]).toContain(status);
        },
      ),
      storageRuns,
    );
  });

  it('I8: when records are listed with hostile query values, then 200 or 400, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            type: injectionString,
            state: injectionString,
            pageSize: fc.oneof(injectionString, fc.integer().map(String)),
            continuationToken: injectionString,
          },
          { requiredKeys: [] },
        ),
        async (query) => {
          const url = new URL('https://connector.example/api/admin/records');
          for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
          const status = await expectRejectedCleanlyOrHandled(() =>
            callHandler(createListRecordsHandler(deps), { method: 'GET', url: url.toString() }),
          );
          expect([200, 400]).toContain(status);
        },
      ),
      storageRuns,
    );
  });

  // The store checks a token before @azure/data-tables decodes it (a bare SyntaxError used to reach the API
  // as a 500) and throws a ValidationError that the list handler answers with 400.
  it('I8: when records are listed with a continuation token the API never handed out, then 400 and nothing changes', async () => {
    await fc.assert(
      fc.asyncProperty(injectionString, async (continuationToken) => {
        const url = `https://connector.example/api/admin/records?continuationToken=${encodeURIComponent(continuationToken)}`;
        const status = await expectRejectedCleanlyOrHandled(() =>
          callHandler(createListRecordsHandler(deps), { method: 'GET', url }),
        );
        // A blank value is no parameter at all (the first page); any other value was never handed out.
        expect(status).toBe(continuationToken.trim() === '' ? 200 : 400);
      }),
      storageRuns,
    );
  });
});

describe('fuzz: admin mappings API', () => {
  it('I8: when a mapping body is malformed or wrongly typed, then 400 and nothing is written', async () => {
    const body = fc.oneof(
      malformedJson,
      fc
        .record(
          {
            kind: fc.oneof(mappingKind, wrongTypedValue),
            source: wrongTypedValue,
            target: wrongTypedValue,
            note: wrongTypedValue,
          },
          { requiredKeys: [] },
        )
        .map((v) => JSON.stringify(v)),
    );
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom('upsert', 'delete'), async (text, verb) => {
        const handler = verb === 'upsert' ? createUpsertMappingHandler(deps) : createDeleteMappingHandler(deps);
        const status = await expectRejectedCleanlyOrHandled(() =>
          callHandler(handler, {
            method: verb === 'upsert' ? 'PUT' : 'DELETE',
            url: 'https://connector.example/api/admin/mappings',
            body: text,
          }),
        );
        expect(status).toBeGreaterThanOrEqual(400);
      }),
      storageRuns,
    );
  });

  it('I8: when a mapping of a valid kind holds injection strings, then it is refused with a 4xx that writes nothing, or saved and read back unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...mappingKinds),
        injectionString,
        injectionString,
        async (kind, source, target) => {
          const status = await expectRejectedCleanlyOrHandled(() =>
            callHandler(createUpsertMappingHandler(deps), {
              method: 'PUT',
              url: 'https://connector.example/api/admin/mappings',
              body: JSON.stringify({ kind, source, target }),
            }),
          );
          if (status === 200) {
            const saved = await sandbox.deps.stores.mappings.get(kind, source.trim());
            expect(saved?.target).toBe(target.trim());
            // Delete through the API with the same odd key: the key encoding must round-trip both ways.
            const deleted = await callHandler(createDeleteMappingHandler(deps), {
              method: 'DELETE',
              url: 'https://connector.example/api/admin/mappings',
              body: JSON.stringify({ kind, source, target }),
            });
            expect(deleted.status).toBe(200);
            expect(await sandbox.deps.stores.mappings.get(kind, source.trim())).toBeUndefined();
          }
        },
      ),
      storageRuns,
    );
  });

  it('I8: when a CSV import holds malformed rows or hostile values, then 400 that writes nothing, or every row saved', async () => {
    const csvField = fc.oneof(
      injectionString,
      fc.constantFrom('supplier', 'account', 'tax', '"', '""', ',', '\n', '\r\n', '"a,b"'),
    );
    const csv = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc
        .array(fc.array(csvField, { minLength: 1, maxLength: 5 }), { minLength: 0, maxLength: 5 })
        .map((rows) => ['kind,source,target,note', ...rows.map((r) => r.join(','))].join('\n')),
    );
    await fc.assert(
      fc.asyncProperty(csv, async (text) => {
        const before = (await sandbox.deps.stores.mappings.list()).length;
        const status = await expectRejectedCleanlyOrHandled(() =>
          callHandler(createImportMappingsHandler(deps), {
            url: 'https://connector.example/api/admin/mappings/import',
            body: text,
            headers: { 'content-type': 'text/csv' },
          }),
        );
        if (status === 200) {
          // Clean up what a valid import saved so later cases start from the same state.
          for (const mapping of await sandbox.deps.stores.mappings.list())
            await sandbox.deps.stores.mappings.delete(mapping);
        } else {
          expect((await sandbox.deps.stores.mappings.list()).length).toBe(before);
        }
      }),
      storageRuns,
    );
  });

  it('I8: when mappings are listed with a hostile kind, then 400', async () => {
    await fc.assert(
      fc.asyncProperty(
        injectionString.filter((s) => s.trim() !== '' && !(mappingKinds as readonly string[]).includes(s)),
        async (kind) => {
          const status = await expectRejectedCleanlyOrHandled(() =>
            callHandler(createListMappingsHandler(deps), {
              method: 'GET',
              url: `https://connector.example/api/admin/mappings?kind=${encodeURIComponent(kind)}`,
            }),
          );
          expect(status).toBe(400);
        },
      ),
      storageRuns,
    );
  });
});
