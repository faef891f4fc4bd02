import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DoctorReport } from '../../src/sync/admin/doctor.js';
import { buildScenario, seedScenario, type Scenario } from '../demo/scenario.js';
import { startSandbox, type Sandbox } from '../sandbox/sandbox.js';
import { runCliAgainst } from './cli-support.js';

describe('cin7-bc doctor on the demo scenario', () => {
  let sandbox: Sandbox;
  let scenario: Scenario;
  beforeAll(async () => {
    sandbox = await startSandbox({ azuriteConnectionString: inject('azuriteConnectionString'), cin7RateLimit: false });
    scenario = buildScenario({ purchases: 60, seed: 42 });
    await seedScenario(sandbox, scenario);
  });
  afterAll(() => sandbox?.close());

  it('when the demo company is checked before any sync, then every account gap the invoices will hit is listed', async () => {
    const run = await runCliAgainst(sandbox, ['doctor', '--json']);
    const report = run.json<DoctorReport>();
    expect(report.connected).toBe(true);
    const accountGaps = new Set(report.gaps.accounts.map((g) => g.source));
    // Every account gap the scenario expects to park invoices on (`account:640` …) is among doctor's gaps.
    const expectedAccounts = Object.keys(scenario.expected.gaps)
      .filter((gap) => gap.startsWith('account:'))
      .map((gap) => gap.slice('account:'.length));
    expect(expectedAccounts.length).toBeGreaterThan(0);
    for (const code of expectedAccounts) expect(accountGaps).toContain(code);
    expect(run.code).toBe(1);
  });
});
