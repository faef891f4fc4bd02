/**
 * Timers: backfill master data that webhooks and notifications missed (DESIGN §4 Polls). Cin7 suppliers on
 * the POLL_CIN7_SCHEDULE setting, BC vendors and items on POLL_BC_SCHEDULE.
 */
import type { InvocationContext, Timer } from '@azure/functions';
import type { SyncDeps } from '../sync/deps.js';
import { pollBcMasterData, pollCin7Suppliers, type MasterPollResult } from '../sync/master-data/poll-master-data.js';
import { appRuntime } from './app-runtime.js';

export function createPollCin7SuppliersHandler(deps: { getDeps(): Promise<SyncDeps> }) {
  return async function pollCin7SuppliersTimer(_timer: Timer, _context: InvocationContext): Promise<MasterPollResult> {
    return pollCin7Suppliers(await deps.getDeps());
  };
}

export function createPollBcMasterDataHandler(deps: { getDeps(): Promise<SyncDeps> }) {
  return async function pollBcMasterDataTimer(_timer: Timer, _context: InvocationContext): Promise<MasterPollResult[]> {
    return pollBcMasterData(await deps.getDeps());
  };
}

/** Registered by src/main.ts as `poll-cin7-suppliers`. */
export const pollCin7SuppliersTimer = createPollCin7SuppliersHandler({ getDeps: () => appRuntime().getDeps() });

/** Registered by src/main.ts as `poll-bc-master-data`. */
export const pollBcMasterDataTimer = createPollBcMasterDataHandler({ getDeps: () => appRuntime().getDeps() });
