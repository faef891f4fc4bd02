/**
 * The settings the master-data flows read (a slice of the app settings, documented in
 * `src/config/settings.ts`): who owns vendor fields, whether Cin7 categories may be created, and the values
 * Cin7 requires on products and suppliers the connector creates.
 */
import type { SyncSettings } from './deps.js';

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

/** The documented defaults (`VENDOR_MASTER=cin7`, `AUTO_CREATE_CATEGORIES=false`, `FIFO`, `Item`). */
export const defaultMasterDataSettings: MasterDataSettings = {
  vendorMaster: 'cin7',
  autoCreateCategories: false,
  cin7Defaults: { costingMethod: 'FIFO', uom: 'Item' },
};

export function masterDataSettingsOf(settings: Pick<SyncSettings, 'masterData'>): MasterDataSettings {
  return settings.masterData ?? defaultMasterDataSettings;
}
