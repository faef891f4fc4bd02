/**
 * Timer: re-activates Cin7 webhooks Cin7 switched off after 6 failed deliveries, and re-creates missing ones
 * (DESIGN §4 Cin7 webhooks). CHECK_WEBHOOKS_SCHEDULE.
 */
import type { Secret } from '../config/secret.js';
import { checkCin7Webhooks, cin7WebhookUrl, type Cin7WebhookReport } from '../sync/subscriptions/cin7-webhooks.js';
import { appRuntime } from './app-runtime.js';
import { publicUrlTimer, type PublicUrlTimerDeps } from './public-url-timer.js';

export interface CheckCin7WebhooksDeps extends PublicUrlTimerDeps {
  getWebhookSecret(): Promise<Secret>;
}

export function createCheckCin7WebhooksHandler(deps: CheckCin7WebhooksDeps) {
  return publicUrlTimer<Cin7WebhookReport>(
    deps,
    'PUBLIC_BASE_URL is not set: Cin7 webhooks are not checked; purchases and suppliers arrive by poll only',
    async (syncDeps, publicBaseUrl) =>
      checkCin7Webhooks(syncDeps, { webhookUrl: cin7WebhookUrl(publicBaseUrl), secret: await deps.getWebhookSecret() }),
  );
}

/** Registered by src/main.ts as `check-cin7-webhooks`. */
export const checkCin7WebhooksTimer = createCheckCin7WebhooksHandler({
  getDeps: () => appRuntime().getDeps(),
  getWebhookSecret: () => appRuntime().getWebhookSecret(),
  get publicBaseUrl() {
    return appRuntime().settings.webhooks.publicBaseUrl;
  },
});
