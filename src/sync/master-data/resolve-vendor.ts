/**
 * Supplier → vendor resolution for invoices (DESIGN §4 defaults): mapping row, else a BC vendor with the
 * same tax number or exact name, else (when AUTO_CREATE_VENDORS is on) a new vendor. The result is saved as
 * a mapping so later invoices of the same supplier cost no look-ups, and so two workers create one vendor.
 */
import { matchVendor, toBcVendor } from '../../mapping/to-bc-vendor.js';
import { TransientError } from '../../core/errors.js';
import type { Mapping } from '../../core/ports/stores.js';
import type { SyncDeps } from '../deps.js';
import type { Cin7Purchase, Cin7Supplier } from '../../cin7/schemas.js';
import type { BcReferenceData } from '../../mapping/reference-data.js';
import { loadCountryTable } from './vendor-pair.js';
import { claimVendorCreation, isVendorClaim, recordVendorMapping } from './vendor-claim.js';

export type VendorResolution = { vendorNumber: string; how: string } | { vendorNumber: undefined; gap?: string };

export async function resolveVendor(purchase: Cin7Purchase, deps: SyncDeps): Promise<VendorResolution> {
  const supplierId = purchase.SupplierID.toLowerCase();
  const mapping = await deps.stores.mappings.get('supplier', supplierId);
  if (mapping && !isVendorClaim(mapping.target)) return mappedVendor(purchase, mapping.target, deps);

  const supplier = await deps.suppliers.get(purchase.SupplierID);
  if (!supplier)
    throw new TransientError(
      `Cin7 supplier ${purchase.SupplierID} of purchase ${purchase.OrderNumber} could not be read`,
      { system: 'cin7' },
    );
  let reference = await deps.reference.get();
  let match = matchVendor(supplier, reference.vendors.values());
  if (match.kind === 'none' && mapping) {
    // A claim exists: the vendor may have been created after our cache was filled.
    deps.reference.invalidate();
    reference = await deps.reference.get();
    match = matchVendor(supplier, reference.vendors.values());
  }
  if (match.kind === 'found') {
    await recordVendorMapping(deps, supplierId, match.party.number, `matched by ${match.by}: ${supplier.Name}`);
    return { vendorNumber: match.party.number, how: `matched by ${match.by}` };
  }
  if (match.kind === 'ambiguous') {
    return {
      vendorNumber: undefined,
      gap: `vendor:${supplier.Name} (several BC vendors match: ${match.candidates.join(', ')}; add a supplier mapping)`,
    };
  }
  if (!deps.settings.autoCreateVendors) return { vendorNumber: undefined };
  return createVendor(supplier, mapping, reference, deps);
}

/** The vendor a mapping row names, looked up again in a fresh cache before it is called missing. */
async function mappedVendor(purchase: Cin7Purchase, vendorNumber: string, deps: SyncDeps): Promise<VendorResolution> {
  if ((await deps.reference.get()).vendors.has(vendorNumber)) return { vendorNumber, how: 'mapping' };
  deps.reference.invalidate();
  if ((await deps.reference.get()).vendors.has(vendorNumber)) return { vendorNumber, how: 'mapping' };
  return {
    vendorNumber: undefined,
    gap: `vendor:${purchase.Supplier} (mapped to BC vendor ${vendorNumber}, which does not exist)`,
  };
}

/** AUTO_CREATE_VENDORS: claims the supplier's mapping row (so two workers create one vendor), then creates. */
async function createVendor(
  supplier: Cin7Supplier,
  claim: Mapping | undefined,
  reference: BcReferenceData,
  deps: SyncDeps,
): Promise<VendorResolution> {
  await claimVendorCreation(deps, supplier.ID, supplier.Name, claim);
  const { input, leftOut } = toBcVendor(supplier, {
    localCurrencyCode: reference.localCurrencyCode,
    countries: await loadCountryTable(deps),
  });
  // Not retried on an uncertain outcome: the claim stays, and the next attempt looks BC up first.
  const vendor = await deps.bc.createVendor(input);
  deps.reference.rememberVendor(vendor);
  await recordVendorMapping(deps, supplier.ID, vendor.number, `created from Cin7 supplier ${supplier.Name}`);
  // What BC would have refused is named in the invoice's audit row ("coded to vendor … (created; …)").
  const how = ['created', ...leftOut.map((field) => field.note)].join('; ');
  return { vendorNumber: vendor.number, how };
}
