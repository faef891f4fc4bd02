/**
 * Timer: keeps one BC subscription per resource (`vendors`, `items`) alive: renews before the 3-day expiry,
 * re-creates any BC deleted, records what it did (DESIGN §4 BC subscriptions). RENEW_SUBSCRIPTIONS_SCHEDULE.
 */
import { app, type InvocationContext, type Timer } from '@azure/functions';
import type { Secret } from '../config/secret.js';
import {
  bcNotificationUrl,
  ensureBcSubscriptions,
  type SubscriptionReport,
} from '../sync/subscriptions/bc-subscriptions.js';
import type { SyncDeps } from '../sync/deps.js';
import { appRuntime, registrationSetting } from './app-runtime.js';

export interface RenewBcSubscriptionsDeps {
  getDeps(): Promise<SyncDeps>;
  getClientState(): Promise<Secret>;
  /** PUBLIC_BASE_URL; without it BC has no URL to call and nothing is registered. */
  publicBaseUrl: string | undefined;
  companyId: string;
}

export function createRenewBcSubscriptionsHandler(deps: RenewBcSubscriptionsDeps) {
  return async function renewBcSubscriptions(
    _timer: Timer,
    _context: InvocationContext,
  ): Promise<SubscriptionReport[]> {
    const syncDeps = await deps.getDeps();
    if (deps.publicBaseUrl === undefined) {
      syncDeps.logger.warn(
        'PUBLIC_BASE_URL is not set: BC subscriptions are not registered; master data arrives by poll only',
      );
      return [];
    }
    return ensureBcSubscriptions(syncDeps, {
      notificationUrl: bcNotificationUrl(deps.publicBaseUrl),
      clientState: await deps.getClientState(),
      companyId: deps.companyId,
    });
  };
}

app.timer('renew-bc-subscriptions', {
  schedule: registrationSetting('RENEW_SUBSCRIPTIONS_SCHEDULE'),
  handler: createRenewBcSubscriptionsHandler({
    getDeps: () => appRuntime().getDeps(),
    getClientState: () => appRuntime().getClientState(),
    get publicBaseUrl() {
      return appRuntime().settings.webhooks.publicBaseUrl;
    },
    get companyId() {
      return appRuntime().settings.bc.companyId;
    },
  }),
});
