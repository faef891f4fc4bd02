/**
 * The whole connector against simulated Cin7, BC and Entra, with real Table Storage (Azurite) and the
 * in-process session queue. Everything from `src/` runs as in Azure: the webhook function, the Service Bus
 * function (fed the same message shape the host gives it), the use cases and both HTTP clients.
 */
import { randomUUID } from 'node:crypto';
import { loadSettings, type Settings } from '../../src/config/settings.js';
import { createRuntime, type Runtime } from '../../src/compose/runtime.js';
import { createSecretProvider, type SecretSource } from '../../src/config/secrets.js';
import { createBcLimiter } from '../../src/bc/client.js';
import { createCin7Limiter } from '../../src/cin7/limiter.js';
import { createCin7WebhookHandler } from '../../src/functions/cin7-webhook.js';
import { createSyncJobHandler } from '../../src/functions/sync-job.js';
import { createMemorySessionQueue, type MemorySessionQueue } from '../../src/queue/memory-session-queue.js';
import { toServiceBusMessage } from '../../src/queue/service-bus-queue.js';
import type { SyncDeps } from '../../src/sync/deps.js';
import { systemClock, type Clock } from '../../src/core/clock.js';
import { allHandlers } from '../../src/sync/jobs/handlers.js';
import type { JobHandlers } from '../../src/sync/jobs/run-job.js';
import type { LedgerEntry, RecordType } from '../../src/core/ports/stores.js';
import { createLogger, memorySink, type LogSink } from '../../src/telemetry/logger.js';
import { createMemoryTelemetry } from '../../src/telemetry/telemetry.js';
import { startAzurite, type RunningAzurite } from '../support/azurite.js';
import { startBcSimulator, type BcSimulator, type BcSimulatorLimits } from './bc/bc-simulator.js';
import type { TaxModel } from './bc/bc-state.js';
import { startCin7Simulator, type Cin7Simulator } from './cin7/index.js';
import { startEntraSimulator, type EntraSimulator } from './entra/entra-simulator.js';
import { createTrustingHttpClient } from './entra/trusting-http-client.js';
import { FaultControl } from './faults.js';
import { invokeSyncJob, serveFunction } from './serve-function.js';

/** Sandbox credentials: made up for the simulators, never real. */
export const sandboxSecrets = {
  cin7AccountId: 'sandbox-account-7c1e',
  cin7ApplicationKey: 'sandbox-app-key-2f9d41b7',
  bcClientSecret: 'sandbox-bc-secret-9a8e3d',
  webhookSecret: 'sandbox-webhook-secret-51c0',
  clientState: 'sandbox-client-state-d4e2',
} as const;
const tenantId = '7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910';
const clientId = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

export interface SandboxOptions {
  seed?: number;
  faults?: FaultControl;
  /** Reuse an Azurite (tests get one from the global setup); otherwise one is started. */
  azuriteConnectionString?: string;
  /** Isolates tables between runs that share an Azurite. */
  tablePrefix?: string;
  /** The simulator's Cin7 limit; the client limiter is set to the same (default 60 per minute). */
  cin7RateLimit?: { limit: number; windowMs: number } | false;
  bcLimits?: BcSimulatorLimits | false;
  /**
   * The BC company's tax model (default `flat`). `W1` and `NA` also set the connector's `BC_TAX_MODEL` to
   * match (`vat`, `sales-tax`) unless `env` sets it.
   */
  taxModel?: TaxModel;
  /** More BC changes than this in one notification window → one `collection` notification (BC: 1,000). */
  bcCollectionThreshold?: number;
  tokenLifetimeSeconds?: number;
  /** Extra or replaced app settings (e.g. `LINE_MODE`, `AUTO_CREATE_VENDORS`). */
  env?: Record<string, string>;
  /** Overrides of the use-case settings after they are read (tests shorten retry delays). */
  sync?: Partial<SyncDeps['settings']>;
  /** Where log lines go (default: kept in memory). */
  logSink?: LogSink;
  handlers?: JobHandlers;
  maxConcurrentSessions?: number;
  /** A Key Vault stand-in the runtime reads its secrets from (cached as in Azure); default: the settings. */
  vault?: SecretSource;
  /**
   * How many times faster the connector's clock runs than real time (default 1). Its backoffs, Retry-After
   * waits, limiter pauses, leases and scheduled retries all shrink together, while the simulators keep
   * real time (the Cin7 client limiter's window is stretched to match the simulator's). For throttle storms.
   */
  speed?: number;
}

export interface Sandbox {
  faults: FaultControl;
  cin7: Cin7Simulator;
  bc: BcSimulator;
  entra: EntraSimulator;
  settings: Settings;
  env: Record<string, string>;
  runtime: Runtime;
  deps: SyncDeps;
  queue: MemorySessionQueue;
  telemetry: ReturnType<typeof createMemoryTelemetry>;
  logs: ReturnType<typeof memorySink>['lines'];
  /** Every message sent to the queue (enqueued or scheduled), serialised as Service Bus would carry it. */
  sentMessages: string[];
  /** Every bearer token BC was called with (so tests can prove none leaks, invariant 7). */
  bearerTokens: Set<string>;
  /** The URL Cin7's webhooks are registered with (the real webhook function behind a local server). */
  webhookUrl: string;
  /** Every ledger entry of a type, all pages. */
  ledger(recordType?: RecordType): Promise<LedgerEntry[]>;
  /** Waits until the queue is empty (retries included). */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** A clock whose time runs `speed` times faster than the wall clock, from now on. */
function acceleratedClock(speed: number): Clock {
  const origin = Date.now();
  return {
    now: () => origin + (Date.now() - origin) * speed,
    sleep: (ms) => systemClock.sleep(ms / speed),
    random: () => Math.random(),
  };
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const seed = options.seed ?? 1;
  const faults = options.faults ?? new FaultControl(seed);
  const closers: Array<() => Promise<void>> = [];
  try {
    const entra = await startEntraSimulator({
      tenantId,
      clientId,
      clientSecret: sandboxSecrets.bcClientSecret,
      faults,
      ...(options.tokenLifetimeSeconds !== undefined ? { tokenLifetimeSeconds: options.tokenLifetimeSeconds } : {}),
    });
    closers.push(() => entra.close());
    const bearerTokens = new Set<string>();
    const bc = await startBcSimulator({
      tenantId,
      environment: 'sandbox',
      validateToken: (token) => {
        bearerTokens.add(token);
        return entra.isValidToken(token);
      },
      faults,
      seed,
      ...(options.bcLimits !== undefined ? { limits: options.bcLimits } : {}),
      ...(options.bcCollectionThreshold !== undefined ? { collectionThreshold: options.bcCollectionThreshold } : {}),
    });
    closers.push(() => bc.close());
    if (options.taxModel !== undefined) bc.setTaxModel(options.taxModel);
    const cin7 = await startCin7Simulator({
      accountId: sandboxSecrets.cin7AccountId,
      applicationKey: sandboxSecrets.cin7ApplicationKey,
      faults,
      seed,
      ...(options.cin7RateLimit !== undefined ? { rateLimit: options.cin7RateLimit } : {}),
    });
    closers.push(() => cin7.close());
    let azurite: RunningAzurite | undefined;
    let storage = options.azuriteConnectionString;
    if (storage === undefined) {
      azurite = await startAzurite();
      closers.push(() => azurite?.stop() ?? Promise.resolve());
      storage = azurite.connectionString;
    }

    const env: Record<string, string> = {
      CIN7_BASE_URL: cin7.baseUrl,
      CIN7_ACCOUNT_ID: sandboxSecrets.cin7AccountId,
      CIN7_APPLICATION_KEY: sandboxSecrets.cin7ApplicationKey,
      CIN7_WEBHOOK_SECRET: sandboxSecrets.webhookSecret,
      BC_TENANT_ID: tenantId,
      BC_ENVIRONMENT: 'sandbox',
      BC_COMPANY_ID: bc.companyId,
      BC_CLIENT_ID: clientId,
      BC_CLIENT_SECRET: sandboxSecrets.bcClientSecret,
      BC_CLIENT_STATE: sandboxSecrets.clientState,
      BC_API_BASE_URL: bc.baseUrl,
      AZURE_AUTHORITY_HOST: entra.authorityHost,
      AzureWebJobsStorage: storage,
      TABLE_PREFIX: options.tablePrefix ?? `t${randomUUID().replace(/-/g, '').slice(0, 8)}`,
      SYNC_QUEUE_MODE: 'memory',
      ...(options.taxModel === 'W1' ? { BC_TAX_MODEL: 'vat' } : {}),
      ...(options.taxModel === 'NA' ? { BC_TAX_MODEL: 'sales-tax' } : {}),
      ...options.env,
    };
    const settings = loadSettings(env);
    const telemetry = createMemoryTelemetry();
    const sink = memorySink();
    const logSink: LogSink = options.logSink
      ? (level, message, properties) => {
          sink.sink(level, message, properties);
          options.logSink?.(level, message, properties);
        }
      : sink.sink;
    const logger = createLogger(logSink);
    const speed = options.speed ?? 1;
    const clock = speed === 1 ? systemClock : acceleratedClock(speed);
    const queue = createMemorySessionQueue({ clock, maxConcurrentSessions: options.maxConcurrentSessions ?? 8 });
    const sentMessages: string[] = [];
    const enqueue = queue.enqueue.bind(queue);
    const schedule = queue.schedule.bind(queue);
    queue.enqueue = (envelopes) => {
      for (const envelope of envelopes) sentMessages.push(JSON.stringify(toServiceBusMessage(envelope)));
      return enqueue(envelopes);
    };
    queue.schedule = (envelope, at) => {
      sentMessages.push(JSON.stringify(toServiceBusMessage(envelope)));
      return schedule(envelope, at);
    };
    const runtime = createRuntime(settings, {
      clock,
      logger,
      telemetry,
      queue,
      identityHttpClient: createTrustingHttpClient(entra.caCertificatePem),
      // A fresh limiter per sandbox, matching the simulator's limit, so runs in one process do not share one.
      cin7Limiter: createCin7Limiter({
        clock,
        ...(options.cin7RateLimit
          ? { callsPerMinute: options.cin7RateLimit.limit, windowMs: options.cin7RateLimit.windowMs * speed }
          : options.cin7RateLimit === false
            ? { callsPerMinute: 1_000_000 }
            : { windowMs: 60_000 * speed }),
      }),
      bcLimiter: createBcLimiter({ clock, windowMs: 5 * 60_000 * speed }),
      ...(options.vault ? { secrets: createSecretProvider({ source: options.vault, clock }) } : {}),
    });
    const deps = await runtime.getDeps();
    deps.settings = { ...deps.settings, retryBaseMs: 50, retryMaxMs: 1000, ...options.sync };
    closers.push(async () => {
      await queue.stop();
      const cin7Client = deps.cin7 as SyncDeps['cin7'] & { close?: () => Promise<void> };
      await cin7Client.close?.();
    });

    // The Service Bus function, fed exactly what the Functions host would pass it.
    const syncJob = createSyncJobHandler({
      getDeps: () => Promise.resolve(deps),
      logger: () => logger,
      handlers: options.handlers ?? allHandlers,
    });
    queue.start(async (envelope, meta) => {
      await invokeSyncJob(syncJob, envelope, meta);
    });

    // The webhook function behind a local HTTP server, registered in Cin7 like a partner would.
    const webhook = createCin7WebhookHandler({
      getWebhookSecret: () => runtime.getWebhookSecret(),
      getQueue: () => Promise.resolve(queue),
      clock: { now: () => Date.now() },
      logger: () => logger,
      maxBodyBytes: settings.webhooks.maxBodyBytes,
    });
    const server = await serveFunction(webhook, 'cin7-webhook');
    closers.push(() => server.close());
    const webhookUrl = `${server.url}/api/webhooks/cin7`;

    return {
      faults,
      cin7,
      bc,
      entra,
      settings,
      env,
      runtime,
      deps,
      queue,
      telemetry,
      logs: sink.lines,
      sentMessages,
      bearerTokens,
      webhookUrl,
      async ledger(recordType) {
        const entries: LedgerEntry[] = [];
        let continuationToken: string | undefined;
        do {
          const page = await deps.stores.ledger.list({
            ...(recordType ? { recordType } : {}),
            pageSize: 500,
            ...(continuationToken ? { continuationToken } : {}),
          });
          entries.push(...page.items);
          continuationToken = page.continuationToken;
        } while (continuationToken);
        return entries;
      },
      settle: () => queue.idle(),
      async close() {
        for (const close of closers.reverse()) await close().catch(() => undefined);
      },
    };
  } catch (error) {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    throw error;
  }
}
