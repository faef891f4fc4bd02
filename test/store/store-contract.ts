/**
 * One behavioural contract for every implementation of the stores in `src/core/ports/stores.ts`. Each
 * implementation's test file calls {@link describeStoreContract} with a factory that returns fresh,
 * empty stores.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  invalidContinuationTokenCode,
  type AuditEntry,
  type LedgerEntry,
  type Mapping,
  type Stores,
  type SubscriptionRecord,
} from '../../src/core/ports/stores.js';
import { ConflictError, ValidationError } from '../../src/core/errors.js';

export function buildLedgerEntry(overrides: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    recordType: 'purchase-invoice',
    recordId: 'b2f1c8e0-0000-4000-8000-000000000001/INV-1',
    state: 'pending',
    correlationId: 'corr-1',
    attempts: 0,
    updatedAt: '2026-11-28T10:00:00.000Z',
    ...overrides,
  };
}

export function buildAuditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    recordType: 'purchase-invoice',
    recordId: 'b2f1c8e0-0000-4000-8000-000000000001/INV-1',
    correlationId: 'corr-1',
    at: '2026-11-28T10:00:00.000Z',
    step: 'read-cin7',
    outcome: 'ok',
    message: 'Read purchase PO-00042',
    ...overrides,
  };
}

export function buildSubscription(overrides: Partial<SubscriptionRecord> = {}): SubscriptionRecord {
  return {
    resource: 'vendors',
    subscriptionId: 'sub-1',
    expirationDateTime: '2026-12-01T10:00:00Z',
    notificationUrl: 'https://example.test/api/bc-notification',
    ...overrides,
  };
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

async function collectLedger(
  stores: Stores,
  options: Parameters<Stores['ledger']['list']>[0],
): Promise<{ ids: string[]; pageSizes: number[] }> {
  const ids: string[] = [];
  const pageSizes: number[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await stores.ledger.list(
      continuationToken === undefined ? options : { ...options, continuationToken },
    );
    ids.push(...page.items.map((item) => item.recordId));
    pageSizes.push(page.items.length);
    continuationToken = page.continuationToken;
  } while (continuationToken !== undefined);
  return { ids, pageSizes };
}

/** Registers the contract's `describe` blocks; `createStores` must return fresh, empty stores each call. */
export function describeStoreContract(implementation: string, createStores: () => Promise<Stores>): void {
  describe(`${implementation}: store contract`, () => {
    let stores: Stores;
    beforeEach(async () => {
      stores = await createStores();
    });

    describe('ledger', () => {
      it('when an entry is created, then get returns the same value and an etag', async () => {
        const entry = buildLedgerEntry({
          label: 'PO-00042 / INV-7781',
          state: 'needs-mapping',
          missing: ['account:715', 'dimension:AREA=NORTH'],
          attempts: 2,
          vendorInvoiceNumber: "O'Brien #1",
        });
        const created = await stores.ledger.create(entry);
        const read = await stores.ledger.get(entry.recordType, entry.recordId);
        expect(read?.value).toEqual(entry);
        expect(read?.etag).toBe(created.etag);
        expect(created.value).toEqual(entry);
      });

      it('when optional fields are undefined, then they come back absent rather than undefined', async () => {
        const entry = buildLedgerEntry({ label: undefined } as unknown as Partial<LedgerEntry>);
        await stores.ledger.create(entry);
        const read = await stores.ledger.get(entry.recordType, entry.recordId);
        expect(Object.keys(read?.value ?? {})).not.toContain('label');
        expect(Object.keys(read?.value ?? {})).not.toContain('missing');
      });

      it('when the record was never seen, then get returns undefined', async () => {
        expect(await stores.ledger.get('supplier', 'nobody')).toBeUndefined();
      });

      it('when an entry is created twice, then the second create throws ConflictError', async () => {
        const entry = buildLedgerEntry();
        await stores.ledger.create(entry);
        expect(await rejectionOf(stores.ledger.create({ ...entry, state: 'creating' }))).toBeInstanceOf(ConflictError);
      });

      it('when two workers create the same entry at once, then exactly one gets ConflictError', async () => {
        const entry = buildLedgerEntry();
        const results = await Promise.allSettled([
          stores.ledger.create(entry),
          stores.ledger.create({ ...entry, correlationId: 'corr-2' }),
        ]);
        const rejected = results.filter((result) => result.status === 'rejected');
        expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
        expect(rejected).toHaveLength(1);
        expect(rejected[0]?.status === 'rejected' ? rejected[0].reason : undefined).toBeInstanceOf(ConflictError);
      });

      it('when an entry is updated with its current etag, then it is replaced and gets a new etag', async () => {
        const entry = buildLedgerEntry({ reason: 'first try', missing: ['tax:GST'] });
        const created = await stores.ledger.create(entry);
        const next = buildLedgerEntry({ state: 'created', targetId: 'bc-1', attempts: 1 });
        const updated = await stores.ledger.update(next, created.etag);
        expect(updated.etag).not.toBe(created.etag);
        const read = await stores.ledger.get(entry.recordType, entry.recordId);
        expect(read?.value).toEqual(next);
        expect(read?.etag).toBe(updated.etag);
      });

      it('when an entry is updated with a stale etag, then ConflictError is thrown and nothing changes', async () => {
        const entry = buildLedgerEntry();
        const created = await stores.ledger.create(entry);
        await stores.ledger.update({ ...entry, state: 'creating' }, created.etag);
        expect(await rejectionOf(stores.ledger.update({ ...entry, state: 'failed' }, created.etag))).toBeInstanceOf(
          ConflictError,
        );
        expect((await stores.ledger.get(entry.recordType, entry.recordId))?.value.state).toBe('creating');
      });

      it('when two workers update with the same etag at once, then exactly one wins and the other gets ConflictError', async () => {
        const entry = buildLedgerEntry();
        const { etag } = await stores.ledger.create(entry);
        const results = await Promise.allSettled([
          stores.ledger.update({ ...entry, state: 'creating', correlationId: 'worker-a' }, etag),
          stores.ledger.update({ ...entry, state: 'creating', correlationId: 'worker-b' }, etag),
        ]);
        const winners = results.filter((result) => result.status === 'fulfilled');
        const losers = results.filter((result) => result.status === 'rejected');
        expect(winners).toHaveLength(1);
        expect(losers).toHaveLength(1);
        expect(losers[0]?.status === 'rejected' ? losers[0].reason : undefined).toBeInstanceOf(ConflictError);
        const stored = await stores.ledger.get(entry.recordType, entry.recordId);
        expect(stored?.etag).toBe(winners[0]?.status === 'fulfilled' ? winners[0].value.etag : undefined);
      });

      it('when the entry being updated does not exist, then ConflictError is thrown', async () => {
        const entry = buildLedgerEntry({ recordId: 'gone' });
        const { etag } = await stores.ledger.create(buildLedgerEntry({ recordId: 'other' }));
        expect(await rejectionOf(stores.ledger.update(entry, etag))).toBeInstanceOf(ConflictError);
      });

      it.each([
        ["O'Brien & Sons #1/INV?1"],
        ['a/b\\c?d%2F+'],
        ['tab\there\nnewline\u0000nul\u0085'],
        ['🧾 emoji'],
        ['x'.repeat(2000)],
      ])('when the record id is awkward (%#), then create, get, update and list still find it', async (recordId) => {
        const entry = buildLedgerEntry({ recordId, recordType: 'supplier', state: 'failed' });
        const { etag } = await stores.ledger.create(entry);
        expect((await stores.ledger.get('supplier', recordId))?.value.recordId).toBe(recordId);
        await stores.ledger.update({ ...entry, attempts: 1 }, etag);
        const { ids } = await collectLedger(stores, { recordType: 'supplier', state: 'failed' });
        expect(ids).toEqual([recordId]);
      });

      it('when entries are listed by type and state in small pages, then every match comes back once and pages respect the size', async () => {
        for (let i = 0; i < 5; i++)
          await stores.ledger.create(buildLedgerEntry({ recordId: `inv-${i}`, state: 'failed' }));
        await stores.ledger.create(buildLedgerEntry({ recordId: 'inv-posted', state: 'posted' }));
        await stores.ledger.create(buildLedgerEntry({ recordType: 'supplier', recordId: 'sup-1', state: 'failed' }));

        const { ids, pageSizes } = await collectLedger(stores, {
          recordType: 'purchase-invoice',
          state: 'failed',
          pageSize: 2,
        });

        expect([...ids].sort()).toEqual(['inv-0', 'inv-1', 'inv-2', 'inv-3', 'inv-4']);
        expect(Math.max(...pageSizes)).toBeLessThanOrEqual(2);
      });

      it('when entries are listed by state only, then every record type is included', async () => {
        await stores.ledger.create(buildLedgerEntry({ recordId: 'inv-1', state: 'needs-mapping' }));
        await stores.ledger.create(
          buildLedgerEntry({ recordType: 'item', recordId: 'item-1', state: 'needs-mapping' }),
        );
        await stores.ledger.create(buildLedgerEntry({ recordType: 'item', recordId: 'item-2', state: 'synced' }));
        const { ids } = await collectLedger(stores, { state: 'needs-mapping' });
        expect([...ids].sort()).toEqual(['inv-1', 'item-1']);
      });

      it("when entries are listed by id prefix, then only that purchase's records come back", async () => {
        const purchase = '3f1c0a9e-77aa-4c1e-9a51-0c2b7d1e5f00';
        await stores.ledger.create(buildLedgerEntry({ recordId: `${purchase}/task-1` }));
        await stores.ledger.create(buildLedgerEntry({ recordId: `${purchase}/-` }));
        await stores.ledger.create(buildLedgerEntry({ recordId: `${purchase}x/task-1` }));
        await stores.ledger.create(buildLedgerEntry({ recordId: '3f1c0a9e-77aa-4c1e-9a51-0c2b7d1e5f01/task-1' }));
        const { ids } = await collectLedger(stores, { recordType: 'purchase-invoice', recordIdPrefix: `${purchase}/` });
        expect([...ids].sort()).toEqual([`${purchase}/-`, `${purchase}/task-1`]);
      });

      it('when an entry carries open attempts, then they round-trip', async () => {
        const entry = buildLedgerEntry({
          state: 'creating',
          openAttempts: [
            { vendorNumber: 'V1', vendorInvoiceNumber: "O'Brien #1" },
            { vendorNumber: 'V2', vendorInvoiceNumber: "O'Brien #1" },
          ],
        });
        await stores.ledger.create(entry);
        expect((await stores.ledger.get(entry.recordType, entry.recordId))?.value).toEqual(entry);
      });

      it('when nothing matches, then list returns an empty page without a continuation token', async () => {
        const page = await stores.ledger.list({ recordType: 'vendor' });
        expect(page).toEqual({ items: [] });
      });

      it('when the page size is out of range, then list throws ValidationError', async () => {
        expect(await rejectionOf(stores.ledger.list({ pageSize: 0 }))).toBeInstanceOf(ValidationError);
      });

      it.each([
        ['garbage', 'not-a-token'],
        ['injection text', "'; DROP TABLE ledger; --\u0000"],
        ['base64 of text that is not JSON', Buffer.from('hello there', 'utf8').toString('base64')],
        ['base64 of JSON of the wrong shape', Buffer.from('{"a":1,"b":[2]}', 'utf8').toString('base64')],
        ['base64 of a bare number', Buffer.from('42', 'utf8').toString('base64')],
      ])(
        'when the continuation token is %s, then list throws ValidationError naming continuationToken',
        async (_, continuationToken) => {
          await stores.ledger.create(buildLedgerEntry({ recordId: 'inv-1' }));

          const error = await rejectionOf(stores.ledger.list({ continuationToken }));

          expect(error).toBeInstanceOf(ValidationError);
          expect((error as ValidationError).code).toBe(invalidContinuationTokenCode);
          expect((error as ValidationError).message).toContain('continuationToken');
        },
      );

      it('when a token from a previous page is passed back, then it is accepted', async () => {
        for (let i = 0; i < 3; i++) await stores.ledger.create(buildLedgerEntry({ recordId: `inv-${i}` }));

        const first = await stores.ledger.list({ pageSize: 2 });
        const second = await stores.ledger.list({
          pageSize: 2,
          ...(first.continuationToken === undefined ? {} : { continuationToken: first.continuationToken }),
        });

        expect(first.continuationToken).toBeDefined();
        expect([...first.items, ...second.items].map((e) => e.recordId).sort()).toEqual(['inv-0', 'inv-1', 'inv-2']);
      });
    });

    describe('audit', () => {
      it('when entries are appended, then list returns them newest first', async () => {
        await stores.audit.append(buildAuditEntry({ at: '2026-11-28T10:00:01.000Z', step: 'read-cin7' }));
        await stores.audit.append(buildAuditEntry({ at: '2026-11-28T10:00:03.000Z', step: 'bc-post' }));
        await stores.audit.append(buildAuditEntry({ at: '2026-11-28T10:00:02.000Z', step: 'bc-create' }));
        const steps = (await stores.audit.list('purchase-invoice', buildAuditEntry().recordId)).map(
          (entry) => entry.step,
        );
        expect(steps).toEqual(['bc-post', 'bc-create', 'read-cin7']);
      });

      it('when entries share a timestamp, then the later append comes first', async () => {
        for (const step of ['one', 'two', 'three']) await stores.audit.append(buildAuditEntry({ step }));
        const steps = (await stores.audit.list('purchase-invoice', buildAuditEntry().recordId)).map(
          (entry) => entry.step,
        );
        expect(steps).toEqual(['three', 'two', 'one']);
      });

      it('when a limit is given, then only that many of the newest come back', async () => {
        for (let i = 0; i < 4; i++)
          await stores.audit.append(buildAuditEntry({ at: `2026-11-28T10:00:0${i}.000Z`, step: `s${i}` }));
        const steps = (await stores.audit.list('purchase-invoice', buildAuditEntry().recordId, { limit: 2 })).map(
          (entry) => entry.step,
        );
        expect(steps).toEqual(['s3', 's2']);
      });

      it('when an entry has every field, then it round-trips, details included', async () => {
        const entry = buildAuditEntry({
          outcome: 'error',
          state: 'failed',
          details: { amount: 12.5, vendor: 'V0001', posted: false, note: null },
          trigger: 'webhook',
          attempt: 3,
        });
        await stores.audit.append(entry);
        expect(await stores.audit.list(entry.recordType, entry.recordId)).toEqual([entry]);
      });

      it('when the caller passes extra properties, then only AuditEntry fields are stored', async () => {
        const entry = { ...buildAuditEntry(), secret: 'application-key', body: '{"raw":true}' };
        await stores.audit.append(entry);
        const [stored] = await stores.audit.list(entry.recordType, entry.recordId);
        expect(stored).toEqual(buildAuditEntry());
      });

      it('when records have similar awkward ids, then each trail holds only its own entries', async () => {
        await stores.audit.append(buildAuditEntry({ recordId: 'a|b', step: 'first' }));
        await stores.audit.append(buildAuditEntry({ recordId: 'a', step: 'second' }));
        await stores.audit.append(buildAuditEntry({ recordType: 'supplier', recordId: 'a|b', step: 'third' }));
        expect((await stores.audit.list('purchase-invoice', 'a|b')).map((entry) => entry.step)).toEqual(['first']);
      });

      it('when a message is longer than Table Storage keeps, then append throws ValidationError', async () => {
        expect(await rejectionOf(stores.audit.append(buildAuditEntry({ message: 'x'.repeat(40_000) })))).toBeInstanceOf(
          ValidationError,
        );
      });

      it('when the timestamp is not a date, then append throws ValidationError', async () => {
        expect(await rejectionOf(stores.audit.append(buildAuditEntry({ at: 'yesterday' })))).toBeInstanceOf(
          ValidationError,
        );
      });
    });

    describe('mappings', () => {
      const account: Mapping = { kind: 'account', source: "715/O'Brien", target: '60100', note: 'freight' };

      it('when a mapping is created, then get and list find it', async () => {
        await stores.mappings.create(account);
        await stores.mappings.create({ kind: 'tax', source: 'GST', target: 'GST10' });
        expect(await stores.mappings.get('account', account.source)).toEqual(account);
        expect(await stores.mappings.list('account')).toEqual([account]);
        expect(await stores.mappings.list()).toHaveLength(2);
      });

      it('when the same source is created twice, then the second create throws ConflictError', async () => {
        await stores.mappings.create(account);
        expect(await rejectionOf(stores.mappings.create({ ...account, target: '60200' }))).toBeInstanceOf(
          ConflictError,
        );
      });

      it('when no mapping exists, then get returns undefined', async () => {
        expect(await stores.mappings.get('currency', 'NZD')).toBeUndefined();
      });

      it('when a dimension source has rules for two dimensions, then both rows are kept', async () => {
        await stores.mappings.create({ kind: 'dimension-location', source: 'Main Warehouse', target: 'AREA=NORTH' });
        await stores.mappings.create({
          kind: 'dimension-location',
          source: 'Main Warehouse',
          target: 'DEPARTMENT=SALES',
        });
        expect(await stores.mappings.list('dimension-location')).toHaveLength(2);
        expect(
          await rejectionOf(
            stores.mappings.create({ kind: 'dimension-location', source: 'Main Warehouse', target: 'area=SOUTH' }),
          ),
        ).toBeInstanceOf(ConflictError);
      });

      it('when get is asked for a dimension kind, then it throws ValidationError', async () => {
        expect(await rejectionOf(stores.mappings.get('dimension-default', '*'))).toBeInstanceOf(ValidationError);
      });

      it('when a mapping is upserted over an existing one, then it is replaced', async () => {
        await stores.mappings.create(account);
        await stores.mappings.upsert({ kind: 'account', source: account.source, target: '60200' });
        expect(await stores.mappings.get('account', account.source)).toEqual({
          kind: 'account',
          source: account.source,
          target: '60200',
        });
      });

      it('when a mapping is deleted twice, then both calls succeed and it is gone', async () => {
        await stores.mappings.create(account);
        await stores.mappings.delete(account);
        await stores.mappings.delete(account);
        expect(await stores.mappings.get('account', account.source)).toBeUndefined();
      });
    });

    describe('watermarks', () => {
      it('when a watermark was never set, then get returns undefined', async () => {
        expect(await stores.watermarks.get('cin7-purchases')).toBeUndefined();
      });

      it('when set without an etag, then it is created once and a second create throws ConflictError', async () => {
        await stores.watermarks.set('cin7-purchases', '2026-11-28T10:00:00Z');
        expect((await stores.watermarks.get('cin7-purchases'))?.value).toBe('2026-11-28T10:00:00Z');
        expect(await rejectionOf(stores.watermarks.set('cin7-purchases', '2026-11-28T11:00:00Z'))).toBeInstanceOf(
          ConflictError,
        );
      });

      it('when set with the current etag, then it advances; with a stale etag, then ConflictError', async () => {
        await stores.watermarks.set('bc/items?x', 'v1');
        const first = await stores.watermarks.get('bc/items?x');
        await stores.watermarks.set('bc/items?x', 'v2', first?.etag);
        expect((await stores.watermarks.get('bc/items?x'))?.value).toBe('v2');
        expect(await rejectionOf(stores.watermarks.set('bc/items?x', 'v3', first?.etag))).toBeInstanceOf(ConflictError);
      });

      it('when two pollers advance with the same etag at once, then exactly one wins', async () => {
        await stores.watermarks.set('cin7-suppliers', 'v1');
        const current = await stores.watermarks.get('cin7-suppliers');
        const results = await Promise.allSettled([
          stores.watermarks.set('cin7-suppliers', 'a', current?.etag),
          stores.watermarks.set('cin7-suppliers', 'b', current?.etag),
        ]);
        expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
        const rejected = results.find((result) => result.status === 'rejected');
        expect(rejected?.status === 'rejected' ? rejected.reason : undefined).toBeInstanceOf(ConflictError);
      });
    });

    describe('purchase versions', () => {
      it('when a purchase was never processed, then get returns undefined', async () => {
        expect(await stores.purchaseVersions.get('7f3e-0001')).toBeUndefined();
      });

      it('when set twice, then the last version wins and the id is matched without regard to case', async () => {
        await stores.purchaseVersions.set('7F3E-0002', '2026-11-28T10:00:00.000Z');
        await stores.purchaseVersions.set('7f3e-0002', '2026-11-29T08:30:00.000Z');
        expect(await stores.purchaseVersions.get('7F3E-0002')).toBe('2026-11-29T08:30:00.000Z');
      });

      it('when a purchase version and a watermark share a name, then neither overwrites the other', async () => {
        await stores.watermarks.set('cin7-purchases', '2026-11-28T10:00:00Z');
        await stores.purchaseVersions.set('cin7-purchases', '2026-01-01T00:00:00.000Z');
        expect((await stores.watermarks.get('cin7-purchases'))?.value).toBe('2026-11-28T10:00:00Z');
        expect(await stores.purchaseVersions.get('cin7-purchases')).toBe('2026-01-01T00:00:00.000Z');
      });
    });

    describe('subscriptions', () => {
      it('when subscriptions are upserted, then get and list return them with etags', async () => {
        await stores.subscriptions.upsert(buildSubscription());
        await stores.subscriptions.upsert(
          buildSubscription({ resource: 'items', subscriptionId: 'sub-2', bcEtag: 'W/"JzQ0Oz"' }),
        );
        const vendors = await stores.subscriptions.get('vendors');
        expect(vendors?.value).toEqual(buildSubscription());
        expect(vendors?.etag).toEqual(expect.any(String));
        const listed = await stores.subscriptions.list();
        expect(listed.map((row) => row.value.resource).sort()).toEqual(['items', 'vendors']);
      });

      it('when a subscription is upserted again, then it is replaced', async () => {
        await stores.subscriptions.upsert(buildSubscription({ lastAction: 'created' }));
        await stores.subscriptions.upsert(buildSubscription({ subscriptionId: 'sub-9' }));
        expect((await stores.subscriptions.get('vendors'))?.value).toEqual(
          buildSubscription({ subscriptionId: 'sub-9' }),
        );
      });

      it('when a subscription is deleted twice, then both calls succeed and it is gone', async () => {
        await stores.subscriptions.upsert(buildSubscription());
        await stores.subscriptions.delete('vendors');
        await stores.subscriptions.delete('vendors');
        expect(await stores.subscriptions.get('vendors')).toBeUndefined();
        expect(await stores.subscriptions.list()).toEqual([]);
      });
    });
  });
}
