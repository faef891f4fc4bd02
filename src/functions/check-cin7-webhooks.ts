/**
 * Timer: re-activates Cin7 webhooks Cin7 switched off after 6 failed deliveries, and re-creates missing ones
 * (DESIGN §4 Cin7 webhooks). CHECK_WEBHOOKS_SCHEDULE.
 */
import { app, type InvocationContext, type Timer } from '@azure/functions';
import type { Secret } from '../config/secret.js';
import { checkCin7Webhooks, cin7WebhookUrl, type Cin7WebhookReport } from '../sync/subscriptions/cin7-webhooks.js';
import type { SyncDeps } from '../sync/deps.js';
import { appRuntime, registrationSetting } from './app-runtime.js';

export interface CheckCin7WebhooksDeps {
  getDeps(): Promise<SyncDeps>;
  getWebhookSecret(): Promise<Secret>;
  /** PUBLIC_BASE_URL; without it Cin7 has no URL to call and nothing is checked. */
  publicBaseUrl: string | undefined;
}

export function createCheckCin7WebhooksHandler(deps: CheckCin7WebhooksDeps) {
  return async function checkCin7WebhooksTimer(
    _timer: Timer,
    _context: InvocationContext,
  ): Promise<Cin7WebhookReport[]> {
    const syncDeps = await deps.getDeps();
    if (deps.publicBaseUrl === undefined) {
      syncDeps.logger.warn(
        'PUBLIC_BASE_URL is not set: Cin7 webhooks are not checked; purchases and suppliers arrive by poll only',
      );
      return [];
    }
    return checkCin7Webhooks(syncDeps, {
      webhookUrl: cin7WebhookUrl(deps.publicBaseUrl),
      secret: await deps.getWebhookSecret(),
    });
  };
}

app.timer('check-cin7-webhooks', {
  schedule: registrationSetting('CHECK_WEBHOOKS_SCHEDULE'),
  handler: createCheckCin7WebhooksHandler({
    getDeps: () => appRuntime().getDeps(),
    getWebhookSecret: () => appRuntime().getWebhookSecret(),
    get publicBaseUrl() {
      return appRuntime().settings.webhooks.publicBaseUrl;
    },
  }),
});
