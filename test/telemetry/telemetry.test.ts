import type { AccessToken, TokenCredential } from '@azure/identity';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as TelemetryNamespace from '../../src/telemetry/telemetry.js';
import type { AppInsightsLike, TelemetryClientLike } from '../../src/telemetry/telemetry.js';

type TelemetryModule = typeof TelemetryNamespace;

const CONNECTION_STRING =
  'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://ingest.test/';

/** Each test gets a fresh module: Application Insights' "start once" state lives at module level. */
async function freshModule(): Promise<TelemetryModule> {
  vi.resetModules();
  return import('../../src/telemetry/telemetry.js');
}

/** A fake `applicationinsights` module recording the calls made on it, in order. */
function buildAppInsights() {
  const calls: string[] = [];
  const events: unknown[] = [];
  const metrics: unknown[] = [];
  const dependencies: unknown[] = [];
  const client: TelemetryClientLike = {
    config: {},
    trackEvent: (telemetry) => events.push(telemetry),
    trackMetric: (telemetry) => metrics.push(telemetry),
    trackDependency: (telemetry) => dependencies.push(telemetry),
  };
  const module: AppInsightsLike = {
    setup(connectionString) {
      calls.push(`setup:${connectionString ?? ''}`);
    },
    start() {
      calls.push(`start:credential=${client.config.aadTokenCredential === undefined ? 'none' : 'set'}`);
    },
    defaultClient: client,
  };
  return { module, client, calls, events, metrics, dependencies, load: vi.fn(() => Promise.resolve(module)) };
}

const fakeCredential: TokenCredential = {
  getToken: (): Promise<AccessToken> => Promise.resolve({ token: 't', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

describe('createTelemetry', () => {
  let telemetryModule: TelemetryModule;
  beforeEach(async () => {
    telemetryModule = await freshModule();
  });

  it('when no connection string is set, then Application Insights is never loaded and calls are no-ops', async () => {
    const appInsights = buildAppInsights();

    const telemetry = await telemetryModule.createTelemetry({ env: {}, loadAppInsights: appInsights.load });
    telemetry.event('invoice-posted', { recordId: 'r1' });
    telemetry.metric('latency-ms', 12);
    telemetry.dependency({
      system: 'bc',
      operation: 'findVendors',
      method: 'GET',
      target: 'bc.test',
      durationMs: 3,
      status: 200,
      success: true,
    });

    expect(appInsights.load).not.toHaveBeenCalled();
  });

  it('when a connection string is set, then events and metrics go to trackEvent and trackMetric', async () => {
    const appInsights = buildAppInsights();

    const telemetry = await telemetryModule.createTelemetry({
      env: { APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION_STRING },
      loadAppInsights: appInsights.load,
    });
    telemetry.event('invoice-posted', { recordId: 'r1', url: 'https://x.test/a?code=abc' });
    telemetry.metric('latency-ms', 12, { flow: 'purchase-invoice' });

    expect(appInsights.calls).toEqual([`setup:${CONNECTION_STRING}`, 'start:credential=none']);
    expect(appInsights.events).toEqual([
      { name: 'invoice-posted', properties: { recordId: 'r1', url: 'https://x.test/a' } },
    ]);
    expect(appInsights.metrics).toEqual([{ name: 'latency-ms', value: 12, properties: { flow: 'purchase-invoice' } }]);
  });

  it('when an HTTP dependency is reported, then it goes to trackDependency as an HTTP call named by method and operation', async () => {
    const appInsights = buildAppInsights();

    const telemetry = await telemetryModule.createTelemetry({
      env: { APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION_STRING },
      loadAppInsights: appInsights.load,
    });
    telemetry.dependency({
      system: 'cin7',
      operation: 'advanced-purchase',
      method: 'GET',
      target: 'cin7.test',
      durationMs: 41,
      status: 503,
      success: false,
    });

    expect(appInsights.dependencies).toEqual([
      {
        dependencyTypeName: 'HTTP',
        name: 'GET advanced-purchase',
        target: 'cin7.test',
        data: 'advanced-purchase',
        duration: 41,
        resultCode: 503,
        success: false,
      },
    ]);
  });

  it('when created many times, including concurrently, then Application Insights is set up and started once', async () => {
    const appInsights = buildAppInsights();
    const options = {
      env: { APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION_STRING },
      loadAppInsights: appInsights.load,
    };

    await Promise.all([telemetryModule.createTelemetry(options), telemetryModule.createTelemetry(options)]);
    await telemetryModule.createTelemetry(options);

    expect(appInsights.load).toHaveBeenCalledTimes(1);
    expect(appInsights.calls).toEqual([`setup:${CONNECTION_STRING}`, 'start:credential=none']);
  });

  it('when the authentication string asks for AAD, then a managed identity credential with its client id is set before start', async () => {
    const appInsights = buildAppInsights();
    const createCredential = vi.fn(() => Promise.resolve(fakeCredential));

    await telemetryModule.createTelemetry({
      env: {
        APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION_STRING,
        APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=11111111-2222-3333-4444-555555555555;Authorization=AAD',
      },
      loadAppInsights: appInsights.load,
      createCredential,
    });

    expect(createCredential).toHaveBeenCalledWith('11111111-2222-3333-4444-555555555555');
    expect(appInsights.client.config.aadTokenCredential).toBe(fakeCredential);
    expect(appInsights.calls).toEqual([`setup:${CONNECTION_STRING}`, 'start:credential=set']);
  });

  it('when Application Insights fails to load, then a warning is logged, a no-op is returned, and the next call retries', async () => {
    const warnings: string[] = [];
    const logger = { info: vi.fn(), error: vi.fn(), warn: (message: string) => warnings.push(message) };
    const appInsights = buildAppInsights();
    const load = vi
      .fn<() => Promise<AppInsightsLike>>()
      .mockRejectedValueOnce(new Error('module missing'))
      .mockResolvedValue(appInsights.module);
    const options = {
      env: { APPLICATIONINSIGHTS_CONNECTION_STRING: CONNECTION_STRING },
      loadAppInsights: load,
      logger,
    };

    const first = await telemetryModule.createTelemetry(options);
    first.event('ignored', {});
    await telemetryModule.createTelemetry(options);

    expect(warnings).toHaveLength(1);
    expect(load).toHaveBeenCalledTimes(2);
    expect(appInsights.events).toEqual([]);
  });
});

describe('parseAuthenticationString', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['Authorization=AAD', {}],
    ['authorization=aad; clientid=abc', { clientId: 'abc' }],
    ['ClientId=abc', undefined],
  ])('when the value is %s, then the result is %o', async (value, expected) => {
    const { parseAuthenticationString } = await freshModule();

    expect(parseAuthenticationString(value)).toEqual(expected);
  });
});

describe('createMemoryTelemetry', () => {
  it('when events and metrics are sent, then they are recorded after redaction', async () => {
    const { createMemoryTelemetry } = await freshModule();
    const telemetry = createMemoryTelemetry();

    telemetry.event('webhook-rejected', { reason: 'bad secret', clientSecret: 'oops' });
    telemetry.metric('queue-depth', 3);

    expect(telemetry.events).toEqual([
      { name: 'webhook-rejected', properties: { reason: 'bad secret', clientSecret: '[redacted]' } },
    ]);
    expect(telemetry.metrics).toEqual([{ name: 'queue-depth', value: 3 }]);
  });

  it('when a dependency is reported, then it is recorded as given', async () => {
    const { createMemoryTelemetry } = await freshModule();
    const telemetry = createMemoryTelemetry();
    const call = {
      system: 'bc',
      operation: 'createPurchaseInvoice',
      method: 'POST',
      target: 'bc.test',
      durationMs: 7,
      status: 0,
      success: false,
    } as const;

    telemetry.dependency(call);

    expect(telemetry.dependencies).toEqual([call]);
  });
});
