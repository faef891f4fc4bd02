/**
 * Timer: keeps one BC subscription per resource (`vendors`, `items`) alive: renews before the 3-day expiry,
 * re-creates any BC deleted, records what it did (DESIGN §4 BC subscriptions). RENEW_SUBSCRIPTIONS_SCHEDULE.
 */
import type { Secret } from '../config/secret.js';
import {
  bcNotificationUrl,
  ensureBcSubscriptions,
  type SubscriptionReport,
} from '../sync/subscriptions/bc-subscriptions.js';
import { appRuntime } from './app-runtime.js';
import { publicUrlTimer, type PublicUrlTimerDeps } from './public-url-timer.js';

export interface RenewBcSubscriptionsDeps extends PublicUrlTimerDeps {
  getClientState(): Promise<Secret>;
  companyId: string;
}

export function createRenewBcSubscriptionsHandler(deps: RenewBcSubscriptionsDeps) {
  return publicUrlTimer<SubscriptionReport>(
    deps,
    'PUBLIC_BASE_URL is not set: BC subscriptions are not registered; master data arrives by poll only',
    async (syncDeps, publicBaseUrl) =>
      ensureBcSubscriptions(syncDeps, {
        notificationUrl: bcNotificationUrl(publicBaseUrl),
        clientState: await deps.getClientState(),
        companyId: deps.companyId,
      }),
  );
}

/** Registered by src/main.ts as `renew-bc-subscriptions`. */
export const renewBcSubscriptions = createRenewBcSubscriptionsHandler({
  getDeps: () => appRuntime().getDeps(),
  getClientState: () => appRuntime().getClientState(),
  get publicBaseUrl() {
    return appRuntime().settings.webhooks.publicBaseUrl;
  },
  get companyId() {
    return appRuntime().settings.bc.companyId;
  },
});
