import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createGetRecordHandler,
  createListRecordsHandler,
  createReplayRecordsHandler,
} from '../../src/functions/admin-records.js';
import { pollCin7Purchases } from '../../src/sync/purchase/poll-cin7.js';
import type { AuditEntry, LedgerEntry } from '../../src/core/ports/stores.js';
import { startSandbox, type Sandbox } from '../sandbox/sandbox.js';
import { addAuthorisedPurchase, addSupplierWithVendor, seedMatchingReference } from '../support/seed.js';
import { adminDeps, call } from './admin-support.js';

describe('admin records API', () => {
  let sandbox: Sandbox;
  let posted: LedgerEntry;
  let parked: LedgerEntry;
  let parkedTaxNumber: string;
  const handlers = () => ({
    list: createListRecordsHandler(adminDeps(sandbox)),
    get: createGetRecordHandler(adminDeps(sandbox)),
    replay: createReplayRecordsHandler(adminDeps(sandbox)),
  });

  beforeAll(async () => {
    sandbox = await startSandbox({ azuriteConnectionString: inject('azuriteConnectionString') });
    seedMatchingReference(sandbox);
    const { supplier } = addSupplierWithVendor(sandbox, 'Tuscan Groves');
    addAuthorisedPurchase(sandbox, supplier.ID);
    const orphan = addSupplierWithVendor(sandbox, 'Umbrian Mills', { vendor: false });
    parkedTaxNumber = orphan.supplier.TaxNumber ?? '';
    addAuthorisedPurchase(sandbox, orphan.supplier.ID);
    await pollCin7Purchases(sandbox.deps);
    await sandbox.settle();
    const ledger = await sandbox.ledger('purchase-invoice');
    posted = ledger.find((e) => e.state === 'posted')!;
    parked = ledger.find((e) => e.state === 'needs-mapping')!;
  });
  afterAll(() => sandbox?.close());

  it('when records are listed by state, then only records in that state come back', async () => {
    const response = await call(handlers().list, 'admin/records', {
      query: { state: 'needs-mapping', type: 'purchase-invoice' },
    });
    expect(response.status).toBe(200);
    expect((response.body['items'] as LedgerEntry[]).map((e) => e.recordId)).toEqual([parked.recordId]);
  });

  it('when a page size of one is asked for, then a continuation token leads to the next page', async () => {
    const first = await call(handlers().list, 'admin/records', { query: { pageSize: '1' } });
    expect(first.body['items']).toHaveLength(1);
    const token = first.body['continuationToken'];
    expect(typeof token).toBe('string');
    const second = await call(handlers().list, 'admin/records', {
      query: { pageSize: '1', continuationToken: token as string },
    });
    expect(second.body['items']).toHaveLength(1);
    expect((second.body['items'] as LedgerEntry[])[0]?.recordId).not.toBe(
      (first.body['items'] as LedgerEntry[])[0]?.recordId,
    );
  });

  it('when the continuation token was never handed out, then 400 names the parameter', async () => {
    const response = await call(handlers().list, 'admin/records', { query: { continuationToken: 'not-a-token' } });
    expect(response.status).toBe(400);
    expect(response.body['problems']).toEqual([expect.stringMatching(/^continuationToken: /)]);
  });

  it('when the query has an unknown state and a bad page size, then 400 lists both problems', async () => {
    const response = await call(handlers().list, 'admin/records', { query: { state: 'lost', pageSize: '0' } });
    expect(response.status).toBe(400);
    const problems = response.body['problems'] as string[];
    expect(problems).toHaveLength(2);
    expect(problems.some((p) => p.startsWith('state:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('pageSize:'))).toBe(true);
  });

  it('when one record is read by its URL-encoded id, then the entry and its audit trail newest first come back', async () => {
    expect(posted.recordId).toContain('/');
    const response = await call(
      handlers().get,
      `admin/records/purchase-invoice/${encodeURIComponent(posted.recordId)}`,
      {
        params: { type: 'purchase-invoice', id: encodeURIComponent(posted.recordId) },
      },
    );
    expect(response.status).toBe(200);
    expect((response.body['entry'] as LedgerEntry).state).toBe('posted');
    const audit = response.body['audit'] as AuditEntry[];
    expect(audit.length).toBeGreaterThan(2);
    const times = audit.map((a) => a.at);
    expect(times).toEqual([...times].sort().reverse());
    expect(audit.some((a) => a.step === 'bc-post')).toBe(true);
  });

  it('when an unknown record is read, then the answer is 404', async () => {
    const response = await call(handlers().get, 'admin/records/purchase-invoice/nope', {
      params: { type: 'purchase-invoice', id: 'no-such/record' },
    });
    expect(response.status).toBe(404);
  });

  it('when the record type is unknown, then the answer is 400', async () => {
    const response = await call(handlers().get, 'admin/records/order/x', { params: { type: 'order', id: 'x' } });
    expect(response.status).toBe(400);
  });

  it('when a replay body has several mistakes, then 400 lists every one and nothing is queued', async () => {
    const sentBefore = sandbox.queue.stats().sent;
    const response = await call(handlers().replay, 'admin/records/replay', {
      method: 'POST',
      json: { records: [{ type: 'order', id: '' }, { id: 'x' }] },
    });
    expect(response.status).toBe(400);
    expect((response.body['problems'] as string[]).length).toBeGreaterThanOrEqual(3);
    expect(sandbox.queue.stats().sent).toBe(sentBefore);
  });

  it('when a replay names only unknown records, then the answer is 404', async () => {
    const response = await call(handlers().replay, 'admin/records/replay', {
      method: 'POST',
      json: { records: [{ type: 'purchase-invoice', id: 'nope/nope' }] },
    });
    expect(response.status).toBe(404);
    expect(response.body['notFound']).toEqual([{ type: 'purchase-invoice', id: 'nope/nope' }]);
  });

  it('when every needs-mapping record is replayed after the vendor is added in BC, then the parked invoice is posted', async () => {
    sandbox.bc.addVendor({ displayName: 'Umbrian Mills', taxRegistrationNumber: parkedTaxNumber });
    sandbox.deps.reference.invalidate();
    const response = await call(handlers().replay, 'admin/records/replay', {
      method: 'POST',
      json: { state: 'needs-mapping', type: 'purchase-invoice' },
    });
    expect(response.status).toBe(202);
    expect((response.body['queued'] as Array<{ id: string }>).map((q) => q.id)).toEqual([parked.recordId]);
    await sandbox.settle();
    const after = await sandbox.deps.stores.ledger.get('purchase-invoice', parked.recordId);
    expect(after?.value.state).toBe('posted');
  });
});
