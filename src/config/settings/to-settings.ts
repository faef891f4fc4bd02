/**
 * The typed settings the app reads, built from the parsed catalogue fields. `Settings` is the type of what
 * `toSettings` returns, so a new setting is its catalogue row plus one line here.
 */
import type { Secret } from '../secret.js';
import { secretNames, secretSettingNames, type SecretName } from '../secret-names.js';
import type { Fields } from './catalogue.js';

/** Where the tables live: a connection string locally, the managed identity in Azure. */
export type StorageSettings = (
  | { kind: 'connection-string'; connectionString: Secret }
  | { kind: 'identity'; tableServiceUri: string; clientId?: string }
) & { tablePrefix: string };

/** The sync job queue: Service Bus (identity or connection string) or the in-process queue. */
export type QueueSettings = { queueName: string } & (
  | { kind: 'memory' }
  | { kind: 'identity'; fullyQualifiedNamespace: string; clientId?: string }
  | { kind: 'connection-string'; connectionString: Secret }
);

/** Everything the app reads from its settings, typed. Secrets appear only as `Secret`. */
export type Settings = ReturnType<typeof toSettings>;

export function toSettings(f: Fields) {
  return {
    cin7: {
      /** Always ends with `/`. */
      baseUrl: f.CIN7_BASE_URL,
      callsPerMinute: f.CIN7_CALLS_PER_MINUTE,
      /** Values for products and suppliers the connector creates in Cin7. */
      defaults: {
        costingMethod: f.CIN7_DEFAULT_COSTING_METHOD,
        uom: f.CIN7_DEFAULT_UOM,
        ...optional('category', f.CIN7_DEFAULT_CATEGORY),
        ...optional('accountPayable', f.CIN7_DEFAULT_ACCOUNT_PAYABLE),
        ...optional('taxRule', f.CIN7_DEFAULT_TAX_RULE),
        ...optional('paymentTerm', f.CIN7_DEFAULT_PAYMENT_TERM),
        ...optional('currency', f.CIN7_DEFAULT_CURRENCY),
      },
    },
    bc: {
      tenantId: f.BC_TENANT_ID,
      environment: f.BC_ENVIRONMENT,
      companyId: f.BC_COMPANY_ID,
      clientId: f.BC_CLIENT_ID,
      /** Never ends with `/`. */
      apiBaseUrl: f.BC_API_BASE_URL,
      ...optional('authorityHost', f.AZURE_AUTHORITY_HOST),
      useManagedIdentityFederation: f.BC_USE_MANAGED_IDENTITY_FEDERATION,
    },
    secrets: {
      /** When set, every secret is read from this vault and `local` is ignored. */
      ...optional('keyVaultUrl', f.KEY_VAULT_URL),
      /** Secrets given directly as settings (local runs). */
      local: localSecrets(f),
    },
    storage: toStorage(f),
    queue: toQueue(f),
    behaviour: {
      eligibleApproaches: f.ELIGIBLE_APPROACHES,
      lineMode: f.LINE_MODE,
      amountTolerance: f.AMOUNT_TOLERANCE,
      autoCreateVendors: f.AUTO_CREATE_VENDORS,
      autoCreateCategories: f.AUTO_CREATE_CATEGORIES,
      vendorMaster: f.VENDOR_MASTER,
      vendorInvoiceNumberFallback: f.VENDOR_INVOICE_NUMBER_FALLBACK,
      invoiceNumberOrigin: f.CIN7_INVOICE_NUMBER_ORIGIN,
      postingDatePolicy: f.POSTING_DATE_POLICY,
      taxModel: f.BC_TAX_MODEL,
      pollOverlapMinutes: f.POLL_OVERLAP_MINUTES,
      pollInitialLookbackDays: f.POLL_INITIAL_LOOKBACK_DAYS,
      maxAttempts: f.MAX_ATTEMPTS,
      retryBaseSeconds: f.RETRY_BASE_SECONDS,
      retryMaxSeconds: f.RETRY_MAX_SECONDS,
      stuckRecordMinutes: f.STUCK_RECORD_MINUTES,
    },
    /** NCRONTAB expressions for the timer functions. */
    schedules: {
      pollCin7: f.POLL_CIN7_SCHEDULE,
      pollBc: f.POLL_BC_SCHEDULE,
      renewSubscriptions: f.RENEW_SUBSCRIPTIONS_SCHEDULE,
      checkWebhooks: f.CHECK_WEBHOOKS_SCHEDULE,
      openRecordsSnapshot: f.OPEN_RECORDS_SNAPSHOT_SCHEDULE,
    },
    webhooks: {
      /** Without a trailing slash; absent means webhooks and subscriptions cannot be registered. */
      ...optional('publicBaseUrl', f.PUBLIC_BASE_URL),
      maxBodyBytes: f.WEBHOOK_MAX_BODY_BYTES,
    },
  };
}

/** The secrets given as settings, by Key Vault name (local runs; ignored when KEY_VAULT_URL is set). */
function localSecrets(f: Fields): Partial<Record<SecretName, Secret>> {
  const local: Partial<Record<SecretName, Secret>> = {};
  for (const name of secretNames) {
    const value = f[secretSettingNames[name]];
    if (value !== undefined) local[name] = value;
  }
  return local;
}

function toStorage(f: Fields): StorageSettings {
  const tablePrefix = f.TABLE_PREFIX;
  // The exact-name connection string wins over the identity group, as in the Functions host.
  if (f.AzureWebJobsStorage !== undefined) {
    return { kind: 'connection-string', connectionString: f.AzureWebJobsStorage, tablePrefix };
  }
  const tableServiceUri =
    f.AzureWebJobsStorage__tableServiceUri ??
    `https://${checked(f.AzureWebJobsStorage__accountName, 'AzureWebJobsStorage__accountName')}.table.core.windows.net`;
  return { kind: 'identity', tableServiceUri, ...optional('clientId', f.AzureWebJobsStorage__clientId), tablePrefix };
}

function toQueue(f: Fields): QueueSettings {
  const queueName = f.SYNC_QUEUE_NAME;
  if (f.SYNC_QUEUE_MODE === 'memory') return { kind: 'memory', queueName };
  if (f.ServiceBusConnection !== undefined) {
    return { kind: 'connection-string', connectionString: f.ServiceBusConnection, queueName };
  }
  return {
    kind: 'identity',
    fullyQualifiedNamespace: checked(
      f.ServiceBusConnection__fullyQualifiedNamespace,
      'ServiceBusConnection__fullyQualifiedNamespace',
    ),
    ...optional('clientId', f.ServiceBusConnection__clientId),
    queueName,
  };
}

/** A value the cross-setting rules already proved present; reaching the throw means the two disagree (a bug). */
function checked(value: string | undefined, name: string): string {
  if (value === undefined) throw new Error(`settings: ${name} passed validation but is absent`);
  return value;
}

/**
 * `{ key: value }` when the value is defined, else `{}`: optional properties stay absent
 * (exactOptionalPropertyTypes).
 */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}
