/**
 * Supplier → vendor resolution for invoices (DESIGN §4 defaults): mapping row, else a BC vendor with the
 * same tax number or exact name, else (when AUTO_CREATE_VENDORS is on) a new vendor. The result is saved as
 * a mapping so later invoices of the same supplier cost no look-ups, and so two workers create one vendor.
 */
import { matchVendor, toBcVendor } from '../../mapping/to-bc-vendor.js';
import { ConflictError, TransientError } from '../../core/errors.js';
import type { SyncDeps } from '../deps.js';
import type { Cin7Purchase } from '../../cin7/schemas.js';
import { loadCountryTable } from './vendor-pair.js';

export type VendorResolution = { vendorNumber: string; how: string } | { vendorNumber: undefined; gap?: string };

/** A claim row marks "a worker is creating this supplier's vendor"; its target starts with this. */
const claimPrefix = 'creating:';
/** A claim older than this is presumed abandoned by a crashed worker. */
const claimTimeoutMs = 10 * 60_000;

export async function resolveVendor(purchase: Cin7Purchase, deps: SyncDeps): Promise<VendorResolution> {
  const supplierId = purchase.SupplierID.toLowerCase();
  const mapping = await deps.stores.mappings.get('supplier', supplierId);
  let reference = await deps.reference.get();

  if (mapping && !mapping.target.startsWith(claimPrefix)) {
    if (reference.vendors.has(mapping.target)) return { vendorNumber: mapping.target, how: 'mapping' };
    deps.reference.invalidate();
    reference = await deps.reference.get();
    if (reference.vendors.has(mapping.target)) return { vendorNumber: mapping.target, how: 'mapping' };
    return {
      vendorNumber: undefined,
      gap: `vendor:${purchase.Supplier} (mapped to BC vendor ${mapping.target}, which does not exist)`,
    };
  }

  const supplier = await deps.suppliers.get(purchase.SupplierID);
  if (!supplier)
    throw new TransientError(
      `Cin7 supplier ${purchase.SupplierID} of purchase ${purchase.OrderNumber} could not be read`,
      { system: 'cin7' },
    );

  let match = matchVendor(supplier, reference.vendors.values());
  if (match.kind === 'none' && mapping) {
    // A claim exists: the vendor may have been created after our cache was filled.
    deps.reference.invalidate();
    reference = await deps.reference.get();
    match = matchVendor(supplier, reference.vendors.values());
  }
  if (match.kind === 'found') {
    await deps.stores.mappings.upsert({
      kind: 'supplier',
      source: supplierId,
      target: match.vendor.number,
      note: `matched by ${match.by}: ${supplier.Name}`,
    });
    return { vendorNumber: match.vendor.number, how: `matched by ${match.by}` };
  }
  if (match.kind === 'ambiguous') {
    return {
      vendorNumber: undefined,
      gap: `vendor:${supplier.Name} (several BC vendors match: ${match.candidates.join(', ')}; add a supplier mapping)`,
    };
  }
  if (!deps.settings.autoCreateVendors) return { vendorNumber: undefined };

  if (mapping) {
    const claimedAt = Number(mapping.target.slice(claimPrefix.length));
    if (deps.clock.now() - claimedAt < claimTimeoutMs) {
      throw new TransientError(`BC vendor for supplier ${supplier.Name} is being created by another worker`, {
        system: 'bc',
      });
    }
    await deps.stores.mappings.delete(mapping);
  }
  try {
    await deps.stores.mappings.create({
      kind: 'supplier',
      source: supplierId,
      target: `${claimPrefix}${deps.clock.now()}`,
      note: 'vendor being created',
    });
  } catch (error) {
    if (error instanceof ConflictError) {
      throw new TransientError(`BC vendor for supplier ${supplier.Name} is being created by another worker`, {
        system: 'bc',
        cause: error,
      });
    }
    throw error;
  }
  const { input, leftOut } = toBcVendor(supplier, {
    localCurrencyCode: reference.localCurrencyCode,
    countries: await loadCountryTable(deps),
  });
  // Not retried on an uncertain outcome: the claim stays, and the next attempt looks BC up first.
  const vendor = await deps.bc.createVendor(input);
  deps.reference.rememberVendor(vendor);
  await deps.stores.mappings.upsert({
    kind: 'supplier',
    source: supplierId,
    target: vendor.number,
    note: `created from Cin7 supplier ${supplier.Name}`,
  });
  // What BC would have refused is named in the invoice's audit row ("coded to vendor … (created; …)").
  const how = ['created', ...leftOut.map((field) => field.note)].join('; ');
  return { vendorNumber: vendor.number, how };
}
