import type { BcPort } from '../core/ports/bc.js';
import type { Cin7Port } from '../core/ports/cin7.js';
import type { JobQueue } from '../core/ports/jobs.js';
import type { Stores } from '../core/ports/stores.js';
import type { Logger, Telemetry } from '../core/ports/telemetry.js';
import type { Clock } from '../core/clock.js';
import type { SyncSettings } from '../core/settings.js';
import type { ReferenceCache } from './reference-cache.js';
import type { SupplierDirectory } from './master-data/supplier-directory.js';

/** Everything a use case may touch, passed as one object (STYLE: plain functions over deps). */
export interface SyncDeps {
  cin7: Cin7Port;
  bc: BcPort;
  stores: Stores;
  queue: JobQueue;
  clock: Clock;
  logger: Logger;
  telemetry: Telemetry;
  settings: SyncSettings;
  reference: ReferenceCache;
  /** Cin7 suppliers read in bulk, for matching suppliers to vendors without a Cin7 call per invoice. */
  suppliers: SupplierDirectory;
}
