import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ConfigError } from '../../src/config/settings.js';
import { createAdminDeepHealthHandler, createAdminHealthHandler } from '../../src/functions/admin-health.js';
import type { HealthCheck } from '../../src/sync/admin/health.js';
import { startSandbox, type Sandbox } from '../sandbox/sandbox.js';
import { call } from './admin-support.js';

describe('admin health API', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ azuriteConnectionString: inject('azuriteConnectionString') });
  });
  afterAll(() => sandbox?.close());

  const deep = () =>
    createAdminDeepHealthHandler({
      settings: () => sandbox.settings,
      getDeps: () => Promise.resolve(sandbox.deps),
      logger: () => sandbox.deps.logger,
    });

  it('when settings loaded, then the shallow check answers 200', async () => {
    const response = await call(createAdminHealthHandler({ settings: () => sandbox.settings }), 'admin/health');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'ok', settingsLoaded: true });
  });

  it('when settings are invalid, then the shallow check answers 503 naming the setting', async () => {
    const handler = createAdminHealthHandler({
      settings: () => {
        throw ConfigError.fromIssues([{ setting: 'BC_TENANT_ID', problem: 'is missing' }]);
      },
    });
    const response = await call(handler, 'admin/health');
    expect(response.status).toBe(503);
    expect(String(response.body['error'])).toContain('BC_TENANT_ID');
  });

  it('when every dependency answers, then the deep check is 200 with each check ok and timed', async () => {
    const response = await call(deep(), 'admin/health/deep');
    expect(response.status).toBe(200);
    const checks = response.body['checks'] as HealthCheck[];
    expect(response.body['status']).toBe('ok');
    expect(checks.map((c) => c.name)).toEqual(['bc-token', 'bc-company', 'cin7', 'storage', 'queue', 'stuck-records']);
    for (const check of checks) {
      expect(check.ok).toBe(true);
      expect(check.durationMs).toBeGreaterThanOrEqual(0);
    }
  });

  it('when Cin7 refuses the credentials, then the deep check is 503 and only the Cin7 check fails', async () => {
    sandbox.faults.add({ system: 'cin7', path: '/me', kind: 'server-error', status: 403, times: 1 });
    const response = await call(deep(), 'admin/health/deep');
    expect(response.status).toBe(503);
    const checks = response.body['checks'] as HealthCheck[];
    expect(checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['cin7']);
    expect(checks.find((c) => c.name === 'cin7')?.error).toMatch(/^auth: /);
    expect(JSON.stringify(response.body)).not.toContain(sandbox.env['CIN7_APPLICATION_KEY']);
  });

  it('when invoices sit in created and creating past STUCK_RECORD_MINUTES, then the deep check stays 200 but says attention, naming how many and the oldest', async () => {
    // Arrange
    const entry = (recordId: string, state: 'created' | 'creating', ageMinutes: number) => ({
      recordType: 'purchase-invoice' as const,
      recordId,
      state,
      correlationId: recordId,
      label: `PO-${recordId}`,
      attempts: 1,
      updatedAt: new Date(Date.now() - ageMinutes * 60_000).toISOString(),
    });
    await sandbox.deps.stores.ledger.create(entry('stuck-1', 'created', 90));
    await sandbox.deps.stores.ledger.create(entry('stuck-2', 'creating', 185));
    await sandbox.deps.stores.ledger.create(entry('busy-3', 'creating', 2));

    // Act
    const response = await call(deep(), 'admin/health/deep');

    // Assert
    expect([response.status, response.body['status']]).toEqual([200, 'attention']);
    const check = (response.body['checks'] as HealthCheck[]).find((c) => c.name === 'stuck-records');
    expect(check?.ok).toBe(true);
    expect(check?.attention).toMatch(
      /^2 records in creating\/created for more than 60 min \(STUCK_RECORD_MINUTES\); oldest: purchase-invoice PO-stuck-2, creating for 3 h 5 min\./,
    );
  });
});
