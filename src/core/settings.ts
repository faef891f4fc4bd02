/**
 * The behaviour settings the use cases read: a slice of the app settings (`src/config` parses and documents
 * them), kept here so the use cases and translation depend on the core, not on the configuration adapter.
 *
 * The defaults below are the only copy: the settings catalogue (`src/config/settings/catalogue-behaviour.ts`)
 * spells them as app-setting text for `loadSettings` and the README. They live here, not in the catalogue,
 * because the core imports nothing from `src/config` and the use cases need them without loading settings.
 */

/** Cin7 purchase approaches whose authorised invoices become BC invoices (`ELIGIBLE_APPROACHES`). */
export type Approach = 'INVOICE' | 'STOCK';

/** How invoice lines are coded in BC (`LINE_MODE`): G/L accounts, items, or items where the SKU is one. */
export type LineMode = 'account' | 'item' | 'auto';

/**
 * `CIN7_INVOICE_NUMBER_ORIGIN`: who issues the `InvoiceNumber` of a Cin7 purchase invoice. Cin7's docs say both:
 * "auto-generated" in the invoice model (openapi.yaml:1594), "issued by Supplier" in the purchase list.
 * - `supplier`: the supplier's own bill number; it becomes BC's vendor invoice number as it is, so BC's
 *   per-vendor duplicate check catches the same bill entered twice.
 * - `cin7`: Cin7's own sequence (`INV-00103`); it is sent as `<OrderNumber>/<InvoiceNumber>`, so it cannot equal a
 *   real bill number of the same vendor already in BC, which the duplicate look-up would take for this invoice.
 */
export type InvoiceNumberOrigin = 'supplier' | 'cin7';

/**
 * `BC_TAX_MODEL`: how the BC company computes tax on purchases.
 * - `vat`: VAT/GST (W1 and its localisations: UK, AU, NZ, EU). A line's tax code is a VAT product posting group
 *   and BC takes the % from VAT Posting Setup with the vendor's VAT business posting group. Tax-inclusive Cin7
 *   invoices are sent as BC "prices include tax" documents.
 * - `sales-tax`: North American sales tax. BC charges tax only with a Tax Area on the header and refuses
 *   "prices include tax", so a tax-inclusive Cin7 invoice is sent with tax-exclusive unit costs (Cin7's line
 *   total less Cin7's line tax).
 */
export type TaxModel = 'vat' | 'sales-tax';

/** The behaviour settings the use cases read (a slice of the app settings, documented there). */
export interface SyncSettings {
  eligibleApproaches: readonly Approach[];
  lineMode: LineMode;
  /** Largest accepted difference between BC's and Cin7's invoice total, in invoice currency. */
  amountTolerance: number;
  autoCreateVendors: boolean;
  vendorInvoiceNumberFallback: 'order-number' | 'none';
  invoiceNumberOrigin: InvoiceNumberOrigin;
  postingDatePolicy: 'invoice-date' | 'today';
  taxModel: TaxModel;
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
  /**
   * `STUCK_RECORD_MINUTES`: a record left in `creating` or `created` longer than this is reported as stuck by the
   * health check, `doctor` and the alert (a draft waiting for a post that will never come, e.g. after its Cin7
   * invoice was deleted).
   */
  stuckAfterMs: number;
  /** Master-data flows (suppliers, vendors, items); the documented defaults when absent. */
  masterData?: MasterDataSettings;
}

export interface MasterDataSettings {
  /** `VENDOR_MASTER`: which side wins when a supplier and its vendor both changed since the last sync. */
  vendorMaster: 'cin7' | 'bc';
  /** `AUTO_CREATE_CATEGORIES`: create a missing Cin7 product category instead of parking the item. */
  autoCreateCategories: boolean;
  /** `CIN7_DEFAULT_*`: values for records created in Cin7 when BC has none. */
  cin7Defaults: {
    costingMethod: string;
    uom: string;
    category?: string;
    accountPayable?: string;
    taxRule?: string;
    paymentTerm?: string;
    currency?: string;
  };
}

/** The defaults of `VENDOR_MASTER`, `AUTO_CREATE_CATEGORIES` and `CIN7_DEFAULT_COSTING_METHOD`/`_UOM`. */
export const defaultMasterDataSettings: MasterDataSettings = {
  vendorMaster: 'cin7',
  autoCreateCategories: false,
  cin7Defaults: { costingMethod: 'FIFO', uom: 'Item' },
};

export function masterDataSettingsOf(settings: Pick<SyncSettings, 'masterData'>): MasterDataSettings {
  return settings.masterData ?? defaultMasterDataSettings;
}

/**
 * The defaults of the purchase settings (`ELIGIBLE_APPROACHES` … `STUCK_RECORD_MINUTES`, in milliseconds here),
 * plus the two values no setting controls (`referenceTtlMs`, `createLeaseMs`).
 */
export const defaultSyncSettings: SyncSettings = {
  eligibleApproaches: ['INVOICE', 'STOCK'],
  lineMode: 'account',
  amountTolerance: 0.01,
  autoCreateVendors: false,
  vendorInvoiceNumberFallback: 'order-number',
  invoiceNumberOrigin: 'supplier',
  postingDatePolicy: 'invoice-date',
  taxModel: 'vat',
  maxAttempts: 8,
  retryBaseMs: 30_000,
  retryMaxMs: 3_600_000,
  pollOverlapMs: 10 * 60_000,
  pollInitialLookbackMs: 30 * 24 * 3_600_000,
  referenceTtlMs: 10 * 60_000,
  createLeaseMs: 5 * 60_000,
  stuckAfterMs: 60 * 60_000,
};
