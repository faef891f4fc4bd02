import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cin7WebhookSecretHeader } from '../../src/cin7/webhook-payloads.js';
import type { Cin7WebhookReport } from '../../src/sync/subscriptions/cin7-webhooks.js';
import type { SubscriptionReport } from '../../src/sync/subscriptions/bc-subscriptions.js';
import { startHttpServer, type StartedHttpServer } from '../sandbox/http-server.js';
import { startSandbox, type Sandbox } from '../sandbox/sandbox.js';
import { runCliAgainst } from './cli-support.js';

describe('cin7-bc webhooks and subscriptions', () => {
  let sandbox: Sandbox;
  let app: StartedHttpServer;
  beforeAll(async () => {
    sandbox = await startSandbox({ azuriteConnectionString: inject('azuriteConnectionString'), cin7RateLimit: false });
    // Stands in for the function app at PUBLIC_BASE_URL: answers BC's subscription handshake.
    app = await startHttpServer((req, res) => {
      const token = new URL(req.url ?? '/', 'http://x').searchParams.get('validationToken');
      res.writeHead(token ? 200 : 202, { 'content-type': 'text/plain' });
      res.end(token ?? '');
    });
  });
  afterAll(async () => {
    await app?.close();
    await sandbox?.close();
  });

  it('when webhooks setup runs twice, then the webhooks are created once and point at the app with the secret', async () => {
    const env = { PUBLIC_BASE_URL: app.url };
    const first = await runCliAgainst(sandbox, ['webhooks', 'setup', '--json'], env);
    expect(first.code).toBe(0);
    expect(first.json<{ webhooks: Cin7WebhookReport[] }>().webhooks.map((w) => w.action)).toEqual([
      'created',
      'created',
      'created',
      'created',
    ]);
    const second = await runCliAgainst(sandbox, ['webhooks', 'setup', '--json'], env);
    expect(second.json<{ webhooks: Cin7WebhookReport[] }>().webhooks.map((w) => w.action)).toEqual([
      'ok',
      'ok',
      'ok',
      'ok',
    ]);
    const hooks = sandbox.cin7.state.webhooks;
    expect(hooks).toHaveLength(4);
    expect(
      hooks.every(
        (h) =>
          h.ExternalURL === `${app.url}/api/webhooks/cin7` &&
          h.ExternalHeaders.some(
            (header) => header.Key === cin7WebhookSecretHeader && header.Value === sandbox.env['CIN7_WEBHOOK_SECRET'],
          ),
      ),
    ).toBe(true);
    expect(first.stdout + first.stderr).not.toContain(sandbox.env['CIN7_WEBHOOK_SECRET']);
  });

  it('when Cin7 switched a webhook off, then webhooks check re-activates it', async () => {
    const hook = sandbox.cin7.state.webhooks[0]!;
    hook.IsActive = false;
    const run = await runCliAgainst(sandbox, ['webhooks', 'check'], { PUBLIC_BASE_URL: app.url });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`${hook.Type.replace('/', '\\/')}\\s+reactivated`));
    expect(hook.IsActive).toBe(true);
  });

  it('when subscriptions check runs, then vendors and items subscriptions exist for the app', async () => {
    const run = await runCliAgainst(sandbox, ['subscriptions', 'check', '--json'], { PUBLIC_BASE_URL: app.url });
    expect(run.code).toBe(0);
    const reports = run.json<{ subscriptions: SubscriptionReport[] }>().subscriptions;
    expect(reports.map((r) => [r.resource, r.action])).toEqual([
      ['vendors', 'created'],
      ['items', 'created'],
    ]);
  });

  it('when PUBLIC_BASE_URL is not set, then webhooks setup says what to set and exits 2', async () => {
    const run = await runCliAgainst(sandbox, ['webhooks', 'setup'], { PUBLIC_BASE_URL: undefined });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('PUBLIC_BASE_URL is not set');
  });
});
