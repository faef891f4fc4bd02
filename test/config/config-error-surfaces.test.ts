/**
 * I7: a setting that carries a credential (URL user-info, a storage or Service Bus connection string, a SAS
 * token) is reported by name on every surface an operator sees, and the credential on none of them.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { loadSettings } from '../../src/config/settings.js';
import { createAdminHealthHandler } from '../../src/functions/admin-health.js';
import { call } from '../admin/admin-support.js';

const CREDENTIALS = [
  'url-key-SECRET-1',
  'STORAGE-KEY-2',
  'SB-KEY-3',
  'SAS-SIG-4',
  'AccountKey',
  'SharedAccessKey=',
  'sig=',
];

/** A local environment whose address settings carry credentials in every shape an operator might paste. */
const leakyEnv: Record<string, string> = {
  BC_TENANT_ID: 'contoso.onmicrosoft.com',
  BC_ENVIRONMENT: 'Production',
  BC_COMPANY_ID: '3f2504e0-4f89-11d3-9a0c-0305e82c3301',
  BC_CLIENT_ID: '9b2c1d34-5e6f-4a1b-8c9d-0e1f2a3b4c5d',
  CIN7_ACCOUNT_ID: 'acct-0001',
  CIN7_APPLICATION_KEY: 'app-key',
  BC_CLIENT_SECRET: 'bc-secret',
  SYNC_QUEUE_MODE: 'memory',
  CIN7_BASE_URL: 'https://acct-0001:url-key-SECRET-1@inventory.dearsystems.com/ExternalApi/v2/',
  AzureWebJobsStorage__tableServiceUri:
    'DefaultEndpointsProtocol=https;AccountName=contosost;AccountKey=STORAGE-KEY-2==;EndpointSuffix=core.windows.net',
  ServiceBusConnection__fullyQualifiedNamespace:
    'Endpoint=sb://contoso-sb.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=SB-KEY-3=',
  BC_API_BASE_URL: 'https://api.businesscentral.dynamics.com/v2.0?sv=2022-11-02&sig=SAS-SIG-4',
};
const NAMED = [
  'CIN7_BASE_URL',
  'AzureWebJobsStorage__tableServiceUri',
  'ServiceBusConnection__fullyQualifiedNamespace',
  'BC_API_BASE_URL',
];

function expectNamedWithoutCredentials(text: string): void {
  for (const name of NAMED) expect(text).toContain(name);
  for (const credential of CREDENTIALS) expect(text).not.toContain(credential);
}

describe('configuration errors carry no credentials (I7)', () => {
  it('when the Functions host logs the settings error, then it names each setting and shows no credential', () => {
    let thrown: unknown;
    try {
      loadSettings(leakyEnv);
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(Error);
    // The host logs the exception with its stack; inspect shows that and every own property.
    expectNamedWithoutCredentials(inspect(thrown, { depth: 5 }));
  });

  it('when the admin health check cannot load the settings, then its 503 body names them without credentials', async () => {
    const response = await call(createAdminHealthHandler({ settings: () => loadSettings(leakyEnv) }), 'admin/health');

    expect(response.status).toBe(503);
    expectNamedWithoutCredentials(JSON.stringify(response.body));
  });

  it('when doctor runs with such settings, then it exits 2 and its output names them without credentials', async () => {
    const out: string[] = [];
    const err: string[] = [];

    const code = await runCli(['doctor'], {
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => err.push(text) },
      env: leakyEnv,
    });

    expect(code).toBe(2);
    expectNamedWithoutCredentials(`${out.join('')}${err.join('')}`);
  });
});
