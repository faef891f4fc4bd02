import { describe, expect, it } from 'vitest';
import {
  appSettingNames,
  ConfigError,
  loadSettings,
  localOnlySettingNames,
  optionalSettingNames,
  renderSettingsTable,
  settingsDocumentation,
} from '../../src/config/settings.js';
import { ValidationError } from '../../src/core/errors.js';

const COMPANY_ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const CLIENT_ID = '9b2c1d34-5e6f-4a1b-8c9d-0e1f2a3b4c5d';

/** A complete local environment: Azurite, in-process queue, secrets as settings. */
function buildEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    BC_TENANT_ID: 'contoso.onmicrosoft.com',
    BC_ENVIRONMENT: 'Production',
    BC_COMPANY_ID: COMPANY_ID,
    BC_CLIENT_ID: CLIENT_ID,
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    SYNC_QUEUE_MODE: 'memory',
    CIN7_ACCOUNT_ID: 'acct-0001',
    CIN7_APPLICATION_KEY: 'app-key-super-secret-value',
    BC_CLIENT_SECRET: 'bc-secret-super-secret-value',
    ...overrides,
  };
}

/** An Azure-shaped environment: identities and Key Vault, no secrets in settings. */
function buildAzureEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    BC_TENANT_ID: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    BC_ENVIRONMENT: 'Production',
    BC_COMPANY_ID: COMPANY_ID,
    BC_CLIENT_ID: CLIENT_ID,
    KEY_VAULT_URL: 'https://contoso-kv.vault.azure.net/',
    AzureWebJobsStorage__tableServiceUri: 'https://contosost.table.core.windows.net/',
    AzureWebJobsStorage__clientId: CLIENT_ID,
    AzureWebJobsStorage__credential: 'managedidentity',
    ServiceBusConnection__fullyQualifiedNamespace: 'contoso-sb.servicebus.windows.net',
    ServiceBusConnection__clientId: CLIENT_ID,
    PUBLIC_BASE_URL: 'https://contoso-func.azurewebsites.net/',
    ...overrides,
  };
}

function configErrorOf(env: Record<string, string | undefined>): ConfigError {
  try {
    loadSettings(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected loadSettings to throw');
}

describe('loadSettings: missing settings', () => {
  it('when the environment is empty, then one error names every required setting and the storage', () => {
    const error = configErrorOf({});

    for (const name of ['BC_TENANT_ID', 'BC_ENVIRONMENT', 'BC_COMPANY_ID', 'BC_CLIENT_ID', 'AzureWebJobsStorage']) {
      expect(error.message).toContain(name);
    }
    expect(error.message).toContain('ServiceBusConnection__fullyQualifiedNamespace');
    expect(error.issues.map((issue) => issue.setting)).toEqual(
      expect.arrayContaining([
        'BC_TENANT_ID',
        'BC_ENVIRONMENT',
        'BC_COMPANY_ID',
        'BC_CLIENT_ID',
        'AzureWebJobsStorage',
      ]),
    );
  });

  it('when settings are missing, then the error is a ValidationError from the config system', () => {
    const error = configErrorOf({});

    expect(error).toBeInstanceOf(ValidationError);
    expect(error.name).toBe('ConfigError');
    expect(error.system).toBe('config');
    expect(error.retryable).toBe(false);
  });

  it('when neither KEY_VAULT_URL nor the secrets are set, then the error names each secret setting and says to set one', () => {
    const error = configErrorOf(
      buildEnv({ CIN7_ACCOUNT_ID: undefined, CIN7_APPLICATION_KEY: '', BC_CLIENT_SECRET: undefined }),
    );

    for (const name of ['CIN7_ACCOUNT_ID', 'CIN7_APPLICATION_KEY', 'BC_CLIENT_SECRET']) {
      expect(error.issues.find((issue) => issue.setting === name)?.problem).toContain('KEY_VAULT_URL');
    }
  });

  it('when BC uses managed identity federation, then no BC client secret is required', () => {
    const settings = loadSettings(
      buildEnv({ BC_CLIENT_SECRET: undefined, BC_USE_MANAGED_IDENTITY_FEDERATION: 'TRUE' }),
    );

    expect(settings.bc.useManagedIdentityFederation).toBe(true);
    expect(settings.secrets.local['bc-client-secret']).toBeUndefined();
  });

  it('when PUBLIC_BASE_URL is set without a vault, then the webhook secret and client state are required', () => {
    const error = configErrorOf(buildEnv({ PUBLIC_BASE_URL: 'https://example.ngrok.app' }));

    expect(error.issues.map((issue) => issue.setting)).toEqual(['CIN7_WEBHOOK_SECRET', 'BC_CLIENT_STATE']);
  });

  it('when the queue is Service Bus but no connection is set, then the error offers SYNC_QUEUE_MODE=memory', () => {
    const error = configErrorOf(buildEnv({ SYNC_QUEUE_MODE: undefined }));

    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.setting).toBe('ServiceBusConnection__fullyQualifiedNamespace');
    expect(error.message).toContain('SYNC_QUEUE_MODE=memory');
  });
});

describe('loadSettings: invalid values', () => {
  it('when several values are invalid, then all of them are reported in one error', () => {
    const error = configErrorOf(
      buildEnv({
        LINE_MODE: 'foo',
        AMOUNT_TOLERANCE: '-1',
        ELIGIBLE_APPROACHES: 'ORDER',
        CIN7_BASE_URL: 'not a url',
        BC_COMPANY_ID: 'company-1',
        MAX_ATTEMPTS: '0',
        AUTO_CREATE_VENDORS: 'yes',
        POLL_CIN7_SCHEDULE: '*/5 * * * *',
      }),
    );

    expect(error.issues.map((issue) => issue.setting).sort()).toEqual(
      [
        'AMOUNT_TOLERANCE',
        'AUTO_CREATE_VENDORS',
        'BC_COMPANY_ID',
        'CIN7_BASE_URL',
        'ELIGIBLE_APPROACHES',
        'LINE_MODE',
        'MAX_ATTEMPTS',
        'POLL_CIN7_SCHEDULE',
      ].sort(),
    );
    expect(error.message).toMatch(/LINE_MODE: must be one of account, item, auto \(got 'foo'\)/);
    expect(error.message).toMatch(/ELIGIBLE_APPROACHES: .*INVOICE.*STOCK/);
  });

  it('when settings are both missing and invalid, then both kinds are reported together', () => {
    const error = configErrorOf(
      buildEnv({ BC_TENANT_ID: undefined, LINE_MODE: 'foo', AzureWebJobsStorage: undefined }),
    );

    expect(error.issues.map((issue) => issue.setting)).toEqual(['BC_TENANT_ID', 'AzureWebJobsStorage', 'LINE_MODE']);
  });

  it('when RETRY_MAX_SECONDS is below RETRY_BASE_SECONDS, then it is reported', () => {
    const error = configErrorOf(buildEnv({ RETRY_BASE_SECONDS: '600', RETRY_MAX_SECONDS: '60' }));

    expect(error.issues).toEqual([
      { setting: 'RETRY_MAX_SECONDS', problem: expect.stringContaining('RETRY_BASE_SECONDS') as unknown },
    ]);
  });

  it('when a setting is an unresolved Key Vault reference, then it is reported with the role to grant', () => {
    const error = configErrorOf(
      buildAzureEnv({
        BC_CLIENT_ID: '@Microsoft.KeyVault(SecretUri=https://contoso-kv.vault.azure.net/secrets/bc-client-id/)',
      }),
    );

    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.setting).toBe('BC_CLIENT_ID');
    expect(error.issues[0]?.problem).toContain('an unresolved Key Vault reference');
    expect(error.issues[0]?.problem).toContain("'Key Vault Secrets User'");
  });

  it('when a secret setting is an unresolved Key Vault reference, then it counts as present but is reported', () => {
    const error = configErrorOf(
      buildEnv({ CIN7_APPLICATION_KEY: '@Microsoft.KeyVault(VaultName=kv;SecretName=cin7-application-key)' }),
    );

    expect(error.issues.map((issue) => issue.setting)).toEqual(['CIN7_APPLICATION_KEY']);
  });

  it('when secret settings hold invalid companions, then no secret value appears in the message', () => {
    const error = configErrorOf(
      buildEnv({
        AzureWebJobsStorage: 'not-a-connection-string-but-SECRET-123',
        ServiceBusConnection: 'SharedAccessKey=SECRET-456',
        SYNC_QUEUE_MODE: 'service-bus',
        LINE_MODE: 'foo',
      }),
    );

    expect(error.issues.map((issue) => issue.setting)).toEqual([
      'AzureWebJobsStorage',
      'ServiceBusConnection',
      'LINE_MODE',
    ]);
    for (const value of ['SECRET-123', 'SECRET-456', 'app-key-super-secret-value', 'bc-secret-super-secret-value']) {
      expect(error.message).not.toContain(value);
      expect(JSON.stringify(error.issues)).not.toContain(value);
    }
  });

  it('when an invalid URL carries a query string, then the query is not echoed', () => {
    const error = configErrorOf(
      buildEnv({ PUBLIC_BASE_URL: 'ftp://example.com/?code=abc', CIN7_WEBHOOK_SECRET: 'w', BC_CLIENT_STATE: 's' }),
    );

    expect(error.issues.map((issue) => issue.setting)).toEqual(['PUBLIC_BASE_URL']);
    expect(error.message).not.toContain('code=abc');
  });
});

describe('loadSettings: credentials in values (I7)', () => {
  it('when a URL setting carries a user name and key, then the error says so and shows neither', () => {
    const error = configErrorOf(
      buildEnv({ CIN7_BASE_URL: 'https://acct-0001:url-key-SECRET-1@inventory.dearsystems.com/ExternalApi/v2/' }),
    );

    expect(error.issues).toEqual([
      {
        setting: 'CIN7_BASE_URL',
        problem: expect.stringContaining('must not carry credentials in the URL') as unknown,
      },
    ]);
    expect(error.message).not.toContain('url-key-SECRET-1');
    expect(error.message).not.toContain('acct-0001:');
  });

  it('when a connection string or SAS token is pasted where an address belongs, then no part of it is shown', () => {
    const error = configErrorOf(
      buildEnv({
        AzureWebJobsStorage: undefined,
        AzureWebJobsStorage__tableServiceUri:
          'DefaultEndpointsProtocol=https;AccountName=contosost;AccountKey=STORAGE-KEY-2==;EndpointSuffix=core.windows.net',
        SYNC_QUEUE_MODE: 'service-bus',
        ServiceBusConnection__fullyQualifiedNamespace:
          'Endpoint=sb://contoso-sb.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=SB-KEY-3=',
        BC_API_BASE_URL: 'sv=2022-11-02&ss=t&srt=o&sp=r&sig=SAS-SIG-4',
        KEY_VAULT_URL: 'https://contoso-kv.vault.azure.net/?sv=2022-11-02&sig=SAS-SIG-5',
        CIN7_DEFAULT_CURRENCY: 'BlobEndpoint=https://x.blob.core.windows.net;SharedAccessSignature=sv=1&sig=SAS-SIG-6',
      }),
    );

    expect(error.issues.map((issue) => issue.setting)).toEqual([
      'BC_API_BASE_URL',
      'KEY_VAULT_URL',
      'AzureWebJobsStorage__tableServiceUri',
      'ServiceBusConnection__fullyQualifiedNamespace',
      'CIN7_DEFAULT_CURRENCY',
    ]);
    expect(error.issues[0]?.problem).toContain('holds a connection string or SAS token');
    const everything = [error.message, JSON.stringify(error.issues), error.stack ?? ''].join('\n');
    for (const leak of ['AccountKey', 'SharedAccessKey=', 'sig=', 'STORAGE-KEY-2', 'SB-KEY-3', 'SAS-SIG-']) {
      expect(everything).not.toContain(leak);
    }
  });
});

describe('loadSettings: values and defaults', () => {
  it('when only the required settings are given, then every documented default is applied', () => {
    const settings = loadSettings(buildEnv());

    expect(settings.cin7).toEqual({
      baseUrl: 'https://inventory.dearsystems.com/ExternalApi/v2/',
      callsPerMinute: 60,
      defaults: { costingMethod: 'FIFO', uom: 'Item' },
    });
    expect(settings.bc.apiBaseUrl).toBe('https://api.businesscentral.dynamics.com/v2.0');
    expect(settings.bc.useManagedIdentityFederation).toBe(false);
    expect(settings.behaviour).toEqual({
      eligibleApproaches: ['INVOICE', 'STOCK'],
      lineMode: 'account',
      amountTolerance: 0.01,
      autoCreateVendors: false,
      autoCreateCategories: false,
      vendorMaster: 'cin7',
      vendorInvoiceNumberFallback: 'order-number',
      invoiceNumberOrigin: 'supplier',
      postingDatePolicy: 'invoice-date',
      taxModel: 'vat',
      pollOverlapMinutes: 10,
      pollInitialLookbackDays: 30,
      maxAttempts: 8,
      retryBaseSeconds: 30,
      retryMaxSeconds: 3600,
      stuckRecordMinutes: 60,
    });
    expect(settings.schedules).toEqual({
      pollCin7: '0 */15 * * * *',
      pollBc: '0 */15 * * * *',
      renewSubscriptions: '0 0 */6 * * *',
      checkWebhooks: '0 30 * * * *',
      openRecordsSnapshot: '0 */15 * * * *',
    });
    expect(settings.webhooks).toEqual({ maxBodyBytes: 262144 });
    expect(settings.queue).toEqual({ kind: 'memory', queueName: 'sync-jobs' });
    expect(settings.storage).toMatchObject({ kind: 'connection-string', tablePrefix: '' });
  });

  it('when values are given in mixed case and with spaces, then they are normalised', () => {
    const settings = loadSettings(
      buildEnv({
        CIN7_BASE_URL: 'http://localhost:7071/cin7 ',
        BC_API_BASE_URL: 'http://localhost:7072/bc/',
        ELIGIBLE_APPROACHES: ' invoice ',
        LINE_MODE: 'AUTO',
        AUTO_CREATE_VENDORS: '1',
        AUTO_CREATE_CATEGORIES: 'True',
        AMOUNT_TOLERANCE: '0.5',
        CIN7_INVOICE_NUMBER_ORIGIN: ' Cin7 ',
        BC_COMPANY_ID: COMPANY_ID.toUpperCase(),
      }),
    );

    expect(settings.cin7.baseUrl).toBe('http://localhost:7071/cin7/');
    expect(settings.bc.apiBaseUrl).toBe('http://localhost:7072/bc');
    expect(settings.bc.companyId).toBe(COMPANY_ID);
    expect(settings.behaviour.eligibleApproaches).toEqual(['INVOICE']);
    expect(settings.behaviour.lineMode).toBe('auto');
    expect(settings.behaviour.autoCreateVendors).toBe(true);
    expect(settings.behaviour.autoCreateCategories).toBe(true);
    expect(settings.behaviour.amountTolerance).toBe(0.5);
    expect(settings.behaviour.invoiceNumberOrigin).toBe('cin7');
  });

  it('when CIN7_INVOICE_NUMBER_ORIGIN, STUCK_RECORD_MINUTES or OPEN_RECORDS_SNAPSHOT_SCHEDULE is invalid, then each is reported', () => {
    expect(() =>
      loadSettings(
        buildEnv({
          CIN7_INVOICE_NUMBER_ORIGIN: 'vendor',
          STUCK_RECORD_MINUTES: '2',
          OPEN_RECORDS_SNAPSHOT_SCHEDULE: 'every 15 minutes',
        }),
      ),
    ).toThrow(
      /CIN7_INVOICE_NUMBER_ORIGIN[\s\S]*must be one of supplier, cin7[\s\S]*STUCK_RECORD_MINUTES[\s\S]*OPEN_RECORDS_SNAPSHOT_SCHEDULE/,
    );
  });

  it('when the Azure identity settings are used, then storage and queue use the managed identity', () => {
    const settings = loadSettings(buildAzureEnv());

    expect(settings.storage).toEqual({
      kind: 'identity',
      tableServiceUri: 'https://contosost.table.core.windows.net',
      clientId: CLIENT_ID,
      tablePrefix: '',
    });
    expect(settings.queue).toEqual({
      kind: 'identity',
      fullyQualifiedNamespace: 'contoso-sb.servicebus.windows.net',
      clientId: CLIENT_ID,
      queueName: 'sync-jobs',
    });
    expect(settings.secrets).toEqual({ keyVaultUrl: 'https://contoso-kv.vault.azure.net/', local: {} });
    expect(settings.webhooks.publicBaseUrl).toBe('https://contoso-func.azurewebsites.net');
  });

  it('when only the storage account name is set, then the table endpoint is derived from it', () => {
    const settings = loadSettings(
      buildAzureEnv({
        AzureWebJobsStorage__tableServiceUri: undefined,
        AzureWebJobsStorage__clientId: undefined,
        AzureWebJobsStorage__accountName: 'contosost',
      }),
    );

    expect(settings.storage).toEqual({
      kind: 'identity',
      tableServiceUri: 'https://contosost.table.core.windows.net',
      tablePrefix: '',
    });
  });

  it('when connection strings are given, then they are kept only as Secrets', () => {
    const settings = loadSettings(
      buildEnv({
        SYNC_QUEUE_MODE: undefined,
        ServiceBusConnection: 'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=x;SharedAccessKey=abc',
      }),
    );

    expect(settings.queue.kind).toBe('connection-string');
    expect(JSON.stringify(settings)).not.toContain('SharedAccessKey=abc');
    expect(JSON.stringify(settings)).not.toContain('UseDevelopmentStorage');
    expect(JSON.stringify(settings)).not.toContain('app-key-super-secret-value');
    if (settings.queue.kind === 'connection-string')
      expect(settings.queue.connectionString.reveal()).toContain('SharedAccessKey=abc');
  });

  it('when secrets are set locally, then they are available as Secrets by Key Vault name', () => {
    const settings = loadSettings(buildEnv());

    expect(settings.secrets.local['cin7-application-key']?.reveal()).toBe('app-key-super-secret-value');
    expect(String(settings.secrets.local['cin7-application-key'])).toBe('[redacted]');
  });
});

describe('settings documentation', () => {
  it('when the lists are derived, then every documented setting is in exactly one of them', () => {
    const all = [...appSettingNames, ...optionalSettingNames, ...localOnlySettingNames].sort();

    expect(all).toEqual(settingsDocumentation.map((doc) => doc.name).sort());
    expect(new Set(all).size).toBe(all.length);
  });

  it('when a setting has a default, then it is optional and its default parses', () => {
    const withDefaults = settingsDocumentation.filter((doc) => doc.default !== undefined);

    expect(withDefaults.every((doc) => doc.required === 'no')).toBe(true);
    const env = buildAzureEnv(Object.fromEntries(withDefaults.map((doc) => [doc.name, doc.default])));
    expect(() => loadSettings(env)).not.toThrow();
  });

  it('when an Azure deployment sets exactly the app settings, then they load', () => {
    const env = buildAzureEnv();

    expect(appSettingNames.every((name) => env[name] !== undefined)).toBe(true);
    expect(() =>
      loadSettings(Object.fromEntries(Object.entries(env).filter(([name]) => appSettingNames.includes(name)))),
    ).not.toThrow();
  });

  it('when the README table is rendered, then it has one row per setting with its default', () => {
    const table = renderSettingsTable().split('\n');

    expect(table).toHaveLength(settingsDocumentation.length + 2);
    expect(table).toContain(
      '| `LINE_MODE` | no | `account` | BC invoice lines as G/L account lines (account), item lines (item), or items when the SKU exists (auto). |',
    );
  });
});
