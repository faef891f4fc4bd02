/**
 * The composition root: builds the adapters behind the ports once per process from the settings. The
 * Functions, the CLI and the demo all get their `SyncDeps` here, so they run the same code.
 *
 * SDKs are loaded where they are first needed (DESIGN §4 Start-up cost): the webhook function only pays
 * for the queue and the secret it checks.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { Settings } from '../config/settings.js';
import { createSecretProvider, type SecretName, type SecretProvider } from '../config/secrets.js';
import type { Secret } from '../config/secret.js';
import { MS_PER_DAY, MS_PER_MINUTE, MS_PER_SECOND } from '../config/settings/units.js';
import { defaultSyncSettings, type SyncSettings } from '../core/settings.js';
import { type SyncDeps } from '../sync/deps.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { DependencyCall, Logger, Telemetry } from '../core/ports/telemetry.js';
import type { JobQueue } from '../core/ports/jobs.js';
import type { Stores } from '../core/ports/stores.js';
import { createReferenceCache } from '../sync/reference-cache.js';
import { createSupplierDirectory } from '../sync/master-data/supplier-directory.js';
import type { IdentityHttpClient } from '../bc/auth.js';
import type { CreateBcLimiterOptions } from '../bc/limiter.js';
import type { RateLimiter } from '../http/rate-limiter.js';

export interface RuntimeOptions {
  clock?: Clock;
  logger: Logger;
  telemetry: Telemetry;
  /** Replaces the queue the settings describe (the demo and tests use the in-process session queue). */
  queue?: JobQueue;
  /** Replaces the stores (unit tests). */
  stores?: Stores;
  /** Token calls to a non-public authority (the sandbox's Entra simulator) need their own HTTP client. */
  identityHttpClient?: IdentityHttpClient;
  /** Replaces the BC credential entirely (tests). */
  bcCredential?: TokenCredential;
  /** Replaces the secret provider (tests). */
  secrets?: SecretProvider;
  /** Replace the limiters (the sandbox scales them with its simulators). */
  cin7Limiter?: RateLimiter;
  bcLimiter?: RateLimiter;
  /**
   * Length of Cin7's window for the shared budget (default 60 000 ms); the multi-process test and the bench
   * shrink it.
   */
  cin7WindowMs?: number;
}

export interface Runtime {
  settings: Settings;
  secrets: SecretProvider;
  getDeps(): Promise<SyncDeps>;
  getQueue(): Promise<JobQueue>;
  getStores(): Promise<Stores>;
  /** The shared secret Cin7 must present on webhook calls. */
  getWebhookSecret(): Promise<Secret>;
  /** The `clientState` BC subscriptions carry. */
  getClientState(): Promise<Secret>;
  /** Forgets clients built from secrets (after an AuthError: the secret may have been rotated). */
  resetCredentials(): void;
  close(): Promise<void>;
}

/** The use cases' slice of the settings; what no setting controls keeps the core's value. */
export function syncSettingsFrom(settings: Settings): SyncSettings {
  const b = settings.behaviour;
  return {
    ...defaultSyncSettings,
    eligibleApproaches: b.eligibleApproaches,
    lineMode: b.lineMode,
    amountTolerance: b.amountTolerance,
    autoCreateVendors: b.autoCreateVendors,
    vendorInvoiceNumberFallback: b.vendorInvoiceNumberFallback,
    invoiceNumberOrigin: b.invoiceNumberOrigin,
    postingDatePolicy: b.postingDatePolicy,
    taxModel: b.taxModel,
    maxAttempts: b.maxAttempts,
    retryBaseMs: b.retryBaseSeconds * MS_PER_SECOND,
    retryMaxMs: b.retryMaxSeconds * MS_PER_SECOND,
    pollOverlapMs: b.pollOverlapMinutes * MS_PER_MINUTE,
    pollInitialLookbackMs: b.pollInitialLookbackDays * MS_PER_DAY,
    stuckAfterMs: b.stuckRecordMinutes * MS_PER_MINUTE,
    masterData: {
      vendorMaster: b.vendorMaster,
      autoCreateCategories: b.autoCreateCategories,
      cin7Defaults: settings.cin7.defaults,
    },
  };
}

/** Memoises an async factory; a failure is not cached, so the next call tries again. */
function lazy<T>(factory: () => Promise<T>): { get: () => Promise<T>; reset: () => void } {
  let pending: Promise<T> | undefined;
  return {
    get: () => {
      pending ??= factory().catch((error: unknown) => {
        pending = undefined;
        throw error;
      });
      return pending;
    },
    reset: () => {
      pending = undefined;
    },
  };
}

export function createRuntime(settings: Settings, options: RuntimeOptions): Runtime {
  const clock = options.clock ?? systemClock;
  const secrets =
    options.secrets ??
    createSecretProvider({
      ...(settings.secrets.keyVaultUrl !== undefined ? { keyVaultUrl: settings.secrets.keyVaultUrl } : {}),
      localValues: settings.secrets.local,
      clock,
    });

  /**
   * A secret read again from its source, past the cache: a client calls it once when the other system refuses
   * the value it holds, since the secret may have been rotated in Key Vault (the value stays in memory, I7).
   */
  const reread = async (name: SecretName): Promise<string> => {
    secrets.invalidate(name);
    return (await secrets.get(name)).reveal();
  };

  /** How this process reaches the app's tables: a connection string locally, the managed identity in Azure. */
  const tableAccess = lazy(
    async (): Promise<{ connectionString: string } | { tableServiceUri: string; credential: TokenCredential }> => {
      const storage = settings.storage;
      if (storage.kind === 'connection-string') return { connectionString: storage.connectionString.reveal() };
      const { DefaultAzureCredential } = await import('@azure/identity');
      const credential = new DefaultAzureCredential(
        storage.clientId !== undefined ? { managedIdentityClientId: storage.clientId } : {},
      );
      return { tableServiceUri: storage.tableServiceUri, credential };
    },
  );

  const stores = lazy(async () => {
    if (options.stores) return options.stores;
    const { createTableStores } = await import('../store/table-store.js');
    return createTableStores({ ...(await tableAccess.get()), tablePrefix: settings.storage.tablePrefix });
  });

  // Cin7's limit is per account (reference §1.4): one budget for every instance and the CLI, kept in the
  // app's storage account (src/http/shared-rate-limiter.ts), built once per runtime.
  const cin7Limiter = lazy(async (): Promise<RateLimiter> => {
    if (options.cin7Limiter) return options.cin7Limiter;
    const [{ createSharedCin7Limiter }, { createTableBudgetStore }] = await Promise.all([
      import('../cin7/limiter.js'),
      import('../store/table-budget-store.js'),
    ]);
    const store = await createTableBudgetStore({
      ...(await tableAccess.get()),
      tablePrefix: settings.storage.tablePrefix,
      budget: 'cin7',
    });
    return createSharedCin7Limiter({
      store,
      callsPerMinute: settings.cin7.callsPerMinute,
      ...(options.cin7WindowMs !== undefined ? { windowMs: options.cin7WindowMs } : {}),
      clock,
      onReservation: (report) => {
        options.telemetry.metric('cin7.budget.slots', report.slots);
        options.telemetry.metric('cin7.budget.storage.calls', report.storageCalls);
      },
      onStorageFailure: (error) => {
        options.telemetry.metric('cin7.budget.unavailable', 1);
        options.logger.warn('Cin7 call budget: storage failed; Cin7 calls wait until it answers', { error });
      },
    });
  });

  const queue = lazy(async (): Promise<JobQueue & { close?: () => Promise<void> }> => {
    if (options.queue) return options.queue;
    const q = settings.queue;
    if (q.kind === 'memory') {
      throw new Error('SYNC_QUEUE_MODE=memory needs an in-process queue from the caller (CLI or demo)');
    }
    const { createServiceBusJobQueue } = await import('../queue/service-bus-queue.js');
    if (q.kind === 'connection-string') {
      return createServiceBusJobQueue({ connectionString: q.connectionString.reveal(), queueName: q.queueName });
    }
    const { DefaultAzureCredential } = await import('@azure/identity');
    const credential = new DefaultAzureCredential(
      q.clientId !== undefined ? { managedIdentityClientId: q.clientId } : {},
    );
    return createServiceBusJobQueue({
      fullyQualifiedNamespace: q.fullyQualifiedNamespace,
      credential,
      queueName: q.queueName,
    });
  });

  const deps = lazy(async (): Promise<SyncDeps> => {
    const [{ createCin7Client }, { createBcClient, createBcLimiter }, { createBcCredential }] = await Promise.all([
      import('../cin7/client.js'),
      import('../bc/client.js'),
      import('../bc/auth.js'),
    ]);
    const [accountId, applicationKey] = await Promise.all([
      secrets.get('cin7-account-id'),
      secrets.get('cin7-application-key'),
    ]);
    const bcSecret =
      settings.bc.useManagedIdentityFederation || options.bcCredential
        ? undefined
        : await secrets.get('bc-client-secret');
    const credential =
      options.bcCredential ??
      createBcCredential({
        tenantId: settings.bc.tenantId,
        clientId: settings.bc.clientId,
        ...(bcSecret ? { clientSecret: bcSecret.reveal(), rereadClientSecret: () => reread('bc-client-secret') } : {}),
        ...(settings.bc.authorityHost !== undefined ? { authorityHost: settings.bc.authorityHost } : {}),
        useManagedIdentityFederation: settings.bc.useManagedIdentityFederation,
        ...(process.env['AZURE_CLIENT_ID'] ? { managedIdentityClientId: process.env['AZURE_CLIENT_ID'] } : {}),
        ...(options.identityHttpClient ? { httpClient: options.identityHttpClient } : {}),
      });
    const onThrottle = (system: string) => () => options.telemetry.metric('http.throttled', 1, { system });
    // undici is not auto-instrumented by applicationinsights v3: each client reports its own attempts.
    const onRequest = (call: DependencyCall): void => options.telemetry.dependency(call);
    const cin7 = createCin7Client({
      baseUrl: settings.cin7.baseUrl,
      accountId: accountId.reveal(),
      applicationKey: applicationKey.reveal(),
      rereadCredentials: async () => {
        const [freshAccountId, freshKey] = await Promise.all([
          reread('cin7-account-id'),
          reread('cin7-application-key'),
        ]);
        return { accountId: freshAccountId, applicationKey: freshKey };
      },
      limiter: await cin7Limiter.get(),
      clock,
      onThrottle: onThrottle('cin7'),
      onRequest,
    });
    const bc = createBcClient({
      baseUrl: settings.bc.apiBaseUrl,
      tenantId: settings.bc.tenantId,
      environment: settings.bc.environment,
      companyId: settings.bc.companyId,
      credential,
      clock,
      limiter: options.bcLimiter ?? sharedBcLimiter(createBcLimiter, clock),
      onThrottle: onThrottle('bc'),
      onRequest,
    });
    const syncSettings = syncSettingsFrom(settings);
    return {
      cin7,
      bc,
      stores: await stores.get(),
      queue: await queue.get(),
      clock,
      logger: options.logger,
      telemetry: options.telemetry,
      settings: syncSettings,
      reference: createReferenceCache({
        bc,
        clock,
        ttlMs: syncSettings.referenceTtlMs,
        loadItems: syncSettings.lineMode !== 'account',
      }),
      suppliers: createSupplierDirectory({ cin7, clock, ttlMs: syncSettings.referenceTtlMs }),
    };
  });

  return {
    settings,
    secrets,
    getDeps: deps.get,
    getQueue: queue.get,
    getStores: stores.get,
    getWebhookSecret: () => secrets.get('cin7-webhook-secret'),
    getClientState: () => secrets.get('bc-client-state'),
    resetCredentials: () => {
      secrets.invalidate();
      deps.reset();
    },
    close: async () => {
      const q = options.queue ? undefined : await queue.get().catch(() => undefined);
      if (q && 'close' in q && typeof q.close === 'function') await q.close();
    },
  };
}

/**
 * BC's limits are per user (reference/bc-api.md §7.1) and every client of the process calls as the app's one
 * user, so they share one limiter; it outlives `resetCredentials`, which rebuilds the clients.
 */
let bcLimiter: RateLimiter | undefined;
function sharedBcLimiter(factory: (options: CreateBcLimiterOptions) => RateLimiter, clock: Clock): RateLimiter {
  bcLimiter ??= factory({ clock });
  return bcLimiter;
}
