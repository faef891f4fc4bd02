import type { Approach } from '../mapping/eligibility.js';
import type { LineMode } from '../mapping/to-bc-purchase-invoice.js';
import type { MasterDataSettings } from './master-data-settings.js';
import type { ReferenceCache } from './reference-cache.js';
import type { SupplierDirectory } from './supplier-directory.js';
import type { BcPort, Cin7Port, Clock, JobQueue, Logger, Stores, Telemetry } from './ports.js';

/** The behaviour settings the use cases read (a slice of the app settings, documented there). */
export interface SyncSettings {
  eligibleApproaches: readonly Approach[];
  lineMode: LineMode;
  /** Largest accepted difference between BC's and Cin7's invoice total, in invoice currency. */
  amountTolerance: number;
  autoCreateVendors: boolean;
  vendorInvoiceNumberFallback: 'order-number' | 'none';
  postingDatePolicy: 'invoice-date' | 'today';
  /** Attempts per job before the record is `failed`. */
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** Polls re-read this far behind the watermark, since list endpoints are not reliably ordered. */
  pollOverlapMs: number;
  /** How far back the first poll looks when no watermark exists yet. */
  pollInitialLookbackMs: number;
  /** How long BC reference data (accounts, tax codes, dimensions, vendors) is reused. */
  referenceTtlMs: number;
  /**
   * How long a worker's `creating` lease lasts: longer than any one BC request may take (the BC client
   * times out after 120 s), so a live writer is never overtaken, and a crashed one is after this long.
   */
  createLeaseMs: number;
  /** Master-data flows (suppliers, vendors, items); the documented defaults when absent. */
  masterData?: MasterDataSettings;
}

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

export const defaultSyncSettings: SyncSettings = {
  eligibleApproaches: ['INVOICE', 'STOCK'],
  lineMode: 'account',
  amountTolerance: 0.01,
  autoCreateVendors: false,
  vendorInvoiceNumberFallback: 'order-number',
  postingDatePolicy: 'invoice-date',
  maxAttempts: 8,
  retryBaseMs: 30_000,
  retryMaxMs: 3_600_000,
  pollOverlapMs: 10 * 60_000,
  pollInitialLookbackMs: 30 * 24 * 3_600_000,
  referenceTtlMs: 10 * 60_000,
  createLeaseMs: 5 * 60_000,
};
