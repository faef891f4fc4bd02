/**
 * Custom events and metrics for Application Insights, behind the `Telemetry` port (src/core/ports/telemetry.ts).
 *
 * `applicationinsights` costs ~700 ms to load (DESIGN §4 Start-up cost), so it is imported only when a
 * connection string is configured, and started once per process however many times this is called.
 */
import type { TokenCredential } from '@azure/identity';
import type { DependencyCall, Logger, Telemetry } from '../core/ports/telemetry.js';
import { ensureError } from '../core/errors.js';
import { redactProperties } from './redact.js';

/** The part of the `applicationinsights` `TelemetryClient` this module uses. */
export interface TelemetryClientLike {
  config: { aadTokenCredential?: TokenCredential | undefined };
  trackEvent(telemetry: { name: string; properties?: Record<string, string> }): void;
  trackMetric(telemetry: { name: string; value: number; properties?: Record<string, string> }): void;
  trackDependency(telemetry: {
    dependencyTypeName: string;
    name: string;
    target: string;
    data: string;
    duration: number;
    resultCode: number;
    success: boolean;
  }): void;
}

/** The part of the `applicationinsights` module this module uses. */
export interface AppInsightsLike {
  setup(connectionString?: string): unknown;
  start(): unknown;
  readonly defaultClient: TelemetryClientLike;
}

export interface CreateTelemetryOptions {
  /** Where `APPLICATIONINSIGHTS_*` are read (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Loads `applicationinsights` (tests pass a fake). */
  loadAppInsights?: () => Promise<AppInsightsLike>;
  /** Builds the managed identity credential for Entra-only ingestion (tests pass a fake). */
  createCredential?: (clientId: string | undefined) => Promise<TokenCredential>;
  /** Told when Application Insights cannot start; telemetry then becomes a no-op. */
  logger?: Logger;
}

// Application Insights is a process-wide singleton: `setup()` twice only warns and configuration after
// `start()` is ignored (reference/azure-platform.md 5.1), so every caller shares this one start.
let started: Promise<TelemetryClientLike> | undefined;

/**
 * The telemetry for this process: Application Insights when `APPLICATIONINSIGHTS_CONNECTION_STRING` is
 * set, otherwise a no-op. If Application Insights fails to start, the failure is logged and a no-op is
 * returned: losing telemetry must not stop the sync.
 */
export async function createTelemetry(options: CreateTelemetryOptions = {}): Promise<Telemetry> {
  const env = options.env ?? process.env;
  const connectionString = env['APPLICATIONINSIGHTS_CONNECTION_STRING']?.trim();
  if (connectionString === undefined || connectionString === '') return noopTelemetry;

  started ??= startAppInsights(connectionString, env['APPLICATIONINSIGHTS_AUTHENTICATION_STRING'], options);
  try {
    return toTelemetry(await started);
  } catch (error) {
    started = undefined;
    options.logger?.warn('Application Insights did not start; custom events and metrics are off', {
      error: ensureError(error),
    });
    return noopTelemetry;
  }
}

async function startAppInsights(
  connectionString: string,
  authenticationString: string | undefined,
  options: CreateTelemetryOptions,
): Promise<TelemetryClientLike> {
  const appInsights = await (options.loadAppInsights ?? loadAppInsights)();
  appInsights.setup(connectionString);
  const aad = parseAuthenticationString(authenticationString);
  if (aad !== undefined) {
    // Only the auto-attach agent reads APPLICATIONINSIGHTS_AUTHENTICATION_STRING; the SDK needs the
    // credential set before start() (reference/azure-platform.md 5.1).
    appInsights.defaultClient.config.aadTokenCredential = await (
      options.createCredential ?? createManagedIdentityCredential
    )(aad.clientId);
  }
  appInsights.start();
  return appInsights.defaultClient;
}

async function loadAppInsights(): Promise<AppInsightsLike> {
  // `default` is the CommonJS module object: its `defaultClient` is assigned by setup(), which a named
  // import (a snapshot taken at import time) would not see.
  return (await import('applicationinsights')).default;
}

async function createManagedIdentityCredential(clientId: string | undefined): Promise<TokenCredential> {
  const { ManagedIdentityCredential } = await import('@azure/identity');
  return clientId === undefined ? new ManagedIdentityCredential() : new ManagedIdentityCredential({ clientId });
}

/**
 * Reads `ClientId=<id>;Authorization=AAD` (or `Authorization=AAD` for the system identity). Returns
 * undefined unless Entra authentication is asked for.
 */
export function parseAuthenticationString(value: string | undefined): { clientId?: string } | undefined {
  if (value === undefined) return undefined;
  const parts = new Map<string, string>();
  for (const pair of value.split(';')) {
    const index = pair.indexOf('=');
    if (index > 0) parts.set(pair.slice(0, index).trim().toLowerCase(), pair.slice(index + 1).trim());
  }
  if (parts.get('authorization')?.toUpperCase() !== 'AAD') return undefined;
  const clientId = parts.get('clientid');
  return clientId === undefined || clientId === '' ? {} : { clientId };
}

function toTelemetry(client: TelemetryClientLike): Telemetry {
  return {
    event(name, properties) {
      client.trackEvent({ name, properties: redactStrings(properties) });
    },
    metric(name, value, properties) {
      client.trackMetric({
        name,
        value,
        ...(properties === undefined ? {} : { properties: redactStrings(properties) }),
      });
    },
    dependency(call) {
      // undici is not auto-collected by applicationinsights v3, so the clients report each attempt here.
      client.trackDependency({
        dependencyTypeName: 'HTTP',
        name: `${call.method} ${call.operation}`,
        target: call.target,
        data: call.operation,
        duration: call.durationMs,
        resultCode: call.status,
        success: call.success,
      });
    },
  };
}

/** Telemetry properties go through the same redactor as log lines (DESIGN §3.7). */
function redactStrings(properties: Record<string, string>): Record<string, string> {
  const redacted = redactProperties(properties);
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(redacted))
    result[key] = typeof value === 'string' ? value : JSON.stringify(value);
  return result;
}

const noopTelemetry: Telemetry = {
  event() {
    // No Application Insights configured (local runs): events are dropped on purpose.
  },
  metric() {
    // As above.
  },
  dependency() {
    // As above.
  },
};

/** An event as `createMemoryTelemetry` recorded it. */
export interface RecordedEvent {
  name: string;
  properties: Record<string, string>;
}

/** A metric as `createMemoryTelemetry` recorded it. */
export interface RecordedMetric {
  name: string;
  value: number;
  properties?: Record<string, string>;
}

/** Telemetry that records what it is given (after redaction, as Application Insights would receive it), for tests. */
export function createMemoryTelemetry(): Telemetry & {
  events: RecordedEvent[];
  metrics: RecordedMetric[];
  dependencies: DependencyCall[];
} {
  const events: RecordedEvent[] = [];
  const metrics: RecordedMetric[] = [];
  const dependencies: DependencyCall[] = [];
  return {
    events,
    metrics,
    dependencies,
    event(name, properties) {
      events.push({ name, properties: redactStrings(properties) });
    },
    metric(name, value, properties) {
      metrics.push({ name, value, ...(properties === undefined ? {} : { properties: redactStrings(properties) }) });
    },
    dependency(call) {
      dependencies.push({ ...call });
    },
  };
}
