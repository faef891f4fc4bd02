/** Issue 14: `sync` proves both connections before it touches a record, and shows the time left on a terminal. */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox/sandbox.js';
import { addAuthorisedPurchase, addSupplierWithVendor, seedMatchingReference } from '../support/seed.js';
import { runCliAgainst } from './cli-support.js';

describe('cin7-bc sync connection check and progress', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ azuriteConnectionString: inject('azuriteConnectionString'), cin7RateLimit: false });
    seedMatchingReference(sandbox);
    const { supplier } = addSupplierWithVendor(sandbox, 'Tuscan Groves');
    addAuthorisedPurchase(sandbox, supplier.ID);
    addAuthorisedPurchase(
      sandbox,
      supplier.ID,
      {},
      { Lines: [{ SKU: 'FRT', Name: 'Sea freight', Quantity: 1, Price: 120, Account: '5100' }] },
    );
  });
  afterAll(() => sandbox?.close());

  it('when BC does not answer, then sync stops with exit 3 before reading any purchase and no record changes', async () => {
    expect((await runCliAgainst(sandbox, ['sync'])).code).toBe(1);
    const before = await sandbox.ledger();
    sandbox.faults.resetCounts();
    sandbox.faults.add({ system: 'bc', kind: 'server-error', status: 503 });

    const run = await runCliAgainst(sandbox, ['sync', '--force', '--json']);
    sandbox.faults.clear();

    expect(run.code).toBe(3);
    expect(run.json()).toMatchObject({ command: 'sync', exitCode: 3 });
    expect(run.stderr).toContain('not syncing, a connection is down (Business Central:');
    expect(sandbox.faults.count({ system: 'cin7', path: /purchase/ })).toBe(0);
    expect(await sandbox.ledger()).toEqual(before);
  });

  it('when the Cin7 key is refused, then sync stops with exit 3 and names Cin7', async () => {
    const run = await runCliAgainst(sandbox, ['sync'], { CIN7_APPLICATION_KEY: 'wrong-key' });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('Cin7 Core:');
    expect(run.stderr).not.toContain('wrong-key');
  });

  it('when stderr is a terminal, then one progress line is redrawn with the time left', async () => {
    const run = await runCliAgainst(sandbox, ['sync', '--force'], {}, { tty: true });
    expect(run.stderr).toContain('\r\u001b[K[1/2] ');
    expect(run.stderr).toMatch(/\[1\/2\] [^\n]*, about \d+ s left/);
    expect(run.stderr).not.toMatch(/^… \[1\/2\]/m);
  });

  it('when --json runs on a terminal, then no progress line is redrawn', async () => {
    const run = await runCliAgainst(sandbox, ['sync', '--force', '--json'], {}, { tty: true });
    expect(run.stderr).not.toContain('\r');
    expect(run.code).toBe(1);
  });
});
