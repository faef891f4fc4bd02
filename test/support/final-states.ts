import type { LedgerState } from '../../src/core/ports/stores.js';

/** DESIGN §3.4's visible end states: a record in any other state after a run was left unfinished. */
export const finalLedgerStates: readonly LedgerState[] = [
  'posted',
  'synced',
  'skipped',
  'needs-mapping',
  'amount-mismatch',
  'failed',
  'diverged',
];
