/**
 * Reads every setting at once (DESIGN §3.8): defaults from the catalogue, unresolved Key Vault references,
 * each row's parser, then the rules that span settings. Every problem goes into one `ConfigError`; no
 * problem text contains a secret or a credential (DESIGN §3.7).
 */
import { ConfigError, type ConfigIssue } from '../config-error.js';
import { secretSettingNames, type SecretName } from '../secret-names.js';
import { settingRows } from './catalogue.js';
import { describeValue } from './describe-value.js';
import { boolean } from './parsers.js';
import { parseFields } from './schema.js';
import { toSettings, type Settings } from './to-settings.js';

const KEY_VAULT_REFERENCE = '@Microsoft.KeyVault(';

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

  for (const [name, row] of settingRows) {
    const value = env[name]?.trim();
    if (value !== undefined && value.startsWith(KEY_VAULT_REFERENCE)) {
      // The platform leaves the literal reference in place when it cannot resolve it (azure-platform.md 2.2).
      unresolved.add(name);
      issues.push({
        setting: name,
        problem:
          'is an unresolved Key Vault reference: ' +
          "grant the app's identity 'Key Vault Secrets User' on the vault, or check the secret URI",
      });
      continue;
    }
    raw[name] = value === undefined || value === '' ? row.default : value;
  }

  const parsed = parseFields(raw);
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
        'storage is not configured: ' +
        'set AzureWebJobsStorage__tableServiceUri (or __accountName) for the managed identity in Azure, ' +
        'or AzureWebJobsStorage to a connection string locally (UseDevelopmentStorage=true for Azurite)',
    });
  }

  const memoryQueue = raw['SYNC_QUEUE_MODE']?.toLowerCase() === 'memory';
  if (!memoryQueue && !present('ServiceBusConnection__fullyQualifiedNamespace') && !present('ServiceBusConnection')) {
    issues.push({
      setting: 'ServiceBusConnection__fullyQualifiedNamespace',
      problem:
        'Service Bus is not configured: ' +
        'set ServiceBusConnection__fullyQualifiedNamespace (managed identity), ' +
        'or ServiceBusConnection to a connection string, or SYNC_QUEUE_MODE=memory for local runs',
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
          problem:
            'missing, and KEY_VAULT_URL is not set: ' +
            `set KEY_VAULT_URL so the app reads the Key Vault secret '${name}', ` +
            `or set ${setting} directly (local runs only)`,
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
      problem: `must be at least RETRY_BASE_SECONDS (${base})${describeValue(max, false)}`,
    });
  }
  return issues;
}

function parsesTrue(raw: string | undefined): boolean {
  if (raw === undefined) return false;
  const result = boolean(raw);
  return result.ok && result.value;
}

/** Issues in catalogue order, so the message reads like the README table. */
function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  const order = new Map(settingRows.map(([name], index) => [name, index]));
  const rank = (issue: ConfigIssue): number => order.get(issue.setting) ?? Number.MAX_SAFE_INTEGER;
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) => rank(a.issue) - rank(b.issue) || a.index - b.index)
    .map(({ issue }) => issue);
}
