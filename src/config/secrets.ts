/**
 * Secrets at runtime: read from Key Vault with `@azure/keyvault-secrets`, cached in memory for a short
 * TTL, and re-read after a downstream auth failure so a rotated secret is picked up without a restart
 * (reference/azure-platform.md 2.2). Locally, without a vault, they come from settings.
 */
import type { TokenCredential } from '@azure/identity';
import type { Clock } from '../core/clock.js';
import { AuthError, ensureError, isConnectorError, TransientError } from '../core/errors.js';
import { ConfigError } from './config-error.js';
import { isSecret, Secret } from './secret.js';
import { secretSettingNames } from './secret-names.js';
import type { SecretName } from './secret-names.js';

export type { SecretName } from './secret-names.js';
export { secretNames, secretSettingNames } from './secret-names.js';

/** Where secret values come from. Tests pass a fake; `createKeyVaultSecretSource` wraps `SecretClient`. */
export interface SecretSource {
  /** The current value, or undefined when the source has no such secret. Throws `AuthError`/`TransientError`. */
  getSecret(name: SecretName): Promise<string | undefined>;
}

/** Hands out secrets, cached. */
export interface SecretProvider {
  /** The secret's value. Throws `ConfigError` when it does not exist, `AuthError` when access is denied. */
  get(name: SecretName): Promise<Secret>;
  /**
   * Forgets the cached value of one secret (or all), so the next `get` reads the source again. Call it
   * after the downstream API rejects the credential (`AuthError`): the secret may have been rotated.
   */
  invalidate(name?: SecretName): void;
}

export interface CreateSecretProviderOptions {
  /** The vault, e.g. `https://contoso-kv.vault.azure.net/`. When set, settings values are ignored. */
  keyVaultUrl?: string;
  /** Credential for Key Vault; `DefaultAzureCredential` (honours `AZURE_CLIENT_ID`) when absent. */
  credential?: TokenCredential;
  /** Secrets given as settings; used only when no vault is configured. */
  localValues?: Partial<Record<SecretName, string | Secret>>;
  /** How long a value read from the vault is reused (default 15 minutes). */
  ttlMs?: number;
  clock?: Pick<Clock, 'now'>;
  /** Replaces the Key Vault source (tests). */
  source?: SecretSource;
}

/** A short TTL bounds how long a rotated secret can be served stale (reference/azure-platform.md 2.2: 5-15 min). */
const DEFAULT_TTL_MS = 15 * 60 * 1000;

/**
 * Creates the app's secret provider.
 *
 * With `keyVaultUrl` (or `source`), every secret comes from the vault; otherwise from `localValues`.
 */
export function createSecretProvider(options: CreateSecretProviderOptions = {}): SecretProvider {
  const { keyVaultUrl, source } = options;
  const host = keyVaultUrl === undefined ? 'the secret source' : vaultHost(keyVaultUrl);
  if (source !== undefined) return createCachingProvider(source, host, options);
  if (keyVaultUrl !== undefined) {
    const credential = options.credential === undefined ? {} : { credential: options.credential };
    return createCachingProvider(createKeyVaultSecretSource({ vaultUrl: keyVaultUrl, ...credential }), host, options);
  }
  return createLocalProvider(options.localValues ?? {});
}

function createLocalProvider(values: Partial<Record<SecretName, string | Secret>>): SecretProvider {
  return {
    get(name) {
      const value = values[name];
      if (value === undefined || (!isSecret(value) && value === '')) {
        const setting = secretSettingNames[name];
        const problem =
          `the secret '${name}' is not configured: ` +
          `set KEY_VAULT_URL and create the secret '${name}' in the vault, or set ${setting} (local runs only)`;
        return Promise.reject(new ConfigError(`${setting}: ${problem}`, [{ setting, problem }]));
      }
      return Promise.resolve(isSecret(value) ? value : new Secret(value));
    },
    invalidate() {
      // Settings do not change while the process runs; there is nothing to re-read.
    },
  };
}

interface CacheEntry {
  secret: Secret;
  fetchedAt: number;
}

function createCachingProvider(
  source: SecretSource,
  host: string,
  options: CreateSecretProviderOptions,
): SecretProvider {
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const now = (): number => (options.clock ?? Date).now();
  const cache = new Map<SecretName, CacheEntry>();
  const inFlight = new Map<SecretName, Promise<Secret>>();
  // Bumped by `invalidate` so a read that started before it cannot repopulate the cache with the old value.
  const generation = new Map<SecretName, number>();

  async function fetch(name: SecretName): Promise<Secret> {
    const startedIn = generation.get(name) ?? 0;
    const value = await source.getSecret(name);
    if (value === undefined || value === '') {
      const problem =
        `does not exist (or is empty) in Key Vault ${host}: ` +
        `create the secret '${name}' there, or check KEY_VAULT_URL`;
      throw new ConfigError(`The secret '${name}' ${problem}`, [{ setting: name, problem }]);
    }
    const secret = new Secret(value);
    if ((generation.get(name) ?? 0) === startedIn) cache.set(name, { secret, fetchedAt: now() });
    return secret;
  }

  return {
    get(name) {
      const cached = cache.get(name);
      if (cached !== undefined && now() - cached.fetchedAt < ttlMs) return Promise.resolve(cached.secret);
      const pending = inFlight.get(name);
      if (pending !== undefined) return pending;
      // Concurrent callers share one read; a failed read is not cached, so the next call tries again.
      const started = fetch(name).finally(() => {
        if (inFlight.get(name) === started) inFlight.delete(name);
      });
      inFlight.set(name, started);
      return started;
    },
    invalidate(name) {
      const names = name === undefined ? [...new Set([...cache.keys(), ...inFlight.keys()])] : [name];
      for (const each of names) {
        cache.delete(each);
        inFlight.delete(each);
        generation.set(each, (generation.get(each) ?? 0) + 1);
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Key Vault.

/** The part of `SecretClient` this module uses, so tests can pass a fake. */
export interface SecretClientLike {
  getSecret(name: string): Promise<{ value?: string | undefined }>;
}

export interface CreateKeyVaultSecretSourceOptions {
  vaultUrl: string;
  /** Defaults to `DefaultAzureCredential`, which honours `AZURE_CLIENT_ID` for a user-assigned identity. */
  credential?: TokenCredential;
  /** Replaces the real `SecretClient` (tests). */
  client?: SecretClientLike;
}

/**
 * A `SecretSource` over Key Vault. The SDKs are loaded on the first read, not at import, because every
 * cold start pays for what is imported eagerly (DESIGN §4 Start-up cost).
 */
export function createKeyVaultSecretSource(options: CreateKeyVaultSecretSourceOptions): SecretSource {
  const host = vaultHost(options.vaultUrl);
  let client: Promise<SecretClientLike> | undefined =
    options.client === undefined ? undefined : Promise.resolve(options.client);

  function getClient(): Promise<SecretClientLike> {
    client ??= createSecretClient(options.vaultUrl, options.credential).catch((error: unknown) => {
      // Let the next read try again rather than keep a failed import or constructor forever.
      client = undefined;
      throw error;
    });
    return client;
  }

  return {
    async getSecret(name) {
      try {
        const secret = await (await getClient()).getSecret(name);
        return secret.value;
      } catch (error) {
        if (statusOf(error) === 404) return undefined;
        throw translateKeyVaultError(error, name, host);
      }
    },
  };
}

async function createSecretClient(
  vaultUrl: string,
  credential: TokenCredential | undefined,
): Promise<SecretClientLike> {
  const { SecretClient } = await import('@azure/keyvault-secrets');
  const resolved = credential ?? new (await import('@azure/identity')).DefaultAzureCredential();
  return new SecretClient(vaultUrl, resolved);
}

/** The one place Key Vault failures become the connector's errors (DESIGN §2). Messages carry no URL. */
function translateKeyVaultError(thrown: unknown, name: SecretName, host: string): Error {
  if (isConnectorError(thrown)) return thrown;
  const error = ensureError(thrown);
  const status = statusOf(thrown);
  const options = { system: 'keyvault' as const, cause: error, ...(status === undefined ? {} : { status }) };
  const grant = "grant the app's identity 'Key Vault Secrets User' on the vault";
  if (status === 401 || status === 403) {
    return new AuthError(`Key Vault ${host} denied reading the secret '${name}' (${status}): ${grant}`, options);
  }
  // @azure/identity throws these when no identity is available or the token request is refused.
  if (
    error.name === 'CredentialUnavailableError' ||
    error.name === 'AuthenticationError' ||
    error.name === 'AggregateAuthenticationError'
  ) {
    return new AuthError(
      `No token for Key Vault ${host} to read the secret '${name}': ` +
        `check the app's managed identity (AZURE_CLIENT_ID) and ${grant}`,
      options,
    );
  }
  return new TransientError(
    `Reading the secret '${name}' from Key Vault ${host} failed${status === undefined ? '' : ` (${status})`}`,
    options,
  );
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** The vault's host name: error messages name the vault without echoing a full URL. */
function vaultHost(vaultUrl: string): string {
  try {
    return new URL(vaultUrl).host;
  } catch {
    return '(invalid KEY_VAULT_URL)';
  }
}
