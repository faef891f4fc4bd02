/**
 * GET /webhooks answers with credentials in clear (openapi.yaml:28610-28618). The connector must read what it
 * needs and nothing else, and register its own webhooks with a header it defines (ExternalHeaders).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cin7WebhookSecretHeader } from '../../src/cin7/webhook-payloads.js';
import { systemClock } from '../../src/core/clock.js';
import { createMemoryStores } from '../../src/store/memory-store.js';
import { checkCin7Webhooks, setupCin7Webhooks } from '../../src/sync/subscriptions/cin7-webhooks.js';
import { createLogger, memorySink } from '../../src/telemetry/logger.js';
import { createMemoryTelemetry } from '../../src/telemetry/telemetry.js';
import { startHarness, type Harness } from './harness.js';

const webhookUrl = 'https://connector.example/api/webhooks/cin7';
const secret = 'whsec-6c1e0f2a-ours';
const otherPassword = 'pw-of-a-hand-made-hook';
const otherToken = 'token-of-a-hand-made-hook';

describe('Cin7 webhook credentials', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  function deps(harness: Harness) {
    const logs = memorySink();
    const stores = createMemoryStores();
    const telemetry = createMemoryTelemetry();
    return {
      logs,
      telemetry,
      deps: { cin7: harness.client, stores, clock: systemClock, logger: createLogger(logs.sink), telemetry },
    };
  }

  it('when GET webhooks returns passwords, tokens and header values, then the parsed webhooks hold none of them', async () => {
    h = await startHarness();
    h.sim.addWebhook({
      Type: 'Supplier/Updated',
      ExternalURL: 'https://elsewhere.example/hook',
      ExternalAuthorizationType: 'basicauth',
      ExternalUserName: 'someone',
      ExternalPassword: otherPassword,
      ExternalBearerToken: otherToken,
      ExternalHeaders: [{ Key: 'X-Api-Key', Value: secret }],
    });

    const hooks = await h.client.listWebhooks();

    expect(hooks).toHaveLength(1);
    const text = JSON.stringify(hooks);
    for (const value of [otherPassword, otherToken, secret, 'someone']) expect(text).not.toContain(value);
  });

  it('when setup registers the webhooks, then each is noauth with the secret in the connector header, and no store row, log line or event holds the secret', async () => {
    h = await startHarness();
    const { deps: webhookDeps, logs, telemetry } = deps(h);

    await setupCin7Webhooks(webhookDeps, { webhookUrl, secret: { reveal: () => secret } });

    expect(h.sim.state.webhooks).toHaveLength(4);
    for (const hook of h.sim.state.webhooks) {
      expect(hook).toMatchObject({
        ExternalAuthorizationType: 'noauth',
        ExternalHeaders: [{ Key: cin7WebhookSecretHeader, Value: secret }],
        ExternalBearerToken: null,
      });
    }
    const stored = JSON.stringify(await webhookDeps.stores.subscriptions.list());
    expect(stored).not.toContain(secret);
    expect(JSON.stringify(logs.lines)).not.toContain(secret);
    expect(JSON.stringify(telemetry.events)).not.toContain(secret);
  });

  it('when a webhook of ours was registered with bearerauth and Cin7 switched it off, then the check re-registers it with the connector header and never logs or stores the secret', async () => {
    h = await startHarness();
    const { deps: webhookDeps, logs } = deps(h);
    await setupCin7Webhooks(webhookDeps, { webhookUrl, secret: { reveal: () => secret } });
    const hook = h.sim.state.webhooks.find((w) => w.Type === 'Purchase/Updated');
    if (!hook) throw new Error('no Purchase/Updated webhook');
    Object.assign(hook, {
      IsActive: false,
      ExternalAuthorizationType: 'bearerauth',
      ExternalBearerToken: secret,
      ExternalHeaders: [],
    });

    const reports = await checkCin7Webhooks(webhookDeps, { webhookUrl, secret: { reveal: () => secret } });

    expect(reports.find((r) => r.type === 'Purchase/Updated')?.action).toBe('reactivated');
    expect(hook).toMatchObject({
      IsActive: true,
      ExternalAuthorizationType: 'noauth',
      ExternalHeaders: [{ Key: cin7WebhookSecretHeader, Value: secret }],
    });
    expect(JSON.stringify(await webhookDeps.stores.subscriptions.list())).not.toContain(secret);
    expect(JSON.stringify(logs.lines)).not.toContain(secret);
  });
});
