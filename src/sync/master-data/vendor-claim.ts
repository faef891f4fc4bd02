/**
 * The `supplier` mapping row (Cin7 supplier ID, lower case → BC vendor number) is shared by the invoice flow
 * (`resolve-vendor.ts`) and the master-data flows. Before creating a BC vendor a worker claims the row with
 * `mappings.create` and a `creating:<epoch ms>` target, so two workers (webhook + poll, invoice + supplier
 * job) create ONE vendor. The format and the timeout are the ones `resolve-vendor.ts` uses, so the two flows
 * respect each other's claims.
 */
import { ConflictError, TransientError } from '../../core/errors.js';
import type { SyncDeps } from '../deps.js';
import type { Mapping } from '../../core/ports/stores.js';

/** A claim row's target starts with this. */
export const vendorClaimPrefix = 'creating:';
/** A claim older than this is presumed abandoned by a crashed worker. */
export const vendorClaimTimeoutMs = 10 * 60_000;

export function isVendorClaim(target: string): boolean {
  return target.startsWith(vendorClaimPrefix);
}

/** Whether a claim row was taken less than `vendorClaimTimeoutMs` ago. */
export function isFreshVendorClaim(mapping: Pick<Mapping, 'target'>, now: number): boolean {
  if (!isVendorClaim(mapping.target)) return false;
  const claimedAt = Number(mapping.target.slice(vendorClaimPrefix.length));
  return Number.isFinite(claimedAt) && now - claimedAt < vendorClaimTimeoutMs;
}

/**
 * Takes the claim for creating the vendor of `supplierId`. A stale claim (`existing`) is removed first. Throws
 * `TransientError` (retried later) when another worker holds a fresh claim or won the race for the row.
 */
export async function claimVendorCreation(
  deps: Pick<SyncDeps, 'stores' | 'clock'>,
  supplierId: string,
  supplierName: string,
  existing: Mapping | undefined,
): Promise<void> {
  const source = supplierId.toLowerCase();
  if (existing) {
    if (!isVendorClaim(existing.target) || isFreshVendorClaim(existing, deps.clock.now())) {
      throw new TransientError(`BC vendor for supplier ${supplierName} is being created by another worker`, {
        system: 'bc',
      });
    }
    await deps.stores.mappings.delete(existing);
  }
  try {
    await deps.stores.mappings.create({
      kind: 'supplier',
      source,
      target: `${vendorClaimPrefix}${deps.clock.now()}`,
      note: 'vendor being created',
    });
  } catch (error) {
    if (error instanceof ConflictError) {
      throw new TransientError(`BC vendor for supplier ${supplierName} is being created by another worker`, {
        system: 'bc',
        cause: error,
      });
    }
    throw error;
  }
}

/** Records the pair (replacing a claim). */
export async function recordVendorMapping(
  deps: Pick<SyncDeps, 'stores'>,
  supplierId: string,
  vendorNumber: string,
  note: string,
): Promise<void> {
  await deps.stores.mappings.upsert({ kind: 'supplier', source: supplierId.toLowerCase(), target: vendorNumber, note });
}

/** The Cin7 supplier IDs (lower case) mapped to a BC vendor number; claims are not pairs. */
export async function suppliersMappedTo(
  deps: Pick<SyncDeps, 'stores'>,
  vendorNumber: string,
): Promise<{ supplierIds: string[]; pendingClaims: Mapping[] }> {
  const rows = await deps.stores.mappings.list('supplier');
  return {
    supplierIds: rows.filter((m) => m.target === vendorNumber).map((m) => m.source.toLowerCase()),
    pendingClaims: rows.filter((m) => isVendorClaim(m.target)),
  };
}
