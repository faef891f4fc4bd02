/**
 * What the two registration timers share (Cin7 webhooks, BC subscriptions): both give the other system our
 * public URL, so without PUBLIC_BASE_URL they warn, saying what now arrives by poll only, and register nothing.
 */
import type { InvocationContext, Timer } from '@azure/functions';
import type { SyncDeps } from '../sync/deps.js';

export interface PublicUrlTimerDeps {
  getDeps(): Promise<SyncDeps>;
  /** PUBLIC_BASE_URL, read on every run. */
  publicBaseUrl: string | undefined;
}

export function publicUrlTimer<R>(
  deps: PublicUrlTimerDeps,
  whenUnset: string,
  register: (syncDeps: SyncDeps, publicBaseUrl: string) => Promise<R[]>,
): (timer: Timer, context: InvocationContext) => Promise<R[]> {
  return async () => {
    const syncDeps = await deps.getDeps();
    if (deps.publicBaseUrl === undefined) {
      syncDeps.logger.warn(whenUnset);
      return [];
    }
    return register(syncDeps, deps.publicBaseUrl);
  };
}
