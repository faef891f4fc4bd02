/**
 * BC vendor → Cin7 supplier (DESIGN §1). Triggered by the BC subscription on `vendors` (the notification
 * carries no data: the vendor is read back) and the `lastModifiedDateTime gt` poll.
 *
 * The supplier is the one the `supplier` mapping pairs with the vendor number, else the Cin7 supplier with
 * the vendor's tax number or exact name; none → created with Cin7's required `AccountPayable`, `TaxRule`,
 * `PaymentTerm` and `Currency` (from the vendor, else the `CIN7_DEFAULT_*` settings; a missing setting parks
 * the vendor as `needs-mapping` naming it). A paired supplier is updated through `reconcilePair`, so the
 * notification of the connector's own PATCH is recognised as an echo and writes nothing.
 */
import type { Cin7Supplier } from '../../cin7/schemas.js';
import { fingerprintParty, sharedFromSupplier, sharedFromVendor } from '../../mapping/master-fingerprint.js';
import { matchSupplier } from '../../mapping/to-cin7-supplier.js';
import type { SyncDeps } from '../deps.js';
import { TransientError, ValidationError } from '../../core/errors.js';
import type { LedgerEntry } from '../../core/ports/stores.js';
import type { SyncJob } from '../../core/ports/jobs.js';
import { openRecord, parkRecord, transition, type RecordContext } from '../jobs/record.js';
import { isFreshVendorClaim, recordVendorMapping, suppliersMappedTo } from './vendor-claim.js';
import { loadPairReferences, reconcilePair, writeSupplierToVendor, writeVendorToSupplier } from './vendor-pair.js';

export async function syncBcVendor(
  job: Extract<SyncJob, { type: 'bc-vendor' }>,
  context: RecordContext,
  deps: SyncDeps,
): Promise<LedgerEntry> {
  const vendorId = job.vendorId.toLowerCase();
  let record = await openRecord(deps, 'vendor', vendorId, context, `vendor ${job.vendorId}`);
  const attempts = record.value.attempts + 1;
  // The readable label is known once the entity is read; parked records carry it from then on.
  const known: { label?: string } = {};
  const park = parkRecord(deps, context, () => ({ record, attempts, label: known.label }));

  // reference/bc-api.md §5.1: GET vendors({id}).
  const vendor = await deps.bc.getVendor(vendorId);
  if (!vendor) return park('skipped', `BC has no vendor ${job.vendorId} (deleted?)`, 'read-bc');
  const label = (known.label = `vendor ${vendor.number} ${vendor.displayName}`);
  const refs = await loadPairReferences(deps);
  const sourceParty = sharedFromVendor(vendor, refs);
  const sourceFp = fingerprintParty(sourceParty);

  const { supplierIds, pendingClaims } = await suppliersMappedTo(deps, vendor.number);
  if (supplierIds.length > 1) {
    return park(
      'needs-mapping',
      `several Cin7 suppliers are mapped to BC vendor ${vendor.number}`,
      'resolve-supplier',
      [
        `supplier:${vendor.number} (mapped from Cin7 suppliers ${supplierIds.join(', ')}; keep one supplier mapping to push vendor changes)`,
      ],
    );
  }

  let supplier: Cin7Supplier | undefined;
  let pairedId = supplierIds[0];
  if (pairedId === undefined) {
    if (
      record.value.state === 'synced' &&
      record.value.sourceFingerprint === sourceFp &&
      context.trigger !== 'replay'
    ) {
      return transition(
        deps,
        record,
        { attempts, label },
        { step: 'echo-check', outcome: 'skipped', message: 'unchanged since the last sync; nothing written to Cin7' },
        context,
      ).then((r) => r.value);
    }
    if (pendingClaims.some((claim) => isFreshVendorClaim(claim, deps.clock.now()))) {
      // A supplier → vendor job is creating a vendor right now; it may be this one, so wait for its mapping.
      throw new TransientError(
        `a BC vendor is being created from a Cin7 supplier; vendor ${vendor.number} waits for its mapping`,
        { system: 'bc' },
      );
    }
    // reference/cin7-core-api.md §4: Name matches by "containing"; the exact rule is applied here.
    const candidates: Cin7Supplier[] = [];
    for await (const candidate of deps.cin7.listSuppliers({ name: vendor.displayName.trim() }))
      candidates.push(candidate);
    const match = matchSupplier(vendor, candidates);
    if (match.kind === 'ambiguous') {
      return park('needs-mapping', `several Cin7 suppliers match ${vendor.displayName}`, 'resolve-supplier', [
        `supplier:${vendor.number} (several Cin7 suppliers match: ${match.candidates.join(', ')}; add a supplier mapping)`,
      ]);
    }
    if (match.kind === 'found') {
      supplier = match.supplier;
      await recordVendorMapping(deps, supplier.ID, vendor.number, `matched by ${match.by}: ${vendor.displayName}`);
    } else {
      if (vendor.blocked === 'All')
        return park(
          'skipped',
          `${vendor.displayName} is blocked in BC; no Cin7 supplier is created for it`,
          'resolve-supplier',
        );
      try {
        const created = await writeVendorToSupplier(deps, vendor, undefined, refs);
        if (!created.ok) {
          return await park(
            'needs-mapping',
            `cannot create the Cin7 supplier: ${created.missing.join('; ')}`,
            'resolve-mappings',
            created.missing,
          );
        }
        await recordVendorMapping(
          deps,
          created.targetId,
          vendor.number,
          `created in Cin7 from BC vendor ${vendor.number}`,
        );
        record = await transition(
          deps,
          record,
          {
            state: 'synced',
            attempts,
            label,
            reason: undefined,
            missing: undefined,
            targetId: created.targetId,
            vendorNumber: vendor.number,
            sourceFingerprint: sourceFp,
            writtenFingerprint: fingerprintParty(created.party),
            ...(vendor.lastModifiedDateTime ? { sourceUpdatedAt: vendor.lastModifiedDateTime } : {}),
          },
          {
            step: 'cin7-create',
            outcome: 'ok',
            message: `created Cin7 supplier ${vendor.displayName}`,
            details: { supplierId: created.targetId },
          },
          context,
        );
        return record.value;
      } catch (error) {
        if (error instanceof ValidationError && error.system === 'cin7') {
          return park(
            'failed',
            `Cin7 rejected the new supplier ${vendor.displayName}: ${error.message}`,
            'cin7-create',
          );
        }
        throw error;
      }
    }
    pairedId = supplier.ID.toLowerCase();
  }

  const supplierId = pairedId;
  // The supplier is read only when the echo check cannot settle the job alone (Cin7 allows 60 calls a minute).
  const readSupplier = async (): Promise<Cin7Supplier> => {
    supplier ??= await deps.cin7.getSupplier(supplierId);
    if (!supplier) throw new MissingSupplier(supplierId);
    return supplier;
  };
  const other = (await deps.stores.ledger.get('supplier', supplierId))?.value;
  try {
    const result = await reconcilePair(deps, context, {
      source: 'bc',
      own: record,
      other,
      sourceParty,
      patch: {
        label,
        targetId: supplierId,
        vendorNumber: vendor.number,
        ...(vendor.lastModifiedDateTime ? { sourceUpdatedAt: vendor.lastModifiedDateTime } : {}),
      },
      readTarget: async () => sharedFromSupplier(await readSupplier(), refs),
      writeSourceToTarget: async () => writeVendorToSupplier(deps, vendor, await readSupplier(), refs),
      writeTargetToSource: async () => writeSupplierToVendor(deps, await readSupplier(), vendor, refs),
    });
    return result.value;
  } catch (error) {
    if (error instanceof MissingSupplier) {
      record = (await deps.stores.ledger.get('vendor', vendorId)) ?? record;
      return park(
        'needs-mapping',
        `BC vendor ${vendor.number} is mapped to Cin7 supplier ${supplierId}, which does not exist`,
        'read-cin7',
        [`supplier:${supplierId} (mapped to BC vendor ${vendor.number}; not in Cin7)`],
      );
    }
    if (error instanceof ValidationError) {
      record = (await deps.stores.ledger.get('vendor', vendorId)) ?? record;
      return park(
        'failed',
        `${error.system === 'cin7' ? 'Cin7' : 'BC'} rejected the update of ${vendor.displayName}: ${error.message}`,
        error.system === 'cin7' ? 'cin7-update' : 'bc-update',
      );
    }
    throw error;
  }
}

/** The mapped Cin7 supplier could not be read: the mapping needs an operator. */
class MissingSupplier extends Error {
  override readonly name = 'MissingSupplier';
  constructor(readonly supplierId: string) {
    super(`Cin7 supplier ${supplierId} does not exist`);
  }
}
