/** Issue 14: `skip <reference> --reason`, the operator's audited decision from the terminal. */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox/sandbox.js';
import { addAuthorisedPurchase, addSupplierWithVendor, seedMatchingReference } from '../support/seed.js';
import { runCliAgainst } from './cli-support.js';

describe('cin7-bc skip', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ azuriteConnectionString: inject('azuriteConnectionString'), cin7RateLimit: false });
    seedMatchingReference(sandbox);
    const { supplier } = addSupplierWithVendor(sandbox, 'Tuscan Groves');
    addAuthorisedPurchase(sandbox, supplier.ID, { OrderNumber: 'PO-00201' });
    addAuthorisedPurchase(
      sandbox,
      supplier.ID,
      { OrderNumber: 'PO-00202' },
      {
        Status: 'AUTHORISED',
        InvoiceNumber: 'INV-S2',
        Lines: [{ SKU: 'FRT', Name: 'Sea freight', Quantity: 1, Price: 80, Account: '5900' }],
      },
    );
    expect((await runCliAgainst(sandbox, ['sync'])).code).toBe(1);
  });
  afterAll(() => sandbox?.close());

  const entry = async (label: string) =>
    (await sandbox.ledger('purchase-invoice')).find((e) => e.label?.startsWith(label));

  it('when skip has no reason, then it is a usage error and nothing changes', async () => {
    const run = await runCliAgainst(sandbox, ['skip', 'PO-00202']);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--reason/);
    expect((await entry('PO-00202'))?.state).toBe('needs-mapping');
  });

  it('when a parked invoice is skipped by its PO number with a reason, then it is skipped and the audit names the operator and the reason', async () => {
    const run = await runCliAgainst(sandbox, ['skip', 'PO-00202', '--reason', 'keyed by hand in BC']);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/PO-00202 \/ INV-S2: needs-mapping → skipped \(keyed by hand in BC\)/);
    const skipped = await entry('PO-00202');
    expect(skipped?.state).toBe('skipped');
    const trail = await sandbox.deps.stores.audit.list('purchase-invoice', skipped!.recordId);
    const decision = trail.find((a) => a.step === 'operator-skip');
    expect(decision?.message).toMatch(/^skipped by cli:.+: keyed by hand in BC$/);
  });

  it('when a skipped invoice is synced again after its gap is mapped, then the skip holds; a replay lifts it and posts', async () => {
    await sandbox.deps.stores.mappings.upsert({ kind: 'account', source: '5900', target: '429' });

    expect((await runCliAgainst(sandbox, ['sync', '--force'])).code).toBe(0);
    const kept = await entry('PO-00202');
    expect(kept?.state).toBe('skipped');
    const trail = await sandbox.deps.stores.audit.list('purchase-invoice', kept!.recordId);
    expect(trail[0]?.message).toMatch(/^kept skipped: cli:.+ decided it will not go to BC; replay/);

    const replay = await runCliAgainst(sandbox, ['replay', 'PO-00202']);

    expect(replay.code).toBe(0);
    expect(replay.stdout).toMatch(/PO-00202 \/ INV-S2: skipped → posted \(BC /);
    expect((await entry('PO-00202'))?.skippedBy).toBeUndefined();
  });

  it('when a posted invoice is named, then it is not skipped and the exit code asks for attention', async () => {
    const run = await runCliAgainst(sandbox, ['skip', 'PO-00201', '--reason', 'mistake', '--json']);

    expect(run.code).toBe(1);
    const body = run.json<{ records: Array<{ skipped: boolean; message?: string }> }>();
    expect(body.records).toHaveLength(1);
    expect(body.records[0]?.skipped).toBe(false);
    expect(body.records[0]?.message).toMatch(/is posted/);
    expect((await entry('PO-00201'))?.state).toBe('posted');
  });
});
