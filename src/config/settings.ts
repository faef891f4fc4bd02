/**
 * Every app setting the connector reads, parsed at once from `process.env` (DESIGN §5 names, verbatim).
 *
 * `loadSettings` reports every missing or invalid setting in one `ConfigError` so a bad deployment is fixed
 * in one round (DESIGN §3.8), and never echoes the value of a secret. Defaults live in
 * `settingsDocumentation`, which the README table and the infra test read, so docs and code cannot drift.
 */
import { z } from 'zod';
import { ConfigError } from './config-error.js';
import type { ConfigIssue } from './config-error.js';
import { Secret } from './secret.js';
import { secretNames, secretSettingNames } from './secret-names.js';
import type { SecretName } from './secret-names.js';

export { ConfigError, isConfigError } from './config-error.js';
export type { ConfigIssue } from './config-error.js';
export type { SecretName } from './secret-names.js';

// ---------------------------------------------------------------------------------------------------------
// Documentation: the single list of names, requirements and defaults.

/**
 * When a setting must be set: `always`; `azure` (a deployment in Azure must set it); `local` (only on a
 * developer machine, where there is no Key Vault or managed identity: never set these in Azure); `no`
 * (it has a default or is optional).
 */
export type SettingRequirement = 'always' | 'azure' | 'local' | 'no';

/** One row of the settings table in the README. */
export interface SettingDocumentation {
  readonly name: string;
  readonly required: SettingRequirement;
  /** The value used when the setting is absent or blank. */
  readonly default?: string;
  readonly description: string;
  /** The value is a secret: never logged or echoed in errors. */
  readonly secret?: true;
}

const NCRONTAB_HINT = 'six-field NCRONTAB: {second} {minute} {hour} {day} {month} {day-of-week}';

/** Every setting the app reads, with its requirement, default and meaning. */
export const settingsDocumentation: readonly SettingDocumentation[] = [
  // Cin7 Core
  {
    name: 'CIN7_BASE_URL',
    required: 'no',
    default: 'https://inventory.dearsystems.com/ExternalApi/v2/',
    description: 'Cin7 Core API base URL (a trailing slash is added when missing).',
  },
  {
    name: 'CIN7_ACCOUNT_ID',
    required: 'local',
    secret: true,
    description:
      "Cin7 API account id. In Azure it is the Key Vault secret 'cin7-account-id'; set it here only locally.",
  },
  {
    name: 'CIN7_APPLICATION_KEY',
    required: 'local',
    secret: true,
    description:
      "Cin7 API application key. In Azure it is the Key Vault secret 'cin7-application-key'; set it here only locally.",
  },
  {
    name: 'CIN7_CALLS_PER_MINUTE',
    required: 'no',
    default: '60',
    description: 'Client-side limit on Cin7 API calls per minute (1-60; Cin7 allows 60 per application).',
  },
  {
    name: 'CIN7_WEBHOOK_SECRET',
    required: 'local',
    secret: true,
    description:
      "Secret Cin7 sends with each webhook (Basic or Bearer). In Azure it is the Key Vault secret 'cin7-webhook-secret'; needed locally when PUBLIC_BASE_URL is set.",
  },
  // Business Central
  {
    name: 'BC_TENANT_ID',
    required: 'always',
    description: 'Entra tenant of the Business Central customer (GUID or domain).',
  },
  { name: 'BC_ENVIRONMENT', required: 'always', description: 'Business Central environment name, e.g. Production.' },
  {
    name: 'BC_COMPANY_ID',
    required: 'always',
    description: 'Business Central company id (GUID) every call is scoped to.',
  },
  {
    name: 'BC_CLIENT_ID',
    required: 'always',
    description: 'Application (client) id of the Entra app registered in BC.',
  },
  {
    name: 'BC_CLIENT_SECRET',
    required: 'local',
    secret: true,
    description:
      "Client secret of the Entra app. In Azure it is the Key Vault secret 'bc-client-secret', or none at all with BC_USE_MANAGED_IDENTITY_FEDERATION.",
  },
  {
    name: 'BC_API_BASE_URL',
    required: 'no',
    default: 'https://api.businesscentral.dynamics.com/v2.0',
    description: 'Business Central API base URL (a trailing slash is removed).',
  },
  {
    name: 'AZURE_AUTHORITY_HOST',
    required: 'no',
    description: 'Entra authority host for sovereign clouds (standard @azure/identity variable).',
  },
  {
    name: 'BC_USE_MANAGED_IDENTITY_FEDERATION',
    required: 'no',
    default: 'false',
    description: "Authenticate to BC with a federated credential from the app's managed identity: no client secret.",
  },
  {
    name: 'BC_CLIENT_STATE',
    required: 'local',
    secret: true,
    description:
      "clientState BC echoes on each notification. In Azure it is the Key Vault secret 'bc-client-state'; needed locally when PUBLIC_BASE_URL is set.",
  },
  // Key Vault
  {
    name: 'KEY_VAULT_URL',
    required: 'azure',
    description:
      'Key Vault holding the secrets, e.g. https://<vault>.vault.azure.net/. Without it, secrets come from settings.',
  },
  // Storage
  {
    name: 'AzureWebJobsStorage',
    required: 'local',
    secret: true,
    description: 'Storage connection string for local runs (UseDevelopmentStorage=true for Azurite).',
  },
  {
    name: 'AzureWebJobsStorage__tableServiceUri',
    required: 'azure',
    description:
      'Table endpoint of the host storage account, reached with the managed identity (or set __accountName).',
  },
  {
    name: 'AzureWebJobsStorage__accountName',
    required: 'no',
    description: 'Host storage account name: the table endpoint is derived from it (alternative to __tableServiceUri).',
  },
  {
    name: 'AzureWebJobsStorage__clientId',
    required: 'no',
    description: 'Client id of the user-assigned identity for storage; the system-assigned identity otherwise.',
  },
  {
    name: 'AzureWebJobsStorage__credential',
    required: 'no',
    description: 'managedidentity when __clientId names a user-assigned identity.',
  },
  { name: 'TABLE_PREFIX', required: 'no', default: '', description: 'Prefix of the table names (letters and digits).' },
  // Service Bus
  {
    name: 'ServiceBusConnection__fullyQualifiedNamespace',
    required: 'azure',
    description: 'Service Bus namespace host (<ns>.servicebus.windows.net), reached with the managed identity.',
  },
  {
    name: 'ServiceBusConnection__clientId',
    required: 'no',
    description: 'Client id of the user-assigned identity for Service Bus; the system-assigned identity otherwise.',
  },
  {
    name: 'ServiceBusConnection__credential',
    required: 'no',
    description: 'managedidentity when __clientId names a user-assigned identity.',
  },
  {
    name: 'ServiceBusConnection',
    required: 'local',
    secret: true,
    description: 'Service Bus connection string (local runs against a real namespace only).',
  },
  {
    name: 'SYNC_QUEUE_MODE',
    required: 'no',
    default: 'service-bus',
    description: 'service-bus, or memory for local and CLI runs with the in-process queue (no Service Bus needed).',
  },
  { name: 'SYNC_QUEUE_NAME', required: 'no', default: 'sync-jobs', description: 'The session-enabled sync job queue.' },
  // Behaviour
  {
    name: 'ELIGIBLE_APPROACHES',
    required: 'no',
    default: 'INVOICE,STOCK',
    description: 'Comma-separated Cin7 purchase Approach values that become BC invoices (INVOICE, STOCK).',
  },
  {
    name: 'LINE_MODE',
    required: 'no',
    default: 'account',
    description:
      'BC invoice lines as G/L account lines (account), item lines (item), or items when the SKU exists (auto).',
  },
  {
    name: 'AMOUNT_TOLERANCE',
    required: 'no',
    default: '0.01',
    description: 'Largest difference between the BC and Cin7 invoice totals that still posts (decimal, at least 0).',
  },
  {
    name: 'AUTO_CREATE_VENDORS',
    required: 'no',
    default: 'false',
    description: 'Create a BC vendor for a Cin7 supplier that matches none; otherwise park as needs-mapping.',
  },
  {
    name: 'VENDOR_MASTER',
    required: 'no',
    default: 'cin7',
    description: 'Which system wins for vendor data: cin7 or bc.',
  },
  {
    name: 'VENDOR_INVOICE_NUMBER_FALLBACK',
    required: 'no',
    default: 'order-number',
    description: 'When a Cin7 invoice has no number: use the order number (order-number) or park it (none).',
  },
  {
    name: 'POSTING_DATE_POLICY',
    required: 'no',
    default: 'invoice-date',
    description: 'BC posting date: the Cin7 invoice date (invoice-date) or the day of posting (today).',
  },
  {
    name: 'POLL_OVERLAP_MINUTES',
    required: 'no',
    default: '10',
    description: 'How far each poll reaches back before its watermark (0-1440 minutes).',
  },
  {
    name: 'POLL_INITIAL_LOOKBACK_DAYS',
    required: 'no',
    default: '30',
    description: 'How far the first poll reaches back when there is no watermark (0-3650 days).',
  },
  {
    name: 'MAX_ATTEMPTS',
    required: 'no',
    default: '8',
    description: 'Attempts before a record becomes failed (1-100).',
  },
  {
    name: 'RETRY_BASE_SECONDS',
    required: 'no',
    default: '30',
    description: 'First retry delay before jitter (1-86400 seconds).',
  },
  {
    name: 'RETRY_MAX_SECONDS',
    required: 'no',
    default: '3600',
    description: 'Largest retry delay (1-86400 seconds, at least RETRY_BASE_SECONDS).',
  },
  {
    name: 'POLL_CIN7_SCHEDULE',
    required: 'no',
    default: '0 */15 * * * *',
    description: `Cin7 poll timer (${NCRONTAB_HINT}).`,
  },
  {
    name: 'POLL_BC_SCHEDULE',
    required: 'no',
    default: '0 */15 * * * *',
    description: `BC poll timer (${NCRONTAB_HINT}).`,
  },
  {
    name: 'RENEW_SUBSCRIPTIONS_SCHEDULE',
    required: 'no',
    default: '0 0 */6 * * *',
    description: `BC subscription renewal timer; subscriptions expire after 3 days (${NCRONTAB_HINT}).`,
  },
  {
    name: 'CHECK_WEBHOOKS_SCHEDULE',
    required: 'no',
    default: '0 30 * * * *',
    description: `Timer that re-activates Cin7 webhooks Cin7 switched off (${NCRONTAB_HINT}).`,
  },
  {
    name: 'PUBLIC_BASE_URL',
    required: 'azure',
    description: "The app's public https base URL, used to register Cin7 webhooks and BC subscriptions.",
  },
  {
    name: 'WEBHOOK_MAX_BODY_BYTES',
    required: 'no',
    default: '262144',
    description: 'Largest webhook or notification body accepted (1024-10485760 bytes).',
  },
  {
    name: 'AUTO_CREATE_CATEGORIES',
    required: 'no',
    default: 'false',
    description: 'Create a Cin7 product category that does not exist yet; otherwise park as needs-mapping.',
  },
  {
    name: 'CIN7_DEFAULT_COSTING_METHOD',
    required: 'no',
    default: 'FIFO',
    description: 'Costing method of products created in Cin7.',
  },
  { name: 'CIN7_DEFAULT_UOM', required: 'no', default: 'Item', description: 'Unit of products created in Cin7.' },
  {
    name: 'CIN7_DEFAULT_CATEGORY',
    required: 'no',
    description: 'Category of products created in Cin7 when BC has none.',
  },
  {
    name: 'CIN7_DEFAULT_ACCOUNT_PAYABLE',
    required: 'no',
    description: 'Accounts payable account code of suppliers created in Cin7.',
  },
  { name: 'CIN7_DEFAULT_TAX_RULE', required: 'no', description: 'Tax rule of suppliers created in Cin7.' },
  { name: 'CIN7_DEFAULT_PAYMENT_TERM', required: 'no', description: 'Payment term of suppliers created in Cin7.' },
  {
    name: 'CIN7_DEFAULT_CURRENCY',
    required: 'no',
    description: 'Currency of suppliers created in Cin7 when BC has none.',
  },
];

/** The settings a deployment in Azure must set: they have no default (`always` and `azure` rows). */
export const appSettingNames: readonly string[] = settingsDocumentation
  .filter((doc) => doc.required === 'always' || doc.required === 'azure')
  .map((doc) => doc.name);

/** The settings that have a documented default or are optional (`no` rows). */
export const optionalSettingNames: readonly string[] = settingsDocumentation
  .filter((doc) => doc.required === 'no')
  .map((doc) => doc.name);

/** Settings for developer machines only (secrets and connection strings): never set them in Azure. */
export const localOnlySettingNames: readonly string[] = settingsDocumentation
  .filter((doc) => doc.required === 'local')
  .map((doc) => doc.name);

// ---------------------------------------------------------------------------------------------------------
// The parsed shape.

export type Approach = 'INVOICE' | 'STOCK';
export type LineMode = 'account' | 'item' | 'auto';
export type VendorMaster = 'cin7' | 'bc';
export type VendorInvoiceNumberFallback = 'order-number' | 'none';
export type PostingDatePolicy = 'invoice-date' | 'today';
export type QueueMode = 'service-bus' | 'memory';

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
export interface Settings {
  cin7: {
    /** Always ends with `/`. */
    baseUrl: string;
    callsPerMinute: number;
    /** Values for products and suppliers the connector creates in Cin7. */
    defaults: {
      costingMethod: string;
      uom: string;
      category?: string;
      accountPayable?: string;
      taxRule?: string;
      paymentTerm?: string;
      currency?: string;
    };
  };
  bc: {
    tenantId: string;
    environment: string;
    companyId: string;
    clientId: string;
    /** Never ends with `/`. */
    apiBaseUrl: string;
    authorityHost?: string;
    useManagedIdentityFederation: boolean;
  };
  secrets: {
    /** When set, every secret is read from this vault and `local` is ignored. */
    keyVaultUrl?: string;
    /** Secrets given directly as settings (local runs). */
    local: Partial<Record<SecretName, Secret>>;
  };
  storage: StorageSettings;
  queue: QueueSettings;
  behaviour: {
    eligibleApproaches: Approach[];
    lineMode: LineMode;
    amountTolerance: number;
    autoCreateVendors: boolean;
    autoCreateCategories: boolean;
    vendorMaster: VendorMaster;
    vendorInvoiceNumberFallback: VendorInvoiceNumberFallback;
    postingDatePolicy: PostingDatePolicy;
    pollOverlapMinutes: number;
    pollInitialLookbackDays: number;
    maxAttempts: number;
    retryBaseSeconds: number;
    retryMaxSeconds: number;
  };
  /** NCRONTAB expressions for the timer functions. */
  schedules: {
    pollCin7: string;
    pollBc: string;
    renewSubscriptions: string;
    checkWebhooks: string;
  };
  webhooks: {
    /** Without a trailing slash; absent means webhooks and subscriptions cannot be registered. */
    publicBaseUrl?: string;
    maxBodyBytes: number;
  };
}

// ---------------------------------------------------------------------------------------------------------
// Field parsers: each returns the typed value or says what is wrong and what to do.

type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string };
type Parser<T> = (raw: string) => Parsed<T>;

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (problem: string): Parsed<never> => ({ ok: false, problem });

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/i;
const KEY_VAULT_REFERENCE = '@Microsoft.KeyVault(';

const text =
  (maxLength = 256): Parser<string> =>
  (raw) =>
    raw.length <= maxLength ? ok(raw) : bad(`must be at most ${maxLength} characters`);

const guid: Parser<string> = (raw) =>
  GUID.test(raw) ? ok(raw.toLowerCase()) : bad('must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)');

const tenant: Parser<string> = (raw) =>
  GUID.test(raw) || DOMAIN.test(raw) ? ok(raw) : bad('must be the tenant id (a GUID) or a domain such as contoso.com');

/** An absolute http(s) URL without query or credentials. */
function url(options: { httpsOnly?: boolean; trailingSlash?: 'add' | 'remove' } = {}): Parser<string> {
  return (raw) => {
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      return bad('must be an absolute URL, e.g. https://example.com');
    }
    const allowed = options.httpsOnly === true ? ['https:'] : ['https:', 'http:'];
    if (!allowed.includes(parsed.protocol)) return bad(`must be an ${allowed.join(' or ').replace(/:/g, '')} URL`);
    if (parsed.search !== '' || parsed.username !== '' || parsed.password !== '') {
      return bad('must not carry a query string or credentials');
    }
    let value = raw;
    if (options.trailingSlash === 'add' && !value.endsWith('/')) value = `${value}/`;
    if (options.trailingSlash === 'remove') value = value.replace(/\/+$/, '');
    return ok(value);
  };
}

function integer(min: number, max: number): Parser<number> {
  return (raw) => {
    if (!/^\d+$/.test(raw)) return bad(`must be a whole number from ${min} to ${max}`);
    const value = Number(raw);
    return value >= min && value <= max ? ok(value) : bad(`must be from ${min} to ${max}`);
  };
}

const decimal: Parser<number> = (raw) =>
  /^\d+(\.\d+)?$/.test(raw) ? ok(Number(raw)) : bad('must be a decimal number of at least 0, e.g. 0.01');

const boolean: Parser<boolean> = (raw) => {
  const lower = raw.toLowerCase();
  if (lower === 'true' || lower === '1') return ok(true);
  if (lower === 'false' || lower === '0') return ok(false);
  return bad('must be true or false (or 1 or 0)');
};

function oneOf<const T extends string>(values: readonly T[]): Parser<T> {
  return (raw) => {
    const lower = raw.toLowerCase();
    const match = values.find((value) => value.toLowerCase() === lower);
    return match === undefined ? bad(`must be one of ${values.join(', ')}`) : ok(match);
  };
}

const approaches: Parser<Approach[]> = (raw) => {
  const items = raw
    .split(',')
    .map((item) => item.trim().toUpperCase())
    .filter((item) => item !== '');
  const unknown = items.filter((item) => item !== 'INVOICE' && item !== 'STOCK');
  if (items.length === 0 || unknown.length > 0) {
    return bad('must be a comma-separated list of INVOICE and/or STOCK, e.g. INVOICE,STOCK');
  }
  return ok([...new Set(items)].filter((item): item is Approach => item === 'INVOICE' || item === 'STOCK'));
};

/** Azure Functions timer schedules: six NCRONTAB fields (seconds first). */
const schedule: Parser<string> = (raw) => {
  const fields = raw.split(/\s+/);
  return fields.length === 6 && fields.every((field) => /^[0-9A-Za-z*/,-]+$/.test(field))
    ? ok(fields.join(' '))
    : bad(`must be a ${NCRONTAB_HINT} expression, e.g. 0 */15 * * * *`);
};

const storageAccountName: Parser<string> = (raw) =>
  /^[a-z0-9]{3,24}$/.test(raw) ? ok(raw) : bad('must be a storage account name: 3-24 lower-case letters and digits');

const managedIdentityCredential: Parser<string> = (raw) =>
  raw.toLowerCase() === 'managedidentity' ? ok('managedidentity') : bad('must be managedidentity');

const serviceBusNamespace: Parser<string> = (raw) => {
  // The Functions host wants the bare host name; accept a pasted sb:// or https:// URL and strip it.
  const host = raw.replace(/^(sb|https):\/\//i, '').replace(/\/+$/, '');
  return DOMAIN.test(host) ? ok(host) : bad('must be the namespace host name, e.g. contoso.servicebus.windows.net');
};

const storageConnectionString: Parser<Secret> = (raw) =>
  /^UseDevelopmentStorage=true/i.test(raw) || /(AccountName|TableEndpoint)=/i.test(raw)
    ? ok(new Secret(raw))
    : bad('must be a storage connection string (UseDevelopmentStorage=true for Azurite)');

const serviceBusConnectionString: Parser<Secret> = (raw) =>
  /Endpoint=sb:\/\//i.test(raw)
    ? ok(new Secret(raw))
    : bad('must be a Service Bus connection string (Endpoint=sb://...)');

const secret: Parser<Secret> = (raw) => ok(new Secret(raw));

const tablePrefix: Parser<string> = (raw) =>
  /^([A-Za-z][A-Za-z0-9]{0,29})?$/.test(raw)
    ? ok(raw)
    : bad('must start with a letter and hold only letters and digits (at most 30)');

const queueName: Parser<string> = (raw) =>
  /^[A-Za-z0-9][A-Za-z0-9._-]{0,259}$/.test(raw)
    ? ok(raw)
    : bad('must be a Service Bus queue name (letters, digits, . _ -)');

const environmentName: Parser<string> = (raw) =>
  /^[A-Za-z0-9][A-Za-z0-9_-]{0,29}$/.test(raw)
    ? ok(raw)
    : bad('must be a BC environment name (letters, digits, - and _; at most 30)');

// ---------------------------------------------------------------------------------------------------------
// The schema.

const docsByName = new Map(settingsDocumentation.map((doc) => [doc.name, doc]));
const isSecretSetting = (name: string): boolean => docsByName.get(name)?.secret === true;

/** What an operator should see of a value: nothing for secrets, else a short copy without query strings. */
function describeValue(name: string, raw: string): string {
  if (isSecretSetting(name)) return '';
  const shown = raw.replace(/[?#].*$/, '');
  return ` (got '${shown.length > 80 ? `${shown.slice(0, 80)}…` : shown}')`;
}

function field<T>(name: string, parse: Parser<T>) {
  return z.string().transform((raw, ctx): T => {
    const result = parse(raw);
    if (result.ok) return result.value;
    ctx.addIssue({ code: 'custom', message: `${result.problem}${describeValue(name, raw)}` });
    return z.NEVER;
  });
}

/** A setting that must be present; the zod "missing" message says what to put there. */
function requiredField<T>(name: string, parse: Parser<T>) {
  const hint = docsByName.get(name)?.description ?? '';
  return z
    .string({ error: (issue) => (issue.input === undefined ? `missing. Set it: ${hint}` : undefined) })
    .pipe(field(name, parse));
}

const schema = z.object({
  CIN7_BASE_URL: field('CIN7_BASE_URL', url({ trailingSlash: 'add' })),
  CIN7_ACCOUNT_ID: field('CIN7_ACCOUNT_ID', secret).optional(),
  CIN7_APPLICATION_KEY: field('CIN7_APPLICATION_KEY', secret).optional(),
  // reference/cin7-core-api.md 1.4: Cin7 allows 60 calls per minute per API application.
  CIN7_CALLS_PER_MINUTE: field('CIN7_CALLS_PER_MINUTE', integer(1, 60)),
  CIN7_WEBHOOK_SECRET: field('CIN7_WEBHOOK_SECRET', secret).optional(),
  BC_TENANT_ID: requiredField('BC_TENANT_ID', tenant),
  BC_ENVIRONMENT: requiredField('BC_ENVIRONMENT', environmentName),
  BC_COMPANY_ID: requiredField('BC_COMPANY_ID', guid),
  BC_CLIENT_ID: requiredField('BC_CLIENT_ID', guid),
  BC_CLIENT_SECRET: field('BC_CLIENT_SECRET', secret).optional(),
  BC_API_BASE_URL: field('BC_API_BASE_URL', url({ trailingSlash: 'remove' })),
  AZURE_AUTHORITY_HOST: field('AZURE_AUTHORITY_HOST', url({ httpsOnly: true })).optional(),
  BC_USE_MANAGED_IDENTITY_FEDERATION: field('BC_USE_MANAGED_IDENTITY_FEDERATION', boolean),
  BC_CLIENT_STATE: field('BC_CLIENT_STATE', secret).optional(),
  KEY_VAULT_URL: field('KEY_VAULT_URL', url({ httpsOnly: true })).optional(),
  AzureWebJobsStorage: field('AzureWebJobsStorage', storageConnectionString).optional(),
  AzureWebJobsStorage__tableServiceUri: field(
    'AzureWebJobsStorage__tableServiceUri',
    url({ trailingSlash: 'remove' }),
  ).optional(),
  AzureWebJobsStorage__accountName: field('AzureWebJobsStorage__accountName', storageAccountName).optional(),
  AzureWebJobsStorage__clientId: field('AzureWebJobsStorage__clientId', guid).optional(),
  AzureWebJobsStorage__credential: field('AzureWebJobsStorage__credential', managedIdentityCredential).optional(),
  TABLE_PREFIX: field('TABLE_PREFIX', tablePrefix),
  ServiceBusConnection__fullyQualifiedNamespace: field(
    'ServiceBusConnection__fullyQualifiedNamespace',
    serviceBusNamespace,
  ).optional(),
  ServiceBusConnection__clientId: field('ServiceBusConnection__clientId', guid).optional(),
  ServiceBusConnection__credential: field('ServiceBusConnection__credential', managedIdentityCredential).optional(),
  ServiceBusConnection: field('ServiceBusConnection', serviceBusConnectionString).optional(),
  SYNC_QUEUE_MODE: field('SYNC_QUEUE_MODE', oneOf(['service-bus', 'memory'])),
  SYNC_QUEUE_NAME: field('SYNC_QUEUE_NAME', queueName),
  ELIGIBLE_APPROACHES: field('ELIGIBLE_APPROACHES', approaches),
  LINE_MODE: field('LINE_MODE', oneOf(['account', 'item', 'auto'])),
  AMOUNT_TOLERANCE: field('AMOUNT_TOLERANCE', decimal),
  AUTO_CREATE_VENDORS: field('AUTO_CREATE_VENDORS', boolean),
  VENDOR_MASTER: field('VENDOR_MASTER', oneOf(['cin7', 'bc'])),
  VENDOR_INVOICE_NUMBER_FALLBACK: field('VENDOR_INVOICE_NUMBER_FALLBACK', oneOf(['order-number', 'none'])),
  POSTING_DATE_POLICY: field('POSTING_DATE_POLICY', oneOf(['invoice-date', 'today'])),
  POLL_OVERLAP_MINUTES: field('POLL_OVERLAP_MINUTES', integer(0, 1440)),
  POLL_INITIAL_LOOKBACK_DAYS: field('POLL_INITIAL_LOOKBACK_DAYS', integer(0, 3650)),
  MAX_ATTEMPTS: field('MAX_ATTEMPTS', integer(1, 100)),
  RETRY_BASE_SECONDS: field('RETRY_BASE_SECONDS', integer(1, 86_400)),
  RETRY_MAX_SECONDS: field('RETRY_MAX_SECONDS', integer(1, 86_400)),
  POLL_CIN7_SCHEDULE: field('POLL_CIN7_SCHEDULE', schedule),
  POLL_BC_SCHEDULE: field('POLL_BC_SCHEDULE', schedule),
  RENEW_SUBSCRIPTIONS_SCHEDULE: field('RENEW_SUBSCRIPTIONS_SCHEDULE', schedule),
  CHECK_WEBHOOKS_SCHEDULE: field('CHECK_WEBHOOKS_SCHEDULE', schedule),
  PUBLIC_BASE_URL: field('PUBLIC_BASE_URL', url({ trailingSlash: 'remove' })).optional(),
  // Service Bus standard tier caps a message at 256 KiB; a body above 10 MiB is never a real webhook.
  WEBHOOK_MAX_BODY_BYTES: field('WEBHOOK_MAX_BODY_BYTES', integer(1024, 10 * 1024 * 1024)),
  AUTO_CREATE_CATEGORIES: field('AUTO_CREATE_CATEGORIES', boolean),
  CIN7_DEFAULT_COSTING_METHOD: field('CIN7_DEFAULT_COSTING_METHOD', text()),
  CIN7_DEFAULT_UOM: field('CIN7_DEFAULT_UOM', text(50)),
  CIN7_DEFAULT_CATEGORY: field('CIN7_DEFAULT_CATEGORY', text()).optional(),
  CIN7_DEFAULT_ACCOUNT_PAYABLE: field('CIN7_DEFAULT_ACCOUNT_PAYABLE', text(50)).optional(),
  CIN7_DEFAULT_TAX_RULE: field('CIN7_DEFAULT_TAX_RULE', text()).optional(),
  CIN7_DEFAULT_PAYMENT_TERM: field('CIN7_DEFAULT_PAYMENT_TERM', text()).optional(),
  CIN7_DEFAULT_CURRENCY: field('CIN7_DEFAULT_CURRENCY', text(3)).optional(),
});

type Fields = z.output<typeof schema>;

// ---------------------------------------------------------------------------------------------------------
// Loading.

/**
 * Parses every setting at once.
 *
 * @param env - The environment to read (default `process.env`). Blank values count as absent.
 * @returns The typed settings.
 * @throws ConfigError listing every missing or invalid setting; secret values are never part of it.
 */
export function loadSettings(env: Record<string, string | undefined> = process.env): Settings {
  const raw: Record<string, string | undefined> = {};
  const issues: ConfigIssue[] = [];
  const unresolved = new Set<string>();

  for (const doc of settingsDocumentation) {
    const value = env[doc.name]?.trim();
    if (value !== undefined && value.startsWith(KEY_VAULT_REFERENCE)) {
      // The platform leaves the literal reference in place when it cannot resolve it (azure-platform.md 2.2).
      unresolved.add(doc.name);
      issues.push({
        setting: doc.name,
        problem:
          "is an unresolved Key Vault reference: grant the app's identity 'Key Vault Secrets User' on the vault, or check the secret URI",
      });
      continue;
    }
    raw[doc.name] = value === undefined || value === '' ? doc.default : value;
  }

  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const setting = String(issue.path[0] ?? '');
      // An unresolved reference is already reported; "missing" on top of it would only confuse.
      if (!unresolved.has(setting)) issues.push({ setting, problem: issue.message });
    }
  }
  const present = (name: string): boolean => raw[name] !== undefined || unresolved.has(name);
  issues.push(...crossFieldIssues(raw, present));

  if (issues.length > 0 || !parsed.success) throw ConfigError.fromIssues(sortIssues(issues));
  return toSettings(parsed.data);
}

/** Rules that span settings: "one of these forms", "required unless", ordering between numbers. */
function crossFieldIssues(raw: Record<string, string | undefined>, present: (name: string) => boolean): ConfigIssue[] {
  const issues: ConfigIssue[] = [];

  if (
    !present('AzureWebJobsStorage') &&
    !present('AzureWebJobsStorage__tableServiceUri') &&
    !present('AzureWebJobsStorage__accountName')
  ) {
    issues.push({
      setting: 'AzureWebJobsStorage',
      problem:
        'storage is not configured: set AzureWebJobsStorage__tableServiceUri (or __accountName) for the managed identity in Azure, or AzureWebJobsStorage to a connection string locally (UseDevelopmentStorage=true for Azurite)',
    });
  }

  const memoryQueue = raw['SYNC_QUEUE_MODE']?.toLowerCase() === 'memory';
  if (!memoryQueue && !present('ServiceBusConnection__fullyQualifiedNamespace') && !present('ServiceBusConnection')) {
    issues.push({
      setting: 'ServiceBusConnection__fullyQualifiedNamespace',
      problem:
        'Service Bus is not configured: set ServiceBusConnection__fullyQualifiedNamespace (managed identity), or ServiceBusConnection to a connection string, or SYNC_QUEUE_MODE=memory for local runs',
    });
  }

  if (!present('KEY_VAULT_URL')) {
    const needed: SecretName[] = ['cin7-account-id', 'cin7-application-key'];
    // With federation the managed identity stands in for the client secret, so none is needed.
    if (!parsesTrue(raw['BC_USE_MANAGED_IDENTITY_FEDERATION'])) needed.push('bc-client-secret');
    // Webhooks and subscriptions are only registered when the app has a public address.
    if (present('PUBLIC_BASE_URL')) needed.push('cin7-webhook-secret', 'bc-client-state');
    for (const name of needed) {
      const setting = secretSettingNames[name];
      if (!present(setting)) {
        issues.push({
          setting,
          problem: `missing, and KEY_VAULT_URL is not set: set KEY_VAULT_URL so the app reads the Key Vault secret '${name}', or set ${setting} directly (local runs only)`,
        });
      }
    }
  }

  const base = raw['RETRY_BASE_SECONDS'];
  const max = raw['RETRY_MAX_SECONDS'];
  if (
    base !== undefined &&
    max !== undefined &&
    /^\d+$/.test(base) &&
    /^\d+$/.test(max) &&
    Number(max) < Number(base)
  ) {
    issues.push({
      setting: 'RETRY_MAX_SECONDS',
      problem: `must be at least RETRY_BASE_SECONDS (${base})${describeValue('RETRY_MAX_SECONDS', max)}`,
    });
  }
  return issues;
}

function parsesTrue(raw: string | undefined): boolean {
  if (raw === undefined) return false;
  const result = boolean(raw);
  return result.ok && result.value;
}

/** Issues in the order of the documentation, so the message reads like the README table. */
function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  const order = new Map(settingsDocumentation.map((doc, index) => [doc.name, index]));
  const rank = (issue: ConfigIssue): number => order.get(issue.setting) ?? Number.MAX_SAFE_INTEGER;
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) => rank(a.issue) - rank(b.issue) || a.index - b.index)
    .map(({ issue }) => issue);
}

function toSettings(f: Fields): Settings {
  const local: Partial<Record<SecretName, Secret>> = {};
  const localValues: Record<SecretName, Secret | undefined> = {
    'cin7-account-id': f.CIN7_ACCOUNT_ID,
    'cin7-application-key': f.CIN7_APPLICATION_KEY,
    'bc-client-secret': f.BC_CLIENT_SECRET,
    'cin7-webhook-secret': f.CIN7_WEBHOOK_SECRET,
    'bc-client-state': f.BC_CLIENT_STATE,
  };
  for (const name of secretNames) {
    const value = localValues[name];
    if (value !== undefined) local[name] = value;
  }

  return {
    cin7: {
      baseUrl: f.CIN7_BASE_URL,
      callsPerMinute: f.CIN7_CALLS_PER_MINUTE,
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
      apiBaseUrl: f.BC_API_BASE_URL,
      ...optional('authorityHost', f.AZURE_AUTHORITY_HOST),
      useManagedIdentityFederation: f.BC_USE_MANAGED_IDENTITY_FEDERATION,
    },
    secrets: { ...optional('keyVaultUrl', f.KEY_VAULT_URL), local },
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
      postingDatePolicy: f.POSTING_DATE_POLICY,
      pollOverlapMinutes: f.POLL_OVERLAP_MINUTES,
      pollInitialLookbackDays: f.POLL_INITIAL_LOOKBACK_DAYS,
      maxAttempts: f.MAX_ATTEMPTS,
      retryBaseSeconds: f.RETRY_BASE_SECONDS,
      retryMaxSeconds: f.RETRY_MAX_SECONDS,
    },
    schedules: {
      pollCin7: f.POLL_CIN7_SCHEDULE,
      pollBc: f.POLL_BC_SCHEDULE,
      renewSubscriptions: f.RENEW_SUBSCRIPTIONS_SCHEDULE,
      checkWebhooks: f.CHECK_WEBHOOKS_SCHEDULE,
    },
    webhooks: { ...optional('publicBaseUrl', f.PUBLIC_BASE_URL), maxBodyBytes: f.WEBHOOK_MAX_BODY_BYTES },
  };
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

/** A value `crossFieldIssues` already proved present; reaching the throw means the two disagree (a bug). */
function checked(value: string | undefined, name: string): string {
  if (value === undefined) throw new Error(`settings: ${name} passed validation but is absent`);
  return value;
}

/** `{ key: value }` when the value is defined, else `{}`: optional properties stay absent (exactOptionalPropertyTypes). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

/** The README's settings table (Markdown), generated from `settingsDocumentation` so the two cannot drift. */
export function renderSettingsTable(): string {
  const requirement: Record<SettingRequirement, string> = {
    always: 'yes',
    azure: 'in Azure',
    local: 'locally (Key Vault in Azure)',
    no: 'no',
  };
  const cell = (text: string): string => text.replace(/\|/g, '\\|');
  const rows = settingsDocumentation.map((doc) => {
    const fallback = doc.default === undefined ? '' : doc.default === '' ? "`''`" : `\`${doc.default}\``;
    const secret = doc.secret === true ? ' Secret.' : '';
    return `| \`${doc.name}\` | ${requirement[doc.required]} | ${cell(fallback)} | ${cell(doc.description)}${secret} |`;
  });
  return ['| setting | required | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}
