/**
 * Cin7 supplier → BC vendor (DESIGN §1). Triggered by the `Supplier/Updated` webhook and the
 * `supplier?ModifiedSince=` poll; the supplier is always read back from Cin7, never taken from the webhook.
 *
 * The vendor is found by the `supplier` mapping, else by tax registration number, else by exact name
 * (DESIGN §4); none found → created, after claiming the mapping row so two workers create ONE vendor
 * (`vendor-claim.ts`). A found vendor is PATCHed with the ETag read, through `reconcilePair`, which also
 * recognises echoes and settles conflicts (`vendor-pair.ts`, where the blocked/deprecated rule is written).
 */
import type { BcVendor } from '../../bc/schemas.js';
import type { Cin7Supplier } from '../../cin7/schemas.js';
import { fingerprintParty, sharedFromSupplier, sharedFromVendor } from '../../mapping/master-fingerprint.js';
import { matchVendor, toBcVendor } from '../../mapping/to-bc-vendor.js';
import { ValidationError } from '../../core/errors.js';
import type { LedgerEntry, Mapping } from '../../core/ports/stores.js';
import { claimVendorCreation, isVendorClaim, recordVendorMapping } from './vendor-claim.js';
import { advance, openAndRead, parkRefusedUpdate, recordSynced } from './master-pass.js';
import type { MasterPass, MasterSync } from './master-pass.js';
import {
  auditLeftOut,
  loadPairReferences,
  reconcilePair,
  writeSupplierToVendor,
  writeVendorToSupplier,
} from './vendor-pair.js';
import type { PairReferences } from './vendor-pair.js';

/** The supplier being pushed and what its vendor is built from. */
interface SupplierPass extends MasterPass {
  supplier: Cin7Supplier;
  label: string;
  refs: PairReferences;
  /** The supplier's mapping row: a vendor number, another worker's creation claim, or none. */
  mapping: Mapping | undefined;
}

export const syncSupplier: MasterSync<'cin7-supplier'> = async (job, context, deps) => {
  // reference/cin7-core-api.md §4: GET supplier?ID= (deprecated ones included).
  const read = await openAndRead(deps, context, job, 'read-cin7', () => deps.cin7.getSupplier(job.supplierId));
  if ('parked' in read) return read.parked;
  const { pass: opened, entity: supplier } = read;
  const [refs, mapping] = await Promise.all([
    loadPairReferences(deps),
    deps.stores.mappings.get('supplier', opened.record.value.recordId),
  ]);
  // The same object: the pass's park reads its latest record.
  const pass: SupplierPass = Object.assign(opened, { supplier, label: `supplier ${supplier.Name}`, refs, mapping });
  const found =
    mapping && !isVendorClaim(mapping.target) ? await mappedVendor(pass, mapping.target) : await matchedVendor(pass);
  return 'entry' in found ? found.entry : reconcileWithVendor(pass, found.vendor);
};

async function mappedVendor(
  pass: SupplierPass,
  vendorNumber: string,
): Promise<{ entry: LedgerEntry } | { vendor: BcVendor }> {
  const vendor = (await pass.deps.bc.findVendors({ number: vendorNumber }))[0];
  if (vendor) return { vendor };
  const entry = await pass.park(
    'needs-mapping',
    `the supplier mapping points to BC vendor ${vendorNumber}, which does not exist`,
    'resolve-vendor',
    [`vendor:${vendorNumber} (mapped from ${pass.supplier.Name}; does not exist in BC)`],
  );
  return { entry };
}

/** No mapping names a vendor: the one with the supplier's tax number or exact name, else a new one. */
async function matchedVendor(pass: SupplierPass): Promise<{ entry: LedgerEntry } | { vendor: BcVendor }> {
  const { deps, supplier } = pass;
  let reference = await deps.reference.get();
  let match = matchVendor(supplier, reference.vendors.values());
  if (match.kind === 'none') {
    // The cache may predate a vendor created a minute ago (by a claim holder, or a person).
    deps.reference.invalidate();
    reference = await deps.reference.get();
    match = matchVendor(supplier, reference.vendors.values());
  }
  if (match.kind === 'ambiguous') {
    const entry = await pass.park(
      'needs-mapping',
      `several BC vendors match ${supplier.Name}: ${match.candidates.join(', ')}`,
      'resolve-vendor',
      [`vendor:${supplier.Name} (several BC vendors match: ${match.candidates.join(', ')}; add a supplier mapping)`],
    );
    return { entry };
  }
  if (match.kind === 'none') {
    if (supplier.Status?.toLowerCase() === 'deprecated') {
      const reason = `${supplier.Name} is deprecated in Cin7; no BC vendor is created for it`;
      return { entry: await pass.park('skipped', reason, 'resolve-vendor') };
    }
    return { entry: await createVendorFor(pass) };
  }
  const vendor = await deps.bc.getVendor(match.party.id);
  if (!vendor)
    throw new ValidationError(
      `BC vendor ${match.party.number} vanished while supplier ${supplier.Name} was matched to it`,
      { system: 'bc' },
    );
  await recordVendorMapping(
    deps,
    pass.record.value.recordId,
    vendor.number,
    `matched by ${match.by}: ${supplier.Name}`,
  );
  return { vendor };
}

/** The supplier and its paired vendor: echo check, conflict rule and the write, in `reconcilePair`. */
async function reconcileWithVendor(pass: SupplierPass, vendor: BcVendor): Promise<LedgerEntry> {
  const { deps, supplier, refs } = pass;
  const other = (await deps.stores.ledger.get('vendor', vendor.id.toLowerCase()))?.value;
  try {
    const result = await reconcilePair(deps, pass.context, {
      source: 'cin7',
      own: pass.record,
      other,
      sourceParty: sharedFromSupplier(supplier, refs),
      patch: {
        label: pass.label,
        targetId: vendor.id,
        targetNumber: vendor.number,
        vendorNumber: vendor.number,
        ...(supplier.LastModifiedOn ? { sourceUpdatedAt: supplier.LastModifiedOn } : {}),
      },
      readTarget: () => Promise.resolve(sharedFromVendor(vendor, refs)),
      writeSourceToTarget: () => writeSupplierToVendor(deps, supplier, vendor, refs),
      writeTargetToSource: () => writeVendorToSupplier(deps, vendor, supplier, refs),
    });
    return result.value;
  } catch (error) {
    if (error instanceof ValidationError) return parkRefusedUpdate(pass, supplier.Name, error);
    throw error;
  }
}

async function createVendorFor(pass: SupplierPass): Promise<LedgerEntry> {
  const { deps, supplier, refs } = pass;
  const term = supplier.PaymentTerm?.trim();
  const paymentTerms = term ? refs.terms.bcTermForCin7(term) : undefined;
  if (term && paymentTerms === undefined) {
    const missing = [`payment-term:${term} (no BC payment terms with this code or name; add a payment-term mapping)`];
    const reason = `missing: ${missing.join('; ')}`;
    return advance(
      pass,
      { state: 'needs-mapping', attempts: pass.attempts, missing, reason, label: pass.label },
      { step: 'resolve-mappings', outcome: 'error', message: reason },
    );
  }
  await claimVendorCreation(deps, supplier.ID, supplier.Name, pass.mapping);
  const { input, leftOut } = toBcVendor(supplier, refs);
  // reference/bc-api.md §5.1: POST vendors. Not retried on an uncertain outcome: the claim stays, and the
  // next attempt finds the vendor by tax number or name before it would create again.
  let created: BcVendor;
  try {
    created = await deps.bc.createVendor({ ...input, ...(paymentTerms ? { paymentTermsId: paymentTerms.id } : {}) });
  } catch (error) {
    if (error instanceof ValidationError) return refusedCreate(pass, error);
    throw error;
  }
  deps.reference.rememberVendor(created);
  await recordVendorMapping(deps, supplier.ID, created.number, `created from Cin7 supplier ${supplier.Name}`);
  await auditLeftOut(deps, pass.record.value, leftOut, pass.context);
  return recordSynced(
    pass,
    {
      targetId: created.id,
      targetNumber: created.number,
      vendorNumber: created.number,
      sourceFingerprint: fingerprintParty(sharedFromSupplier(supplier, refs)),
      writtenFingerprint: fingerprintParty(sharedFromVendor(created, refs)),
      ...(supplier.LastModifiedOn ? { sourceUpdatedAt: supplier.LastModifiedOn } : {}),
    },
    {
      step: 'bc-create',
      outcome: 'ok',
      message: `created BC vendor ${created.number} for ${supplier.Name}`,
      details: { vendorNumber: created.number },
    },
  );
}

/**
 * BC refused the new vendor (a VAT registration number outside the country's formats, see `toBcVendor`):
 * nothing was created, so the claim is released and the supplier waits, with BC's reason, for a replay.
 */
async function refusedCreate(pass: SupplierPass, error: ValidationError): Promise<LedgerEntry> {
  const { supplier } = pass;
  await pass.deps.stores.mappings.delete({ kind: 'supplier', source: supplier.ID.toLowerCase(), target: '' });
  const reason =
    `BC rejected the new vendor for ${supplier.Name}: ${error.message}. ` +
    "Correct the supplier in Cin7 (or BC's setup), then replay it";
  return advance(
    pass,
    { state: 'failed', attempts: pass.attempts, reason, label: pass.label },
    { step: 'bc-create', outcome: 'error', message: reason },
  );
}
