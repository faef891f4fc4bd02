/**
 * One Cin7 supplier and one BC vendor, kept equal on their shared fields from either side (DESIGN §1, §3.6).
 * The `supplier` mapping row names the pair; the `supplier` ledger record (keyed by the Cin7 supplier ID)
 * belongs to the Cin7 → BC direction and the `vendor` record (keyed by the BC vendor id) to BC → Cin7.
 *
 * Each record keeps two fingerprints of the shared fields (`src/mapping/master-fingerprint.ts`):
 * `sourceFingerprint`, what its source side held when it was last handled, and `writtenFingerprint`, what
 * the pair last agreed on (what it wrote to the other side, or found there already).
 *
 * A job for side X (the source) against side Y (the target):
 * 1. X holds what the other direction last wrote to it → an echo: nothing is written (`echo suppressed`).
 *    X holds what this direction last read from it → unchanged: nothing is written. Neither needs a read
 *    of Y, which spares Cin7's 60 calls a minute.
 * 2. Otherwise Y is read. Equal fields → already in sync. Y unchanged since the last sync → X is written to
 *    Y. Both changed (or the pair was never synced) → a conflict: `VENDOR_MASTER` (default `cin7`) wins, its
 *    values are written to the other side, and the losing change is written in the audit.
 *
 * Blocked / deprecated (explicit, and deliberately not a shared field): a deprecated Cin7 supplier never
 * blocks its BC vendor, and a blocked BC vendor never deprecates its Cin7 supplier. Blocking with `All`
 * stops payments of open invoices and the posting of invoices still authorised in Cin7, which is finance's
 * decision in BC. What the flows do instead: a deprecated Cin7 supplier with no BC vendor yet is skipped
 * (no vendor created), and a BC vendor blocked with `All` with no Cin7 supplier yet is skipped (no supplier
 * created); existing pairs keep syncing their shared fields whatever the status.
 */
import type { BcCodeEntity, BcVendor } from '../../bc/schemas.js';
import type { Cin7Supplier } from '../../cin7/schemas.js';
import {
  changedPartyFields,
  fingerprintParty,
  paymentTermTable,
  sharedFromSupplier,
  sharedFromVendor,
  type PartyContext,
  type SharedParty,
} from '../../mapping/master-fingerprint.js';
import { countryTable, toBcVendorPatch, type CountryTable, type LeftOutField } from '../../mapping/to-bc-vendor.js';
import { toCin7SupplierInput } from '../../mapping/to-cin7-supplier.js';
import type { SyncDeps } from '../deps.js';
import { masterDataSettingsOf } from '../../core/settings.js';
import type { LedgerEntry, Mapping, Versioned } from '../../core/ports/stores.js';
import { audit, transition, type LedgerPatch, type RecordContext } from '../jobs/record.js';

export type Side = 'cin7' | 'bc';

const otherSide = (side: Side): Side => (side === 'cin7' ? 'bc' : 'cin7');

const sideName: Record<Side, string> = { cin7: 'Cin7', bc: 'BC' };

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/**
 * What translating the shared fields needs: BC's local currency, BC payment terms and the term mappings,
 * BC's Country/Region table and the country mappings.
 */
export interface PairReferences extends PartyContext {
  termMappings: Mapping[];
  bcTerms: BcCodeEntity[];
}

export async function loadPairReferences(deps: Pick<SyncDeps, 'bc' | 'stores' | 'reference'>): Promise<PairReferences> {
  const [reference, bcTerms, termMappings, countries] = await Promise.all([
    deps.reference.get(),
    collect(deps.bc.listPaymentTerms()),
    deps.stores.mappings.list('payment-term'),
    loadCountryTable(deps),
  ]);
  return {
    localCurrencyCode: reference.localCurrencyCode,
    terms: paymentTermTable(bcTerms, [], termMappings),
    countries,
    termMappings,
    bcTerms,
  };
}

/** BC's Country/Region table (one GET, APIV2CountriesRegions.Page.al) with the operator's `country` mappings. */
export async function loadCountryTable(deps: Pick<SyncDeps, 'bc' | 'stores'>): Promise<CountryTable> {
  const [countries, mappings] = await Promise.all([
    collect(deps.bc.listCountriesRegions()),
    deps.stores.mappings.list('country'),
  ]);
  return countryTable(countries, mappings);
}

/** The audit notes of supplier values left out of the vendor (DESIGN §3.4: nothing is dropped silently). */
export async function auditLeftOut(
  deps: Pick<SyncDeps, 'stores' | 'clock'>,
  entry: LedgerEntry,
  leftOut: readonly LeftOutField[],
  context: RecordContext,
): Promise<void> {
  for (const field of leftOut) {
    await audit(
      deps,
      entry,
      { step: 'left-out', outcome: 'info', message: field.note, details: { field: field.field } },
      context,
    );
  }
}

export type WriteResult =
  { ok: true; party: SharedParty; targetId: string; leftOut?: LeftOutField[] } | { ok: false; missing: string[] };

/** PATCHes the vendor with the supplier's shared fields, with the ETag it was read with. */
export async function writeSupplierToVendor(
  deps: Pick<SyncDeps, 'bc' | 'reference'>,
  supplier: Cin7Supplier,
  vendor: BcVendor,
  refs: PairReferences,
): Promise<WriteResult> {
  const term = supplier.PaymentTerm?.trim();
  const paymentTerms = term ? refs.terms.bcTermForCin7(term) : undefined;
  if (term && paymentTerms === undefined)
    return {
      ok: false,
      missing: [`payment-term:${term} (no BC payment terms with this code or name; add a payment-term mapping)`],
    };
  const { input, leftOut } = toBcVendorPatch(supplier, refs, paymentTerms?.id);
  // reference/bc-api.md §1.3: PATCH with the ETag read; a stale one (BC's 409) is retried after a re-read.
  const updated = await deps.bc.updateVendor(vendor.id, vendor['@odata.etag'] ?? '*', input);
  deps.reference.rememberVendor(updated);
  return { ok: true, party: sharedFromVendor(updated, refs), targetId: updated.id, leftOut };
}

/** PUTs the supplier with the vendor's shared fields (its own account, tax rule and status are kept). */
export async function writeVendorToSupplier(
  deps: Pick<SyncDeps, 'cin7' | 'settings'>,
  vendor: BcVendor,
  supplier: Cin7Supplier | undefined,
  refs: PairReferences,
): Promise<WriteResult & { supplier?: Cin7Supplier }> {
  const needsCin7Terms =
    vendor.paymentTermsId !== undefined && refs.terms.bcTermById(vendor.paymentTermsId) !== undefined;
  const cin7Terms = needsCin7Terms ? await collect(deps.cin7.listPaymentTerms()) : [];
  const translation = toCin7SupplierInput(vendor, supplier, {
    localCurrencyCode: refs.localCurrencyCode,
    terms: paymentTermTable(refs.bcTerms, cin7Terms, refs.termMappings),
    countries: refs.countries,
    defaults: masterDataSettingsOf(deps.settings).cin7Defaults,
  });
  if (!translation.ok) return translation;
  // reference/cin7-core-api.md §4: POST creates, PUT (ID required) updates; neither is retried blindly.
  const saved = supplier
    ? await deps.cin7.updateSupplier({ ...translation.input, ID: supplier.ID })
    : await deps.cin7.createSupplier(translation.input);
  return { ok: true, party: sharedFromSupplier(saved, refs), targetId: saved.ID, supplier: saved };
}

export interface ReconcileInput {
  source: Side;
  /** This job's ledger record. */
  own: Versioned<LedgerEntry>;
  /** The other direction's record of the same pair, if it has one. */
  other: LedgerEntry | undefined;
  /** The source's shared fields as just read. */
  sourceParty: SharedParty;
  /** Ids and numbers for the ledger (`targetId`, `targetNumber`, `label`, `sourceUpdatedAt`). */
  patch: LedgerPatch;
  readTarget(): Promise<SharedParty>;
  writeSourceToTarget(): Promise<WriteResult>;
  writeTargetToSource(): Promise<WriteResult>;
}

/** Steps 1 and 2 of the module comment; every outcome is a ledger transition with its audit row. */
export async function reconcilePair(
  deps: SyncDeps,
  context: RecordContext,
  input: ReconcileInput,
): Promise<Versioned<LedgerEntry>> {
  const { source, own, other } = input;
  const target = otherSide(source);
  const sourceFp = fingerprintParty(input.sourceParty);
  const ownValue = own.value;
  const base: LedgerPatch = { ...input.patch, attempts: ownValue.attempts + 1, reason: undefined, missing: undefined };
  const agree = (fp: string, step: string, message: string) =>
    transition(
      deps,
      own,
      { ...base, state: 'synced', sourceFingerprint: sourceFp, writtenFingerprint: fp },
      { step, outcome: 'skipped', message },
      context,
    );
  const echo = echoOf(input, sourceFp);
  if (echo) return agree(echo.writtenFingerprint, 'echo-check', echo.message);

  const targetParty = await input.readTarget();
  const targetFp = fingerprintParty(targetParty);
  if (targetFp === sourceFp) {
    return agree(sourceFp, 'compare', `${sideName[target]} already holds the same values; nothing written`);
  }
  const known = [other?.sourceFingerprint, ownValue.writtenFingerprint].filter((v): v is string => v !== undefined);
  const targetChanged = known.length === 0 || !known.includes(targetFp);
  const master = masterDataSettingsOf(deps.settings).vendorMaster;
  const sourceWins = !targetChanged || master === source;
  if (targetChanged) {
    const why =
      known.length === 0
        ? 'the pair was never synced and the two sides differ'
        : 'both sides changed since the last sync';
    await auditConflict(deps, context, ownValue, { source, sourceWins, master, why, targetParty, input });
  }
  const written = sourceWins ? await input.writeSourceToTarget() : await input.writeTargetToSource();
  return recordWritten(deps, context, input, { base, sourceFp, sourceWins, targetParty, written });
}

/**
 * The source holds what the connector last wrote to it (an echo of its own write), or nothing changed since
 * the last sync and the other side did not move after it: nothing is written.
 */
function echoOf(input: ReconcileInput, sourceFp: string): { writtenFingerprint: string; message: string } | undefined {
  const { source, other } = input;
  const own = input.own.value;
  const target = otherSide(source);
  // The last time this record took part in a sync; a record that never did is older than any other.
  const ownSyncedAt = own.writtenFingerprint === undefined ? '' : own.updatedAt;
  if (other?.writtenFingerprint === sourceFp && other.updatedAt >= ownSyncedAt) {
    return {
      writtenFingerprint: sourceFp,
      message:
        `echo suppressed: ${sideName[source]} holds what the connector last wrote to it; ` +
        `nothing written to ${sideName[target]}`,
    };
  }
  const otherMovedSince = other !== undefined && other.updatedAt > own.updatedAt;
  if (own.state === 'synced' && own.sourceFingerprint === sourceFp && !otherMovedSince) {
    return {
      writtenFingerprint: own.writtenFingerprint ?? sourceFp,
      message: `unchanged since the last sync; nothing written to ${sideName[target]}`,
    };
  }
  return undefined;
}

/** Both sides changed: VENDOR_MASTER decides, and what the losing side had is kept in the audit row. */
async function auditConflict(
  deps: SyncDeps,
  context: RecordContext,
  own: LedgerEntry,
  conflict: {
    source: Side;
    sourceWins: boolean;
    master: Side;
    why: string;
    targetParty: SharedParty;
    input: ReconcileInput;
  },
): Promise<void> {
  const { source, sourceWins, master, targetParty, input } = conflict;
  const target = otherSide(source);
  const winner = sourceWins ? source : target;
  const loser = sourceWins ? target : source;
  const losing = sourceWins ? targetParty : input.sourceParty;
  const winning = sourceWins ? input.sourceParty : targetParty;
  const fields = changedPartyFields(winning, losing);
  const details: Record<string, string> = { vendorMaster: master, winner, loser };
  for (const field of fields) details[`lost.${field}`] = String(losing[field] ?? '');
  await audit(
    deps,
    own,
    {
      step: 'conflict',
      outcome: 'info',
      message:
        `${conflict.why}: VENDOR_MASTER=${master} keeps ${sideName[winner]}'s values; ` +
        `${sideName[loser]}'s change to ${fields.join(', ')} is overwritten`,
      details,
    },
    context,
  );
}

/** The write's outcome on the ledger: synced with the fingerprints written, or the gaps that stopped it. */
async function recordWritten(
  deps: SyncDeps,
  context: RecordContext,
  input: ReconcileInput,
  outcome: {
    base: LedgerPatch;
    sourceFp: string;
    sourceWins: boolean;
    targetParty: SharedParty;
    written: WriteResult;
  },
): Promise<Versioned<LedgerEntry>> {
  const { base, sourceFp, sourceWins, targetParty, written } = outcome;
  const writtenSide = sourceWins ? otherSide(input.source) : input.source;
  if (!written.ok) {
    return transition(
      deps,
      input.own,
      {
        ...base,
        state: 'needs-mapping',
        missing: written.missing,
        reason: `cannot write to ${sideName[writtenSide]}: ${written.missing.join('; ')}`,
      },
      { step: 'resolve-mappings', outcome: 'error', message: `missing: ${written.missing.join('; ')}` },
      context,
    );
  }
  if (written.leftOut) await auditLeftOut(deps, input.own.value, written.leftOut, context);
  const writtenFp = fingerprintParty(written.party);
  const fields = changedPartyFields(sourceWins ? targetParty : input.sourceParty, written.party);
  return transition(
    deps,
    input.own,
    {
      ...base,
      state: 'synced',
      // After writing the target's values back to the source, the source holds what was just written.
      sourceFingerprint: sourceWins ? sourceFp : writtenFp,
      writtenFingerprint: writtenFp,
    },
    {
      step: writtenSide === 'bc' ? 'bc-update' : 'cin7-update',
      outcome: 'ok',
      message:
        `updated ${sideName[writtenSide]} ${writtenSide === 'bc' ? 'vendor' : 'supplier'}: ` +
        (fields.join(', ') || 'no visible change'),
    },
    context,
  );
}
