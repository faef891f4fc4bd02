/** Timer: backfills what webhooks missed (DESIGN §4 Polls). The schedule is the POLL_CIN7_SCHEDULE setting. */
import type { InvocationContext, Timer } from '@azure/functions';
import { pollCin7Purchases, type PollResult } from '../sync/purchase/poll-cin7.js';
import type { SyncDeps } from '../sync/deps.js';
import { appRuntime } from './app-runtime.js';

export function createPollCin7Handler(deps: { getDeps(): Promise<SyncDeps> }) {
  return async function pollCin7(_timer: Timer, _context: InvocationContext): Promise<PollResult> {
    return pollCin7Purchases(await deps.getDeps());
  };
}

/** Registered by src/main.ts as `poll-cin7`. */
export const pollCin7 = createPollCin7Handler({ getDeps: () => appRuntime().getDeps() });
