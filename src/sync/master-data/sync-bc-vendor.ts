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
import type { BcVendor } from '../../bc/schemas.js';
import type { Cin7Supplier } from '../../cin7/schemas.js';
import {
  fingerprintParty,
  sharedFromSupplier,
  sharedFromVendor,
  type SharedParty,
} from '../../mapping/master-fingerprint.js';
import { matchSupplier } from '../../mapping/to-cin7-supplier.js';
import { TransientError, ValidationError } from '../../core/errors.js';
import type { LedgerEntry, Mapping } from '../../core/ports/stores.js';
import { isFreshVendorClaim, recordVendorMapping, suppliersMappedTo } from './vendor-claim.js';
import { advance, openAndRead, parkRefusedUpdate, recordSynced, unchangedSinceSync } from './master-pass.js';
import type { MasterPass, MasterSync } from './master-pass.js';
import { loadPairReferences, reconcilePair, writeSupplierToVendor, writeVendorToSupplier } from './vendor-pair.js';
import type { PairReferences } from './vendor-pair.js';

/** The vendor being pushed, what it is built from, and its shared fields as just read. */
interface VendorPass extends MasterPass {
  vendor: BcVendor;
  label: string;
  refs: PairReferences;
  sourceParty: SharedParty;
  sourceFp: string;
}

export const syncBcVendor: MasterSync<'bc-vendor'> = async (job, context, deps) => {
  // reference/bc-api.md §5.1: GET vendors({id}).
  const read = await openAndRead(deps, context, job, 'read-bc', (vendorId) => deps.bc.getVendor(vendorId));
  if ('parked' in read) return read.parked;
  const { pass: opened, entity: vendor } = read;
  const refs = await loadPairReferences(deps);
  const sourceParty = sharedFromVendor(vendor, refs);
  const label = `vendor ${vendor.number} ${vendor.displayName}`;
  // The same object: the pass's park reads its latest record.
  const pass: VendorPass = Object.assign(opened, {
    vendor,
    label,
    refs,
    sourceParty,
    sourceFp: fingerprintParty(sourceParty),
  });

  const { supplierIds, pendingClaims } = await suppliersMappedTo(deps, vendor.number);
  if (supplierIds.length > 1) {
    return pass.park(
      'needs-mapping',
      `several Cin7 suppliers are mapped to BC vendor ${vendor.number}`,
      'resolve-supplier',
      [
        `supplier:${vendor.number} (mapped from Cin7 suppliers ${supplierIds.join(', ')}; ` +
          'keep one supplier mapping to push vendor changes)',
      ],
    );
  }
  const mapped = supplierIds[0];
  if (mapped !== undefined) return reconcileWithSupplier(pass, mapped, undefined);
  const paired = await pairWithSupplier(pass, pendingClaims);
  return 'entry' in paired
    ? paired.entry
    : reconcileWithSupplier(pass, paired.supplier.ID.toLowerCase(), paired.supplier);
};

/**
 * No supplier mapping names the vendor yet: one Cin7 supplier with its tax number or exact name is paired
 * with it; none is created; several need an operator.
 */
async function pairWithSupplier(
  pass: VendorPass,
  pendingClaims: Mapping[],
): Promise<{ entry: LedgerEntry } | { supplier: Cin7Supplier }> {
  const { deps, vendor } = pass;
  if (unchangedSinceSync(pass, pass.sourceFp)) {
    const message = 'unchanged since the last sync; nothing written to Cin7';
    return {
      entry: await advance(
        pass,
        { attempts: pass.attempts, label: pass.label },
        { step: 'echo-check', outcome: 'skipped', message },
      ),
    };
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
    const entry = await pass.park(
      'needs-mapping',
      `several Cin7 suppliers match ${vendor.displayName}`,
      'resolve-supplier',
      [
        `supplier:${vendor.number} ` +
          `(several Cin7 suppliers match: ${match.candidates.join(', ')}; add a supplier mapping)`,
      ],
    );
    return { entry };
  }
  if (match.kind === 'none') return { entry: await createSupplierFor(pass) };
  await recordVendorMapping(deps, match.party.ID, vendor.number, `matched by ${match.by}: ${vendor.displayName}`);
  return { supplier: match.party };
}

async function createSupplierFor(pass: VendorPass): Promise<LedgerEntry> {
  const { deps, vendor } = pass;
  if (vendor.blocked === 'All')
    return pass.park(
      'skipped',
      `${vendor.displayName} is blocked in BC; no Cin7 supplier is created for it`,
      'resolve-supplier',
    );
  try {
    const created = await writeVendorToSupplier(deps, vendor, undefined, pass.refs);
    if (!created.ok) {
      const reason = `cannot create the Cin7 supplier: ${created.missing.join('; ')}`;
      return await pass.park('needs-mapping', reason, 'resolve-mappings', created.missing);
    }
    await recordVendorMapping(deps, created.targetId, vendor.number, `created in Cin7 from BC vendor ${vendor.number}`);
    return await recordSynced(
      pass,
      {
        targetId: created.targetId,
        vendorNumber: vendor.number,
        sourceFingerprint: pass.sourceFp,
        writtenFingerprint: fingerprintParty(created.party),
        ...(vendor.lastModifiedDateTime ? { sourceUpdatedAt: vendor.lastModifiedDateTime } : {}),
      },
      {
        step: 'cin7-create',
        outcome: 'ok',
        message: `created Cin7 supplier ${vendor.displayName}`,
        details: { supplierId: created.targetId },
      },
    );
  } catch (error) {
    if (error instanceof ValidationError && error.system === 'cin7') {
      const reason = `Cin7 rejected the new supplier ${vendor.displayName}: ${error.message}`;
      return pass.park('failed', reason, 'cin7-create');
    }
    throw error;
  }
}

/** The vendor and its paired supplier: echo check, conflict rule and the write, in `reconcilePair`. */
async function reconcileWithSupplier(
  pass: VendorPass,
  supplierId: string,
  read: Cin7Supplier | undefined,
): Promise<LedgerEntry> {
  const { deps, vendor, refs } = pass;
  let supplier = read;
  // The supplier is read only when the echo check cannot settle the job alone (Cin7 allows 60 calls a minute).
  const readSupplier = async (): Promise<Cin7Supplier> => {
    supplier ??= await deps.cin7.getSupplier(supplierId);
    if (!supplier) throw new MissingSupplier(supplierId);
    return supplier;
  };
  const other = (await deps.stores.ledger.get('supplier', supplierId))?.value;
  try {
    const result = await reconcilePair(deps, pass.context, {
      source: 'bc',
      own: pass.record,
      other,
      sourceParty: pass.sourceParty,
      patch: {
        label: pass.label,
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
      pass.record = (await deps.stores.ledger.get('vendor', pass.record.value.recordId)) ?? pass.record;
      return pass.park(
        'needs-mapping',
        `BC vendor ${vendor.number} is mapped to Cin7 supplier ${supplierId}, which does not exist`,
        'read-cin7',
        [`supplier:${supplierId} (mapped to BC vendor ${vendor.number}; not in Cin7)`],
      );
    }
    if (error instanceof ValidationError) return parkRefusedUpdate(pass, vendor.displayName, error);
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
