/** Catalogue rows for the systems the app talks to: Cin7 Core, Business Central, Key Vault, storage, Service Bus. */
import {
  boolean,
  environmentName,
  guid,
  managedIdentityCredential,
  queueName,
  serviceBusConnectionString,
  serviceBusNamespace,
  storageAccountName,
  storageConnectionString,
  tablePrefix,
  tenant,
  url,
} from './parsers.js';
import type { SettingRow } from './row.js';
import { choice, keyVaultSecret, wholeNumber } from './row-builders.js';

export const cin7Rows = {
  CIN7_BASE_URL: {
    required: 'no',
    default: 'https://inventory.dearsystems.com/ExternalApi/v2/',
    description: 'Cin7 Core API base URL (a trailing slash is added when missing).',
    parse: url({ trailingSlash: 'add' }),
  },
  CIN7_ACCOUNT_ID: keyVaultSecret(
    "Cin7 API account id. In Azure it is the Key Vault secret 'cin7-account-id'; set it here only locally.",
  ),
  CIN7_APPLICATION_KEY: keyVaultSecret(
    "Cin7 API application key. In Azure it is the Key Vault secret 'cin7-application-key'; set it here only locally.",
  ),
  // reference/cin7-core-api.md 1.4: Cin7 allows 60 calls per minute per API application.
  CIN7_CALLS_PER_MINUTE: wholeNumber(
    60,
    [1, 60],
    'Client-side limit on Cin7 API calls per minute (1-60; Cin7 allows 60 per application).',
  ),
  CIN7_WEBHOOK_SECRET: keyVaultSecret(
    'Secret Cin7 sends with each webhook in the X-Cin7-Webhook-Secret header, ' +
      'which the connector registers on each webhook as an ExternalHeaders entry. ' +
      "In Azure it is the Key Vault secret 'cin7-webhook-secret'; needed locally when PUBLIC_BASE_URL is set.",
  ),
} satisfies Record<string, SettingRow>;

export const bcRows = {
  BC_TENANT_ID: {
    required: 'always',
    description: 'Entra tenant of the Business Central customer (GUID or domain).',
    parse: tenant,
  },
  BC_ENVIRONMENT: {
    required: 'always',
    description: 'Business Central environment name, e.g. Production.',
    parse: environmentName,
  },
  BC_COMPANY_ID: {
    required: 'always',
    description: 'Business Central company id (GUID) every call is scoped to.',
    parse: guid,
  },
  BC_CLIENT_ID: {
    required: 'always',
    description: 'Application (client) id of the Entra app registered in BC.',
    parse: guid,
  },
  BC_CLIENT_SECRET: keyVaultSecret(
    "Client secret of the Entra app. In Azure it is the Key Vault secret 'bc-client-secret', " +
      'or none at all with BC_USE_MANAGED_IDENTITY_FEDERATION.',
  ),
  BC_API_BASE_URL: {
    required: 'no',
    default: 'https://api.businesscentral.dynamics.com/v2.0',
    description: 'Business Central API base URL (a trailing slash is removed).',
    parse: url({ trailingSlash: 'remove' }),
  },
  AZURE_AUTHORITY_HOST: {
    required: 'no',
    description: 'Entra authority host for sovereign clouds (standard @azure/identity variable).',
    parse: url({ httpsOnly: true }),
  },
  BC_USE_MANAGED_IDENTITY_FEDERATION: {
    required: 'no',
    default: 'false',
    description: "Authenticate to BC with a federated credential from the app's managed identity: no client secret.",
    parse: boolean,
  },
  BC_CLIENT_STATE: keyVaultSecret(
    "clientState BC echoes on each notification. In Azure it is the Key Vault secret 'bc-client-state'; " +
      'needed locally when PUBLIC_BASE_URL is set.',
  ),
} satisfies Record<string, SettingRow>;

export const azureRows = {
  KEY_VAULT_URL: {
    required: 'azure',
    description:
      'Key Vault holding the secrets, e.g. https://<vault>.vault.azure.net/. Without it, secrets come from settings.',
    parse: url({ httpsOnly: true }),
  },
  AzureWebJobsStorage: {
    required: 'local',
    secret: true,
    description: 'Storage connection string for local runs (UseDevelopmentStorage=true for Azurite).',
    parse: storageConnectionString,
  },
  AzureWebJobsStorage__tableServiceUri: {
    required: 'azure',
    description:
      'Table endpoint of the host storage account, reached with the managed identity (or set __accountName).',
    parse: url({ trailingSlash: 'remove' }),
  },
  AzureWebJobsStorage__accountName: {
    required: 'no',
    description: 'Host storage account name: the table endpoint is derived from it (alternative to __tableServiceUri).',
    parse: storageAccountName,
  },
  AzureWebJobsStorage__clientId: {
    required: 'no',
    description: 'Client id of the user-assigned identity for storage; the system-assigned identity otherwise.',
    parse: guid,
  },
  AzureWebJobsStorage__credential: {
    required: 'no',
    description: 'managedidentity when __clientId names a user-assigned identity.',
    parse: managedIdentityCredential,
  },
  TABLE_PREFIX: {
    required: 'no',
    default: '',
    description: 'Prefix of the table names (letters and digits).',
    parse: tablePrefix,
  },
  ServiceBusConnection__fullyQualifiedNamespace: {
    required: 'azure',
    description: 'Service Bus namespace host (<ns>.servicebus.windows.net), reached with the managed identity.',
    parse: serviceBusNamespace,
  },
  ServiceBusConnection__clientId: {
    required: 'no',
    description: 'Client id of the user-assigned identity for Service Bus; the system-assigned identity otherwise.',
    parse: guid,
  },
  ServiceBusConnection__credential: {
    required: 'no',
    description: 'managedidentity when __clientId names a user-assigned identity.',
    parse: managedIdentityCredential,
  },
  ServiceBusConnection: {
    required: 'local',
    secret: true,
    description: 'Service Bus connection string (local runs against a real namespace only).',
    parse: serviceBusConnectionString,
  },
  SYNC_QUEUE_MODE: choice(
    'service-bus',
    ['service-bus', 'memory'],
    'service-bus, or memory for local and CLI runs with the in-process queue (no Service Bus needed).',
  ),
  SYNC_QUEUE_NAME: {
    required: 'no',
    default: 'sync-jobs',
    description: 'The session-enabled sync job queue.',
    parse: queueName,
  },
} satisfies Record<string, SettingRow>;
