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
import { fingerprintParty, sharedFromSupplier, sharedFromVendor } from '../../mapping/master-fingerprint.js';
import { matchVendor, toBcVendor } from '../../mapping/to-bc-vendor.js';
import type { SyncDeps } from '../deps.js';
import { ValidationError } from '../../core/errors.js';
import type { LedgerEntry, Versioned } from '../../core/ports/stores.js';
import type { SyncJob } from '../../core/ports/jobs.js';
import { openRecord, parkRecord, transition, type RecordContext } from '../jobs/record.js';
import { claimVendorCreation, isVendorClaim, recordVendorMapping } from './vendor-claim.js';
import {
  auditLeftOut,
  loadPairReferences,
  reconcilePair,
  writeSupplierToVendor,
  writeVendorToSupplier,
} from './vendor-pair.js';

export async function syncSupplier(
  job: Extract<SyncJob, { type: 'cin7-supplier' }>,
  context: RecordContext,
  deps: SyncDeps,
): Promise<LedgerEntry> {
  const supplierId = job.supplierId.toLowerCase();
  let record = await openRecord(deps, 'supplier', supplierId, context, `supplier ${job.supplierId}`);
  const attempts = record.value.attempts + 1;
  // The readable label is known once the entity is read; parked records carry it from then on.
  const known: { label?: string } = {};
  const park = parkRecord(deps, context, () => ({ record, attempts, label: known.label }));

  // reference/cin7-core-api.md §4: GET supplier?ID= (deprecated ones included).
  const supplier = await deps.cin7.getSupplier(job.supplierId);
  if (!supplier) return park('skipped', `Cin7 has no supplier ${job.supplierId} (deleted?)`, 'read-cin7');
  const label = (known.label = `supplier ${supplier.Name}`);
  const refs = await loadPairReferences(deps);
  const sourceParty = sharedFromSupplier(supplier, refs);

  const mapping = await deps.stores.mappings.get('supplier', supplierId);
  let vendor: BcVendor | undefined;
  if (mapping && !isVendorClaim(mapping.target)) {
    vendor = (await deps.bc.findVendors({ number: mapping.target }))[0];
    if (!vendor) {
      return park(
        'needs-mapping',
        `the supplier mapping points to BC vendor ${mapping.target}, which does not exist`,
        'resolve-vendor',
        [`vendor:${mapping.target} (mapped from ${supplier.Name}; does not exist in BC)`],
      );
    }
  } else {
    let reference = await deps.reference.get();
    let match = matchVendor(supplier, reference.vendors.values());
    if (match.kind === 'none') {
      // The cache may predate a vendor created a minute ago (by a claim holder, or a person).
      deps.reference.invalidate();
      reference = await deps.reference.get();
      match = matchVendor(supplier, reference.vendors.values());
    }
    if (match.kind === 'ambiguous') {
      return park(
        'needs-mapping',
        `several BC vendors match ${supplier.Name}: ${match.candidates.join(', ')}`,
        'resolve-vendor',
        [`vendor:${supplier.Name} (several BC vendors match: ${match.candidates.join(', ')}; add a supplier mapping)`],
      );
    }
    if (match.kind === 'found') {
      vendor = await deps.bc.getVendor(match.vendor.id);
      if (!vendor)
        throw new ValidationError(
          `BC vendor ${match.vendor.number} vanished while supplier ${supplier.Name} was matched to it`,
          { system: 'bc' },
        );
      await recordVendorMapping(deps, supplierId, vendor.number, `matched by ${match.by}: ${supplier.Name}`);
    } else {
      if (supplier.Status?.toLowerCase() === 'deprecated') {
        return park(
          'skipped',
          `${supplier.Name} is deprecated in Cin7; no BC vendor is created for it`,
          'resolve-vendor',
        );
      }
      record = await createVendorFor(deps, context, record, supplier, refs, mapping, label);
      return record.value;
    }
  }

  const paired = vendor;
  const other = (await deps.stores.ledger.get('vendor', paired.id.toLowerCase()))?.value;
  try {
    const result = await reconcilePair(deps, context, {
      source: 'cin7',
      own: record,
      other,
      sourceParty,
      patch: {
        label,
        targetId: paired.id,
        targetNumber: paired.number,
        vendorNumber: paired.number,
        ...(supplier.LastModifiedOn ? { sourceUpdatedAt: supplier.LastModifiedOn } : {}),
      },
      readTarget: () => Promise.resolve(sharedFromVendor(paired, refs)),
      writeSourceToTarget: () => writeSupplierToVendor(deps, supplier, paired, refs),
      writeTargetToSource: () => writeVendorToSupplier(deps, paired, supplier, refs),
    });
    return result.value;
  } catch (error) {
    if (error instanceof ValidationError) {
      record = (await deps.stores.ledger.get('supplier', supplierId)) ?? record;
      return park(
        'failed',
        `${error.system === 'cin7' ? 'Cin7' : 'BC'} rejected the update of ${supplier.Name}: ${error.message}`,
        error.system === 'cin7' ? 'cin7-update' : 'bc-update',
      );
    }
    throw error;
  }
}

async function createVendorFor(
  deps: SyncDeps,
  context: RecordContext,
  record: Versioned<LedgerEntry>,
  supplier: NonNullable<Awaited<ReturnType<SyncDeps['cin7']['getSupplier']>>>,
  refs: Awaited<ReturnType<typeof loadPairReferences>>,
  mapping: Parameters<typeof claimVendorCreation>[3],
  label: string,
): Promise<Versioned<LedgerEntry>> {
  const attempts = record.value.attempts + 1;
  const term = supplier.PaymentTerm?.trim();
  const paymentTerms = term ? refs.terms.bcTermForCin7(term) : undefined;
  if (term && paymentTerms === undefined) {
    const missing = [`payment-term:${term} (no BC payment terms with this code or name; add a payment-term mapping)`];
    return transition(
      deps,
      record,
      { state: 'needs-mapping', attempts, missing, reason: `missing: ${missing.join('; ')}`, label },
      { step: 'resolve-mappings', outcome: 'error', message: `missing: ${missing.join('; ')}` },
      context,
    );
  }
  await claimVendorCreation(deps, supplier.ID, supplier.Name, mapping);
  const { input, leftOut } = toBcVendor(supplier, refs);
  // reference/bc-api.md §5.1: POST vendors. Not retried on an uncertain outcome: the claim stays, and the
  // next attempt finds the vendor by tax number or name before it would create again.
  let created;
  try {
    created = await deps.bc.createVendor({ ...input, ...(paymentTerms ? { paymentTermsId: paymentTerms.id } : {}) });
  } catch (error) {
    if (error instanceof ValidationError) {
      // BC refused (a VAT registration number outside the country's formats, see `toBcVendor`): nothing was
      // created, so the claim is released and the supplier waits, with BC's reason, for a corrected replay.
      await deps.stores.mappings.delete({ kind: 'supplier', source: supplier.ID.toLowerCase(), target: '' });
      const reason = `BC rejected the new vendor for ${supplier.Name}: ${error.message}. Correct the supplier in Cin7 (or BC's setup), then replay it`;
      return transition(
        deps,
        record,
        { state: 'failed', attempts, reason, label },
        { step: 'bc-create', outcome: 'error', message: reason },
        context,
      );
    }
    throw error;
  }
  deps.reference.rememberVendor(created);
  await recordVendorMapping(deps, supplier.ID, created.number, `created from Cin7 supplier ${supplier.Name}`);
  await auditLeftOut(deps, record.value, leftOut, context);
  return transition(
    deps,
    record,
    {
      state: 'synced',
      attempts,
      label,
      reason: undefined,
      missing: undefined,
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
    context,
  );
}
