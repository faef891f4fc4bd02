/**
 * Security posture of the deployment template, read from the ARM JSON that infra/tools/build-bicep.sh
 * compiles from infra/main.bicep (rebuilt here when it is missing or older than the Bicep sources).
 * It also keeps the app settings the template sets in step with the settings the app reads.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { secretSettingNames } from '../../src/config/secret-names.js';
import {
  appSettingNames,
  localOnlySettingNames,
  optionalSettingNames,
  settingsDocumentation,
} from '../../src/config/settings.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const infraDir = join(root, 'infra');
const armDir = join(root, '.tools', 'arm');
const mainJson = join(armDir, 'main.json');

// Role definition GUIDs (reference/azure-platform.md 6.3).
const ROLE = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39',
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0',
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
} as const;

/** Settings the platform or the SDKs read: the template sets them, the app need not list them. */
const PLATFORM_SETTINGS = new Set([
  'FUNCTIONS_EXTENSION_VERSION',
  'AzureWebJobsStorage__credential',
  'AzureWebJobsStorage__clientId',
  'AzureWebJobsStorage__blobServiceUri',
  'AzureWebJobsStorage__queueServiceUri',
  'AzureWebJobsStorage__tableServiceUri',
  'ServiceBusConnection__fullyQualifiedNamespace',
  'ServiceBusConnection__credential',
  'ServiceBusConnection__clientId',
  'AZURE_CLIENT_ID',
  'APPLICATIONINSIGHTS_CONNECTION_STRING',
  'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
]);

/** Local stand-ins for the Key Vault secrets (CIN7_ACCOUNT_ID, ...): never app settings in Azure. */
const SECRET_SETTINGS = Object.values(secretSettingNames);

/**
 * Names the app may read that the template deliberately does not set in Azure: the secrets' local stand-ins
 * (Key Vault holds them), the plain `AzureWebJobsStorage` / `ServiceBusConnection` connection strings and
 * `AzureWebJobsStorage__accountName` (local and system-identity forms), and AZURE_AUTHORITY_HOST (sovereign clouds only).
 */
const NOT_SET_IN_AZURE = new Set([
  ...SECRET_SETTINGS,
  'CIN7_ACCOUNT_ID',
  'CIN7_APPLICATION_KEY',
  'BC_CLIENT_SECRET',
  'AzureWebJobsStorage',
  'AzureWebJobsStorage__accountName',
  'ServiceBusConnection',
  'AZURE_AUTHORITY_HOST',
]);

interface ArmResource {
  type: string;
  name: string;
  kind?: string;
  location?: string;
  condition?: unknown;
  copy?: { name: string; count: unknown };
  identity?: { type?: string; userAssignedIdentities?: Record<string, unknown> };
  sku?: { name?: string; tier?: string };
  properties?: Record<string, unknown>;
}

interface ArmParameter {
  type: string;
  defaultValue?: unknown;
}

interface ArmTemplate {
  parameters?: Record<string, ArmParameter>;
  variables?: Record<string, unknown>;
  resources: ArmResource[] | Record<string, ArmResource>;
  outputs?: Record<string, unknown>;
}

/** A resource together with the (nested) template it is declared in and the values its module was given. */
interface Found {
  resource: ArmResource;
  template: ArmTemplate;
  module: string;
  passed: Record<string, { value?: unknown }>;
}

function resourcesOf(template: ArmTemplate): ArmResource[] {
  return Array.isArray(template.resources) ? template.resources : Object.values(template.resources);
}

function collect(template: ArmTemplate, module: string, passed: Found['passed'], out: Found[]): Found[] {
  for (const resource of resourcesOf(template)) {
    out.push({ resource, template, module, passed });
    if (resource.type === 'Microsoft.Resources/deployments') {
      const props = resource.properties ?? {};
      const nested = props['template'] as ArmTemplate | undefined;
      if (nested) {
        const params = (props['parameters'] ?? {}) as Found['passed'];
        collect(nested, typeof resource.name === 'string' ? resource.name : module, params, out);
      }
    }
  }
  return out;
}

/** Resolves `[parameters('x')]` (value passed by the module, else the default) and `[variables('x')]`. */
function resolveValue(found: Found, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const param = /^\[parameters\('([^']+)'\)\]$/.exec(value);
  if (param) {
    const name = param[1] ?? '';
    const passed = found.passed[name];
    if (passed && 'value' in passed) return passed.value;
    return found.template.parameters?.[name]?.defaultValue;
  }
  const variable = /^\[variables\('([^']+)'\)\]$/.exec(value);
  if (variable) return found.template.variables?.[variable[1] ?? ''];
  return value;
}

let template: ArmTemplate;
let templateText: string;
let all: Found[];

function ofType(type: string): Found[] {
  return all.filter((f) => f.resource.type.toLowerCase() === type.toLowerCase());
}

function single(type: string): Found {
  const found = ofType(type);
  expect(found, `exactly one ${type}`).toHaveLength(1);
  return found[0] as Found;
}

/** The app's one `Microsoft.Web/sites/config` resource of this name (`appsettings`, `authsettingsV2`). */
function siteConfig(name: string): Found {
  const found = ofType('Microsoft.Web/sites/config').filter((f) => String(f.resource.name).includes(`'${name}'`));
  expect(found, `exactly one ${name} config`).toHaveLength(1);
  return found[0] as Found;
}

function props(found: Found): Record<string, unknown> {
  return found.resource.properties ?? {};
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (/\.(bicep|bicepparam|json|sh)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

beforeAll(() => {
  if (!existsSync(mainJson) || statSync(mainJson).mtimeMs < newestMtime(infraDir)) {
    execFileSync('bash', [join(infraDir, 'tools', 'build-bicep.sh')], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      timeout: 300_000,
    });
  }
  templateText = readFileSync(mainJson, 'utf8');
  template = JSON.parse(templateText) as ArmTemplate;
  all = collect(template, 'main', {}, []);
}, 300_000);

describe('storage account', () => {
  it('allows Entra ID only, over TLS 1.2+ and HTTPS, with no public blobs', () => {
    const storage = props(single('Microsoft.Storage/storageAccounts'));
    expect(storage['allowSharedKeyAccess']).toBe(false);
    expect(storage['minimumTlsVersion']).toBe('TLS1_2');
    expect(storage['allowBlobPublicAccess']).toBe(false);
    expect(storage['supportsHttpsTrafficOnly']).toBe(true);
  });

  it('has a private deployment container and the app tables', () => {
    const container = single('Microsoft.Storage/storageAccounts/blobServices/containers');
    expect(props(container)['publicAccess']).toBe('None');

    const tables = single('Microsoft.Storage/storageAccounts/tableServices/tables');
    const count = tables.resource.copy?.count;
    const list = /^\[length\((.+)\)\]$/.exec(String(count))?.[1];
    const names = resolveValue(tables, `[${list ?? ''}]`);
    expect([...(names as string[])].sort()).toEqual(['audit', 'ledger', 'mappings', 'subscriptions', 'watermarks']);
  });
});

describe('Service Bus', () => {
  it('namespace is Standard or higher with local (SAS) auth disabled', () => {
    const ns = single('Microsoft.ServiceBus/namespaces');
    // Standard with public access, Premium behind a private endpoint (lower tiers have none).
    expect(ns.resource.sku as unknown).toBe(
      "[if(parameters('publicNetworkAccess'), createObject('name', 'Standard', 'tier', 'Standard'), createObject('name', 'Premium', 'tier', 'Premium', 'capacity', 1))]",
    );
    expect(props(ns)['disableLocalAuth']).toBe(true);
  });

  it('queue has sessions, duplicate detection over webhook + poll overlap, and dead-lettering', () => {
    const queue = props(single('Microsoft.ServiceBus/namespaces/queues'));
    expect(queue).toMatchObject({
      requiresSession: true,
      requiresDuplicateDetection: true,
      duplicateDetectionHistoryTimeWindow: 'PT1H',
      deadLetteringOnMessageExpiration: true,
      maxDeliveryCount: 10,
      lockDuration: 'PT5M',
      defaultMessageTimeToLive: 'P14D',
    });
    expect(template.parameters?.['syncQueueName']?.defaultValue).toBe('sync-jobs');
  });
});

describe('Key Vault', () => {
  it('uses RBAC with soft delete (90 days) and purge protection, and holds no secret values', () => {
    const vault = props(single('Microsoft.KeyVault/vaults'));
    expect(vault['enableRbacAuthorization']).toBe(true);
    expect(vault['enableSoftDelete']).toBe(true);
    expect(vault['softDeleteRetentionInDays']).toBe(90);
    expect(vault['enablePurgeProtection']).toBe(true);
    expect(vault['accessPolicies']).toBeUndefined();
    expect(ofType('Microsoft.KeyVault/vaults/secrets')).toHaveLength(0);
  });
});

describe('monitoring', () => {
  it('Application Insights is workspace-based with local auth disabled', () => {
    const appi = props(single('Microsoft.Insights/components'));
    expect(appi['DisableLocalAuth']).toBe(true);
    expect(appi['WorkspaceResourceId']).toEqual(expect.stringContaining('Microsoft.OperationalInsights/workspaces'));
  });

  it('alerts on dead letters and on a backlog of the sync queue', () => {
    const metricAlerts = ofType('Microsoft.Insights/metricAlerts').map((f) => {
      const criteria = props(f)['criteria'] as {
        allOf: { metricName: string; operator: string; threshold: unknown }[];
      };
      return { found: f, criterion: criteria.allOf[0] };
    });
    const deadLetter = metricAlerts.find((a) => a.criterion?.metricName === 'DeadletteredMessages');
    expect(deadLetter?.criterion).toMatchObject({ operator: 'GreaterThan', threshold: 0 });
    const backlog = metricAlerts.find((a) => a.criterion?.metricName === 'ActiveMessages');
    expect(backlog?.criterion).toMatchObject({
      operator: 'GreaterThan',
      threshold: "[parameters('backlogMessageThreshold')]",
    });
    expect(template.parameters?.['backlogMessageThreshold']?.defaultValue).toBeGreaterThan(0);
  });

  it('has log alerts for function failures, parked ledger states, stuck records, backlog age, credentials and self-repairs', () => {
    const rules = single('Microsoft.Insights/scheduledQueryRules');
    expect(rules.resource.kind).toBe('LogAlert');
    // The rules are a loop over infra/app/log-alerts.json, which Bicep inlines as `$fxv#0`.
    const loaded = Object.entries(rules.template.variables ?? {}).find(([name]) => name.startsWith('$fxv#'))?.[1];
    const queries = (loaded as { query: string }[]).map((a) => a.query);
    expect(queries.some((q) => q.includes('requests') && q.includes('success == false'))).toBe(true);
    for (const state of ['failed', 'needs-mapping', 'amount-mismatch', 'diverged']) {
      expect(
        queries.some((q) => q.includes('"ledger.transition"') && q.includes(`"${state}"`)),
        `alert for ledger state ${state}`,
      ).toBe(true);
    }
    expect(
      queries.some((q) => q.includes('"queue.age.ms"')),
      'alert on a backlog older than a threshold',
    ).toBe(true);
    for (const event of [
      'bc.subscription.repaired',
      'cin7.webhook.reactivated',
      'auth.failure',
      'job.malformed',
      'ledger.stuck',
    ]) {
      expect(
        queries.some((q) => q.includes(`"${event}"`)),
        `alert for ${event}`,
      ).toBe(true);
    }
  });

  it('alerts on each event once: log alerts evaluate windows as long as their frequency, and ledger alerts name the record and the reason', () => {
    const rules = single('Microsoft.Insights/scheduledQueryRules');
    const p = props(rules);
    expect(p['evaluationFrequency']).toBe(p['windowSize']);
    expect(p['autoMitigate']).toBe(false);
    const loaded = Object.entries(rules.template.variables ?? {}).find(([name]) => name.startsWith('$fxv#'))?.[1];
    const ledger = (loaded as { query: string; dimensions: string[] }[]).filter((a) =>
      a.query.includes('"ledger.transition"'),
    );
    expect(ledger).toHaveLength(4);
    for (const a of ledger) expect(a.dimensions).toEqual(expect.arrayContaining(['label', 'reason']));
  });

  it('ships a workbook with posted invoices per day, states, latency and throttling', () => {
    const workbook = single('Microsoft.Insights/workbooks');
    const serialized = props(workbook)['serializedData'];
    const inner = /^\[string\((.+)\)\]$/.exec(String(serialized))?.[1];
    const data = inner ? resolveValue(workbook, `[${inner}]`) : (JSON.parse(String(serialized)) as unknown);
    const queries = JSON.stringify(data);
    expect(queries).toContain("name == 'ledger.transition' and tostring(customDimensions.state) == 'posted'");
    expect(queries).toContain('by state = tostring(customDimensions.state)');
    expect(queries).toContain("name == 'e2e.latency.ms'");
    expect(queries).toContain("name == 'ledger.open'");
    // Metrics arrive as per-minute sums: a percentile of them means nothing (test/telemetry/kql-queries.test.ts).
    expect(queries).not.toContain('percentile(');
    expect(queries).toContain("name == 'http.throttled'");
    expect(queries).toContain('customDimensions.system');
  });
});

describe('diagnostic settings', () => {
  function logsOf(parentType: string): { categories: string[]; workspace: unknown }[] {
    return ofType('Microsoft.Insights/diagnosticSettings')
      .filter((f) => {
        const scope = (f.resource as ArmResource & { scope?: string }).scope ?? '';
        return scope.includes(`'${parentType}'`);
      })
      .map((f) => {
        const p = props(f);
        const logs = p['logs'];
        const list = Array.isArray(logs) ? logs : (resolveValue(f, logs) as unknown[]);
        return {
          categories:
            JSON.stringify(list ?? f.template.variables ?? {}).match(/Storage\w+|AuditEvent|OperationalLogs/g) ?? [],
          workspace: p['workspaceId'],
        };
      });
  }

  it('send Key Vault AuditEvent, Service Bus operational logs and storage writes and deletes to Log Analytics', () => {
    const vault = logsOf('Microsoft.KeyVault/vaults');
    expect(vault.map((d) => d.categories)).toEqual([['AuditEvent']]);
    const bus = logsOf('Microsoft.ServiceBus/namespaces');
    expect(bus.map((d) => d.categories)).toEqual([['OperationalLogs']]);
    for (const service of ['blobServices', 'tableServices']) {
      const storage = logsOf(`Microsoft.Storage/storageAccounts/${service}`);
      expect(storage, service).toHaveLength(1);
      expect(storage[0]?.categories).toEqual(expect.arrayContaining(['StorageWrite', 'StorageDelete']));
    }
    for (const d of [...vault, ...bus]) expect(String(d.workspace)).toContain('workspaceId');
  });
});

describe('role assignments', () => {
  it('go to a service principal, with deterministic names, and only the least-privilege roles', () => {
    const assignments = ofType('Microsoft.Authorization/roleAssignments');
    const allowed = new Set<string>(Object.values(ROLE));
    const granted = new Set<string>();
    for (const a of assignments) {
      const p = props(a);
      expect(p['principalType']).toBe('ServicePrincipal');
      expect(a.resource.name).toMatch(/^\[guid\(/);
      const guids = String(p['roleDefinitionId']).match(
        /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi,
      );
      expect(guids, String(p['roleDefinitionId'])).toHaveLength(1);
      const guid = (guids?.[0] ?? '').toLowerCase();
      expect(allowed, `role ${guid} is not on the allowed list`).toContain(guid);
      granted.add(guid);
    }
    expect([...granted].sort()).toEqual([...allowed].sort());
  });
});

describe('function app', () => {
  it('runs on Flex Consumption, Node 22, HTTPS only, as the user-assigned identity', () => {
    const plan = single('Microsoft.Web/serverfarms');
    expect(plan.resource.sku).toMatchObject({ name: 'FC1', tier: 'FlexConsumption' });

    const site = single('Microsoft.Web/sites');
    expect(site.resource.kind).toBe('functionapp,linux');
    expect(site.resource.identity?.type).toBe('UserAssigned');
    const p = props(site);
    expect(p['httpsOnly']).toBe(true);
    const config = p['functionAppConfig'] as {
      runtime: { name: string; version: unknown };
      deployment: {
        storage: { type: string; authentication: { type: string; userAssignedIdentityResourceId: unknown } };
      };
    };
    expect(config.runtime.name).toBe('node');
    expect(resolveValue(site, config.runtime.version)).toBe('22');
    expect(config.deployment.storage.type).toBe('blobContainer');
    expect(config.deployment.storage.authentication.type).toBe('UserAssignedIdentity');

    const identityKeys = Object.keys(site.resource.identity?.userAssignedIdentities ?? {});
    expect(identityKeys).toHaveLength(1);
    expect(identityKeys[0]).toContain("parameters('identityId')");
    expect(config.deployment.storage.authentication.userAssignedIdentityResourceId).toBe("[parameters('identityId')]");
    expect(p['keyVaultReferenceIdentity']).toBe("[parameters('identityId')]");
    const passedIdentity = JSON.stringify(site.passed['identityId']);
    expect(passedIdentity).toContain("'identity'");

    const credentialPolicies = ofType('Microsoft.Web/sites/basicPublishingCredentialsPolicies');
    expect(credentialPolicies).toHaveLength(2);
    for (const policy of credentialPolicies) expect(props(policy)['allow']).toBe(false);
  });

  it('caps scale-out at a few instances per scale group, since they all share one Cin7 budget', () => {
    const site = single('Microsoft.Web/sites');
    const config = props(site)['functionAppConfig'] as { scaleAndConcurrency: { maximumInstanceCount: unknown } };
    expect(resolveValue(site, config.scaleAndConcurrency.maximumInstanceCount)).toBe(
      "[parameters('maximumInstanceCount')]",
    );
    expect(template.parameters?.['maximumInstanceCount']?.defaultValue).toBe(4);
  });

  it('signs console users in with Entra only when a console client id is given, and lets every other caller through', () => {
    const auth = siteConfig('authsettingsV2');
    expect(auth.resource.condition).toBe("[not(empty(parameters('consoleClientId')))]");
    expect(template.parameters?.['consoleClientId']?.defaultValue).toBe('');
    const settings = props(auth) as {
      globalValidation: Record<string, unknown>;
      identityProviders: { azureActiveDirectory: { registration: Record<string, unknown> } };
    };
    // Webhooks, notifications and function-key calls reach the app unauthenticated; the console checks roles itself.
    expect(settings.globalValidation).toEqual({
      requireAuthentication: false,
      unauthenticatedClientAction: 'AllowAnonymous',
    });
    // No client secret anywhere: sign-in returns an ID token with the user's app roles (I7).
    expect(Object.keys(settings.identityProviders.azureActiveDirectory.registration).sort()).toEqual([
      'clientId',
      'openIdIssuer',
    ]);
  });

  it('connects to Storage, Service Bus and App Insights with the identity, never a key', () => {
    const settings = props(siteConfig('appsettings'));
    const clientId = settings['AZURE_CLIENT_ID'];
    expect(clientId).toEqual(expect.stringContaining('identityClientId'));
    expect(settings).toMatchObject({
      AzureWebJobsStorage__credential: 'managedidentity',
      AzureWebJobsStorage__clientId: clientId,
      ServiceBusConnection__credential: 'managedidentity',
      ServiceBusConnection__clientId: clientId,
    });
    for (const key of ['blobServiceUri', 'queueServiceUri', 'tableServiceUri']) {
      expect(settings[`AzureWebJobsStorage__${key}`], key).toBeTruthy();
    }
    expect(settings['ServiceBusConnection__fullyQualifiedNamespace']).toBeTruthy();
    expect(settings['APPLICATIONINSIGHTS_AUTHENTICATION_STRING']).toBe(
      "[format('ClientId={0};Authorization=AAD', parameters('identityClientId'))]",
    );
    expect(settings['KEY_VAULT_URL']).toBeTruthy();
    expect(settings['AzureWebJobsStorage']).toBeUndefined();
    expect(settings['ServiceBusConnection']).toBeUndefined();
  });

  it('has no account key, SAS key or list*() secret anywhere in the template', () => {
    expect(templateText).not.toMatch(/AccountKey=/i);
    expect(templateText).not.toMatch(/SharedAccessKey/i);
    expect(templateText).not.toMatch(/\blist(Keys|ConnectionStrings|Secrets|AccountSas|ServiceSas)\(/i);
  });
});

describe('app settings', () => {
  // appSettingNames: what the app needs in Azure; optionalSettingNames: what it also reads, with a default.
  it('set everything the app needs in Azure, and nothing the app does not read (platform settings aside)', () => {
    const set = Object.keys(props(siteConfig('appsettings')));
    const reads = new Set<string>([...appSettingNames, ...optionalSettingNames]);

    const missing = appSettingNames.filter((n) => !set.includes(n) && !NOT_SET_IN_AZURE.has(n));
    const unread = set.filter((n) => !reads.has(n) && !PLATFORM_SETTINGS.has(n));
    expect(missing, 'needed by the app in Azure but not set by infra/app/function.bicep').toEqual([]);
    expect(unread, 'set by the template but not read by the app (src/config/settings.ts)').toEqual([]);
  });

  it('never put a secret or a local-only connection string into a setting', () => {
    const set = Object.keys(props(siteConfig('appsettings')));
    expect(SECRET_SETTINGS).toEqual(
      expect.arrayContaining(['CIN7_ACCOUNT_ID', 'CIN7_APPLICATION_KEY', 'BC_CLIENT_SECRET']),
    );
    for (const forbidden of [...SECRET_SETTINGS, ...localOnlySettingNames]) {
      expect(set).not.toContain(forbidden);
    }
    expect(templateText).not.toContain('@Microsoft.KeyVault(');
  });
});

describe('schedules and clouds', () => {
  it("expose every timer schedule the app reads as a parameter with the app's default", () => {
    const settings = props(siteConfig('appsettings'));
    const schedules = settingsDocumentation.filter((d) => d.name.endsWith('_SCHEDULE'));
    expect(schedules.map((d) => d.name)).toContain('CHECK_WEBHOOKS_SCHEDULE');
    for (const doc of schedules) {
      const value = settings[doc.name];
      const param = /^\[parameters\('([^']+)'\)\]$/.exec(String(value))?.[1];
      expect(param, `${doc.name} is set from a parameter`).toBeDefined();
      const mainParam = Object.entries(template.parameters ?? {}).find(
        ([name]) => name.toLowerCase() === (param ?? '').toLowerCase(),
      );
      expect(mainParam?.[1].defaultValue, doc.name).toBe(doc.default);
    }
  });

  it('spell out no cloud-specific host name (sovereign clouds)', () => {
    expect(templateText).not.toMatch(
      /servicebus\.windows\.net|core\.windows\.net|vault\.azure\.net|vaultcore\.azure\.net/,
    );
  });
});

describe('private networking', () => {
  it('is off by default, and when on puts storage, Service Bus and Key Vault behind private endpoints with public access off', () => {
    expect(template.parameters?.['privateNetworking']?.defaultValue).toBe(false);
    const network = all.find(
      (f) => f.resource.type === 'Microsoft.Resources/deployments' && f.resource.name === 'network',
    );
    expect(network?.resource.condition).toBe("[parameters('privateNetworking')]");

    const endpoints = ofType('Microsoft.Network/privateEndpoints');
    expect(endpoints).toHaveLength(1);
    const groups = JSON.stringify(endpoints[0]?.template.variables?.['endpoints']);
    for (const group of ['blob', 'queue', 'table', 'namespace', 'vault'])
      expect(groups).toContain(`"group":"${group}"`);
    expect(ofType('Microsoft.Network/privateDnsZones/virtualNetworkLinks')).toHaveLength(1);
    expect(ofType('Microsoft.Network/privateEndpoints/privateDnsZoneGroups')).toHaveLength(1);

    for (const type of [
      'Microsoft.Storage/storageAccounts',
      'Microsoft.ServiceBus/namespaces',
      'Microsoft.KeyVault/vaults',
    ]) {
      const found = single(type);
      expect(props(found)['publicNetworkAccess'], type).toBe(
        "[if(parameters('publicNetworkAccess'), 'Enabled', 'Disabled')]",
      );
      expect(JSON.stringify(found.passed['publicNetworkAccess']), type).toContain(
        "not(parameters('privateNetworking'))",
      );
    }

    const subnet = props(single('Microsoft.Web/sites'))['virtualNetworkSubnetId'];
    expect(String(subnet)).toContain("parameters('virtualNetworkSubnetId')");
    const delegation = JSON.stringify(single('Microsoft.Network/virtualNetworks').resource.properties);
    expect(delegation).toContain('Microsoft.App/environments');
  });
});

describe('parameter files', () => {
  const mainParams = (): Record<string, ArmParameter> => template.parameters ?? {};
  const required = (): string[] =>
    Object.entries(mainParams())
      .filter(([, p]) => !('defaultValue' in p))
      .map(([n]) => n);

  it('azd main.parameters.json names only template parameters and supplies every required one', () => {
    const file = JSON.parse(readFileSync(join(infraDir, 'main.parameters.json'), 'utf8')) as {
      parameters: Record<string, unknown>;
    };
    const names = Object.keys(file.parameters);
    expect(names.filter((n) => !(n in mainParams()))).toEqual([]);
    expect(required().filter((n) => !names.includes(n))).toEqual([]);
  });

  it('the example .bicepparam compiles and supplies every required parameter', () => {
    const compiled = JSON.parse(readFileSync(join(armDir, 'main.example.parameters.json'), 'utf8')) as {
      parameters: Record<string, unknown>;
    };
    const names = Object.keys(compiled.parameters);
    expect(required().filter((n) => !names.includes(n))).toEqual([]);
  });

  it('exposes the outputs azd and operators need', () => {
    expect(Object.keys(template.outputs ?? {})).toEqual(
      expect.arrayContaining(['AZURE_FUNCTION_APP_NAME', 'AZURE_KEY_VAULT_NAME', 'KEY_VAULT_URL', 'PUBLIC_BASE_URL']),
    );
  });
});
