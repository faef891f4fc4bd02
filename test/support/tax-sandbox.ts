/**
 * A sandbox whose BC company computes tax as W1 (VAT Posting Setup) or NA (sales tax by tax area), seeded so
 * Cin7's "Tax on Purchases" (10 %) and "Tax Exempt" (0 %) charge the same in BC, and the connector's
 * `BC_TAX_MODEL` set to match.
 */
import type { Row } from '../sandbox/bc/odata-query.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { startInvariantSandbox, type InvariantSandboxOptions } from './invariant-sandbox.js';
import { addSupplierWithVendor } from './seed.js';

export type RealTaxModel = 'W1' | 'NA';

/** The VAT business posting group the simulator's vendor template gives every vendor. */
export const domesticVatBusGroup = 'DOMESTIC';
/** The NA tax area the seeded sales-tax vendors get. */
export const salesTaxArea = 'ATLANTA';

export interface TaxSandboxOptions extends InvariantSandboxOptions {
  /** W1: VAT Prod. Posting Groups left out of VAT Posting Setup for the domestic VAT business group. */
  withoutVatSetupFor?: readonly string[];
  /** W1: VAT % of "Tax on Purchases" in VAT Posting Setup (default 10, Cin7's rate). */
  vatPercent?: number;
}

export async function startTaxSandbox(model: RealTaxModel, options: TaxSandboxOptions = {}): Promise<Sandbox> {
  const { withoutVatSetupFor = [], vatPercent = 10, ...sandboxOptions } = options;
  const sandbox = await startInvariantSandbox({ ...sandboxOptions, taxModel: model });
  const groups: Array<[string, number]> = [
    ['TAX ON PURCHASES', vatPercent],
    ['TAX EXEMPT', 0],
  ];
  if (model === 'W1') {
    for (const [group, percent] of groups) {
      if (!withoutVatSetupFor.includes(group)) sandbox.bc.addVatPostingSetup(domesticVatBusGroup, group, percent);
    }
    // In a VAT company the taxGroups page lists VAT product posting groups (TaxGroupBuffer.Table.al:142-143).
    for (const [id, row] of sandbox.bc.data.taxGroups.rows) {
      sandbox.bc.data.taxGroups.put({ ...row, id, taxType: 'VAT' });
    }
  } else {
    sandbox.bc.addTaxArea(salesTaxArea, Object.fromEntries(groups));
  }
  return sandbox;
}

/**
 * A Cin7 supplier with its BC vendor. NA: the vendor is Tax Liable and has the seeded tax area unless
 * `taxArea` is false (a vendor BC charges no sales tax).
 */
export function addTaxedSupplier(
  sandbox: Sandbox,
  model: RealTaxModel,
  options: { name?: string; taxArea?: boolean } = {},
): { supplier: { ID: string }; vendor: Row; vendorNumber: string } {
  const { supplier, vendor } = addSupplierWithVendor(sandbox, options.name);
  if (typeof vendor?.id !== 'string' || typeof vendor.number !== 'string') {
    throw new Error('addTaxedSupplier: no BC vendor was added');
  }
  if (model === 'NA' && options.taxArea !== false) {
    sandbox.bc.setTableFields(vendor.id, { taxAreaCode: salesTaxArea });
    sandbox.bc.data.vendors.put({ ...vendor, id: vendor.id, taxLiable: true });
  }
  return { supplier, vendor, vendorNumber: vendor.number };
}
