import { randomUUID } from 'node:crypto';
import { InvocationContext, type Timer } from '@azure/functions';
import { afterEach, describe, expect, it } from 'vitest';
import { cin7WebhookSecretHeader } from '../../src/cin7/webhook-payloads.js';
import { Secret } from '../../src/config/secret.js';
import { createCheckCin7WebhooksHandler } from '../../src/functions/check-cin7-webhooks.js';
import { cin7WebhookUrl, setupCin7Webhooks } from '../../src/sync/subscriptions/cin7-webhooks.js';
import { sandboxSecrets } from '../sandbox/sandbox.js';
import { startMasterSandbox, type MasterSandbox } from './master-sandbox.js';

const tick: Timer = {
  isPastDue: false,
  schedule: { adjustForDST: false },
  scheduleStatus: { last: '', next: '', lastUpdated: '' },
};

describe('Cin7 webhooks', () => {
  let sandbox: MasterSandbox;
  afterEach(() => sandbox.close());

  it('when setup runs twice, then each required webhook exists once, with the connector secret header on the webhook URL', async () => {
    sandbox = await startMasterSandbox();
    const options = {
      webhookUrl: cin7WebhookUrl(sandbox.publicBaseUrl),
      secret: new Secret(sandboxSecrets.webhookSecret),
    };
    const first = await setupCin7Webhooks(sandbox.deps, options);
    const second = await setupCin7Webhooks(sandbox.deps, options);

    expect(first.map((r) => r.action)).toEqual(['created', 'created', 'created', 'created']);
    expect(second.map((r) => r.action)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(sandbox.cin7.state.webhooks.map((w) => w.Type).sort()).toEqual([
      'Purchase/CreditNoteAuthorised',
      'Purchase/InvoiceAuthorised',
      'Purchase/Updated',
      'Supplier/Updated',
    ]);
    for (const hook of sandbox.cin7.state.webhooks) {
      expect(hook).toMatchObject({
        IsActive: true,
        ExternalURL: `${sandbox.publicBaseUrl}/api/webhooks/cin7`,
        ExternalAuthorizationType: 'noauth',
        ExternalHeaders: [{ Key: cin7WebhookSecretHeader, Value: sandboxSecrets.webhookSecret }],
      });
    }
  });

  it('when Cin7 deactivated a webhook after failed deliveries, then the timer re-activates it, reports and records it', async () => {
    sandbox = await startMasterSandbox();
    // Registered on the real webhook function, then made to fail: Cin7 delivers to a URL that answers 404.
    await setupCin7Webhooks(sandbox.deps, {
      webhookUrl: sandbox.webhookUrl,
      secret: new Secret(sandboxSecrets.webhookSecret),
    });
    const hook = sandbox.cin7.state.webhooks.find((w) => w.Type === 'Supplier/Updated');
    if (!hook) throw new Error('no Supplier/Updated webhook');
    const supplier = sandbox.cin7.addSupplier({ Name: 'Offline Orchards' });
    const realUrl = hook.ExternalURL;
    hook.ExternalURL = `${sandbox.publicBaseUrl}/nowhere`;
    const deliveries = await sandbox.cin7.deliverWebhooks(
      { type: 'Supplier/Updated', supplierIds: [supplier.ID] },
      { attempts: 6 },
    );
    expect(deliveries[0]?.deactivated).toBe(true);
    hook.ExternalURL = realUrl;

    const handler = createCheckCin7WebhooksHandler({
      getDeps: () => Promise.resolve(sandbox.deps),
      getWebhookSecret: () => Promise.resolve(new Secret(sandboxSecrets.webhookSecret)),
      publicBaseUrl: sandbox.webhookUrl.replace(/\/api\/webhooks\/cin7$/, ''),
    });
    const reports = await handler(
      tick,
      new InvocationContext({ invocationId: randomUUID(), functionName: 'check-cin7-webhooks' }),
    );

    expect(reports.find((r) => r.type === 'Supplier/Updated')?.action).toBe('reactivated');
    expect(hook).toMatchObject({
      IsActive: true,
      ExternalHeaders: [{ Key: cin7WebhookSecretHeader, Value: sandboxSecrets.webhookSecret }],
    });
    expect(sandbox.telemetry.events.filter((e) => e.name === 'cin7.webhook.reactivated')).toHaveLength(1);
    expect((await sandbox.deps.stores.subscriptions.get('cin7:Supplier/Updated'))?.value.lastAction).toMatch(
      /^reactivated/,
    );

    const after = await sandbox.cin7.deliverWebhooks({ type: 'Supplier/Updated', supplierIds: [supplier.ID] });
    expect(after[0]?.ok).toBe(true);
  });
});
