/** Timer: backfills what webhooks missed (DESIGN §4 Polls). The schedule is the POLL_CIN7_SCHEDULE setting. */
import { app, type InvocationContext, type Timer } from '@azure/functions';
import { pollCin7Purchases, type PollResult } from '../sync/purchase/poll-cin7.js';
import type { SyncDeps } from '../sync/deps.js';
import { appRuntime, registrationSetting } from './app-runtime.js';

export function createPollCin7Handler(deps: { getDeps(): Promise<SyncDeps> }) {
  return async function pollCin7(_timer: Timer, _context: InvocationContext): Promise<PollResult> {
    return pollCin7Purchases(await deps.getDeps());
  };
}

app.timer('poll-cin7', {
  schedule: registrationSetting('POLL_CIN7_SCHEDULE'),
  handler: createPollCin7Handler({ getDeps: () => appRuntime().getDeps() }),
});
