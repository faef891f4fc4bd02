/**
 * One Cin7 invoice → at most one posted BC purchase invoice, and one Cin7 credit note → at most one posted BC
 * purchase credit memo (DESIGN §3.1–3.5). `decideInvoice` picks each step; this file carries it out for both
 * kinds (`document-kinds.ts` says what differs). Every BC write happens under the record's claim: the lease is taken
 * before the first look-up and renewed (ETag-guarded) right before each write, so a worker that was
 * overtaken fails the renewal and writes nothing more, and whoever overtook it first settles every open
 * attempt by looking BC up.
 */
import type { BcPurchaseInvoice, BcPurchaseInvoiceCreate, BcPurchaseInvoiceWithLines } from '../../bc/schemas.js';
import type { Cin7Purchase, Cin7PurchaseCreditNote, Cin7PurchaseInvoice } from '../../cin7/schemas.js';
import { ConflictError, TransientError, ValidationError, ensureError, isConnectorError } from '../../core/errors.js';
import type { DocumentKey, LedgerEntry, LedgerState, Versioned } from '../../core/ports/stores.js';
import { fingerprintCreditNote, fingerprintInvoice } from '../../mapping/fingerprint.js';
import { MappingIndex } from '../../mapping/reference-data.js';
import { creditNoteAsInvoice } from '../../mapping/to-bc-purchase-credit-memo.js';
import { toBcPurchaseInvoice } from '../../mapping/to-bc-purchase-invoice.js';
import { totalsAgree } from '../../mapping/totals.js';
import type { SyncDeps } from '../deps.js';
import {
  audit,
  openRecord,
  respectOperatorSkip,
  transition,
  type LedgerPatch,
  type RecordContext,
} from '../jobs/record.js';
import { resolveVendor } from '../master-data/resolve-vendor.js';
import { documentStatus, findByKey, findRecordDocuments, keyOf, sameKey } from './bc-documents.js';
import {
  confirmApplication,
  planApplication,
  releaseClosedApplication,
  type Application,
} from './credit-note-application.js';
import { creditMemoKind, invoiceKind, translateOptionsFor, type DocumentKind } from './document-kinds.js';
import {
  decideInvoice,
  type DeleteReason,
  type InvoiceFacts,
  type InvoicePlan,
  type InvoiceStep,
} from './decide-invoice.js';
import { describeFix, type DimensionFix } from './draft-dimensions.js';
import { readProductUnits } from './product-units.js';
import { reasons, vatSetupGap } from './reasons.js';

/** How stale reference data may be before a mapping gap triggers a reload (outside replays). */
const gapReloadIntervalMs = 60_000;
/** A pass takes a handful of steps; more means the facts stopped changing, which is a bug to surface. */
const maxStepsPerPass = 12;

export function purchaseInvoiceRecordId(purchaseId: string, invoiceTaskId: string): string {
  return `${purchaseId.toLowerCase()}/${invoiceTaskId.toLowerCase()}`;
}

export function invoiceLabel(purchase: Cin7Purchase, invoice: Cin7PurchaseInvoice): string {
  return `${purchase.OrderNumber} / ${invoice.InvoiceNumber ?? invoice.TaskID}`;
}

/** One pass over a record: the record's latest version is the claim. */
interface RecordPass {
  kind: DocumentKind;
  /** Whether this pass has counted itself in the record's `attempts` (once per pass, on its first change). */
  counted?: boolean;
  /** Drafts this pass deleted, named again in the record's final reason. */
  deleted?: BcPurchaseInvoice[];
  purchase: Cin7Purchase;
  record: Versioned<LedgerEntry>;
  context: RecordContext;
  deps: SyncDeps;
}

/**
 * A pass over a document Cin7 still lists, with its BC body once translated. A credit note is read as an
 * invoice-shaped document (`creditNoteAsInvoice`); `credits` is the Cin7 invoice number it names.
 */
interface InvoicePass extends RecordPass {
  invoice: Cin7PurchaseInvoice;
  fingerprint: string;
  credits?: string | undefined;
  body?: BcPurchaseInvoiceCreate;
  vendorHow?: string;
  /** How a credit memo applies to the invoice it credits: planned at translation, confirmed at the look-up. */
  application?: Application;
  /** Whether this pass cleared the application of a memo whose invoice closed before the post (once a pass). */
  releasedApplication?: boolean;
}

/** The Cin7 document one record follows, as the executor reads it. */
type Source = Pick<InvoicePass, 'kind' | 'purchase' | 'invoice' | 'fingerprint' | 'credits'>;

export function syncInvoice(
  purchase: Cin7Purchase,
  invoice: Cin7PurchaseInvoice,
  context: RecordContext,
  deps: SyncDeps,
): Promise<LedgerState> {
  return syncDocument(
    { kind: invoiceKind, purchase, invoice, fingerprint: fingerprintInvoice(purchase, invoice) },
    context,
    deps,
  );
}

/** One Cin7 credit note → at most one posted BC purchase credit memo, applied to the invoice it credits. */
export function syncCreditNote(
  purchase: Cin7Purchase,
  note: Cin7PurchaseCreditNote,
  context: RecordContext,
  deps: SyncDeps,
): Promise<LedgerState> {
  return syncDocument(
    {
      kind: creditMemoKind,
      purchase,
      invoice: creditNoteAsInvoice(note),
      fingerprint: fingerprintCreditNote(purchase, note),
      credits: note.CreditNoteInvoiceNumber,
    },
    context,
    deps,
  );
}

async function syncDocument(source: Source, context: RecordContext, deps: SyncDeps): Promise<LedgerState> {
  const { kind, purchase, invoice } = source;
  const recordId = purchaseInvoiceRecordId(purchase.ID, invoice.TaskID);
  // The order number is recorded from the first sight, so a replay joins the session every trigger uses.
  const opened = await openRecord(deps, kind.recordType, recordId, context, invoiceLabel(purchase, invoice), {
    sourceNumber: purchase.OrderNumber,
  });
  const open = await respectOperatorSkip(deps, opened, context);
  if (open === undefined) return 'skipped';
  let record = open;
  const recordContext: RecordContext = { ...context, correlationId: record.value.correlationId };
  // A concurrent worker may move the record between our read and write; re-read and decide again.
  for (let round = 0; ; round += 1) {
    const pass: InvoicePass = { ...source, record, context: recordContext, deps };
    try {
      return await runPass(pass);
    } catch (error) {
      if (error instanceof ConflictError && round < 3) {
        const latest = await deps.stores.ledger.get(kind.recordType, recordId);
        if (!latest) throw error;
        record = latest;
        continue;
      }
      await noteError(pass, error);
      if (!(error instanceof ConflictError)) await releaseClaim(pass);
      throw error;
    }
  }
}

async function runPass(pass: InvoicePass): Promise<LedgerState> {
  const { purchase, invoice, deps } = pass;
  const facts: InvoiceFacts = {
    state: pass.record.value.state,
    eligibility: pass.kind.eligibility(purchase, invoice, deps.settings.eligibleApproaches),
    fingerprint: pass.fingerprint,
    builtFrom: pass.record.value.sourceFingerprint,
  };
  for (let step = 0; step < maxStepsPerPass; step += 1) {
    const outcome = await takeStep(pass, facts, decideInvoice(facts));
    if (outcome !== 'decide-again') return outcome;
  }
  throw new ValidationError(`${label(pass)}: no decision after ${maxStepsPerPass} steps; replay it and report this`);
}

type EndingStep = Extract<
  InvoiceStep,
  { kind: 'check-posted' | 'record-posted' | 'hold' | 'skip' | 'park-gaps' | 'park-incomplete' | 'post-draft' }
>;

/** The steps that learn or change something, after which the table decides again (unless the step failed). */
async function takeStep(
  pass: InvoicePass,
  facts: InvoiceFacts,
  next: InvoiceStep,
): Promise<LedgerState | 'decide-again'> {
  switch (next.kind) {
    case 'look-up-documents':
      checkNoLiveLease(pass);
      facts.documents = await findRecordDocuments(pass.kind, pass.record.value, pass.deps);
      return 'decide-again';
    case 'delete-drafts': {
      const deleted = await deleteDrafts(pass, next.drafts, next.why);
      if (!deleted) return 'failed';
      facts.documents = (facts.documents ?? []).filter((d) => !next.drafts.includes(d));
      return 'decide-again';
    }
    case 'translate':
      facts.plan = await translate(pass);
      return 'decide-again';
    case 'read-draft':
      facts.read = await readDraft(pass, next.draft);
      return 'decide-again';
    case 'complete-dimensions': {
      const written = await completeDimensions(pass, next.draft, next.fixes);
      if (!written) return 'failed';
      facts.read = undefined;
      facts.dimensionsWritten = true;
      return 'decide-again';
    }
    case 'create-draft': {
      const outcome = await createDraft(pass, next.key, facts.fingerprint);
      if (typeof outcome === 'string') return outcome;
      // The created (or adopted) draft is now the record's own: it is read, completed and posted next.
      facts.documents = [...(facts.documents ?? []), outcome];
      facts.builtFrom = facts.fingerprint;
      return 'decide-again';
    }
    default:
      return endPass(pass, facts, next);
  }
}

/** The steps that end the pass in a state. */
async function endPass(pass: InvoicePass, facts: InvoiceFacts, next: EndingStep): Promise<LedgerState> {
  const { purchase, invoice } = pass;
  switch (next.kind) {
    case 'check-posted':
      return checkPostedUnchanged(pass, facts.fingerprint);
    case 'record-posted':
      await recordPosted(
        pass,
        next.document,
        `already posted in BC as ${next.document.number}; nothing written`,
        facts.fingerprint,
      );
      return checkPostedUnchanged(pass, facts.fingerprint);
    case 'hold':
      return park(pass, 'failed', reasons.held(next.document), 'bc-read', {
        target: next.document,
        keep: facts.documents ?? [],
      });
    case 'skip':
      return park(pass, 'skipped', reasons.skipped(next.reason, pass.deleted ?? []), 'eligibility', {
        sourceFingerprint: facts.fingerprint,
      });
    case 'park-gaps':
      return park(pass, 'needs-mapping', reasons.gaps(next.missing, next.drafts), 'resolve-mappings', {
        missing: next.missing,
        // A kept draft keeps the fingerprint it was built from, so a later change in Cin7 is still seen.
        ...(next.drafts.length === 0 ? { sourceFingerprint: facts.fingerprint } : {}),
        ...(next.drafts.length === 1 ? { target: next.drafts[0] } : {}),
        keep: next.drafts,
        // The console groups gaps with the amount held up and the supplier a vendor mapping is for.
        details: { cin7Total: invoice.Total, supplierId: purchase.SupplierID },
      });
    case 'park-incomplete':
      return park(pass, 'failed', reasons.dimensionsIncomplete(next.draft, next.problems), 'dimensions', {
        target: next.draft,
        keep: [next.draft],
        details: { lines: next.draft.purchaseInvoiceLines.length, problems: next.problems.length },
      });
    case 'post-draft':
      return postDraft(pass, next.draft);
  }
}

/**
 * An invoice whose record exists but which Cin7 no longer lists on its purchase (deleted in Cin7). Whatever
 * the record may have written is settled: a posted invoice makes the two systems disagree (`diverged`),
 * drafts are deleted, and the record says so (`skipped`), so no draft is left waiting for a post (I4).
 */
export async function settleRemovedInvoice(
  purchase: Cin7Purchase,
  found: Versioned<LedgerEntry>,
  context: RecordContext,
  deps: SyncDeps,
): Promise<LedgerState> {
  const pass: RecordPass = {
    kind: found.value.recordType === 'purchase-credit-note' ? creditMemoKind : invoiceKind,
    purchase,
    record: found,
    context: { ...context, correlationId: found.value.correlationId },
    deps,
  };
  const entry = found.value;
  if (entry.state === 'skipped' || entry.state === 'diverged') return entry.state;
  try {
    if (entry.state === 'posted') {
      const reason = reasons.removedAfterPosting(purchase.OrderNumber, entry.targetNumber ?? '', pass.kind.noun);
      return await park(pass, 'diverged', reason, 'read-cin7', {});
    }
    checkNoLiveLease(pass);
    const documents = await findRecordDocuments(pass.kind, entry, deps);
    const posted = documents.find((d) => documentStatus(d) === 'posted');
    const drafts = documents.filter((d) => documentStatus(d) === 'draft');
    if (posted) {
      await recordPosted(pass, posted, `already posted in BC as ${posted.number}`);
      const reason = reasons.removedAfterPosting(purchase.OrderNumber, posted.number, pass.kind.noun);
      return await park(pass, 'diverged', reason, 'read-cin7', {});
    }
    if (drafts.length > 0 && !(await deleteDrafts(pass, drafts, 'ineligible'))) return 'failed';
    const held = documents.find((d) => documentStatus(d) === 'held');
    if (held) return await park(pass, 'failed', reasons.held(held), 'read-cin7', { target: held, keep: [held] });
    return await park(
      pass,
      'skipped',
      reasons.removedFromPurchase(purchase.OrderNumber, pass.deleted ?? [], pass.kind.noun),
      'read-cin7',
      {
        target: undefined,
      },
    );
  } catch (error) {
    await noteError(pass, error);
    if (!(error instanceof ConflictError)) await releaseClaim(pass);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------
// The claim: the record's ETag, renewed before every BC write, plus a lease while a create or delete may land.

function checkNoLiveLease(pass: RecordPass): void {
  const { leaseUntil } = pass.record.value;
  if (leaseUntil !== undefined && Date.parse(leaseUntil) > pass.deps.clock.now()) {
    // Another worker may be creating or deleting in BC right now, so a look-up cannot be trusted yet. Back
    // off like any transient failure: it usually finishes within a second, and a crashed worker's lease
    // runs out long before MAX_ATTEMPTS does.
    throw new TransientError(
      `${label(pass)}: another worker is creating or deleting this invoice in BC; will look again`,
      {
        system: 'bc',
      },
    );
  }
}

/**
 * Renews the claim with the ETag of the version this worker last wrote or read, right before a BC write. A
 * `ConflictError` means another worker wrote the record since: this worker has lost its claim and stops
 * before writing. A create or a delete also takes a lease that outlasts one BC request (the client times out
 * after 120 s), so nobody settles the record while that write may still land. A post needs no lease: posting
 * twice is refused by BC and settled by reading the invoice.
 */
async function fence(pass: RecordPass, lease: boolean): Promise<void> {
  const { deps } = pass;
  const now = deps.clock.now();
  const next: LedgerEntry = { ...pass.record.value, updatedAt: new Date(now).toISOString() };
  if (lease) next.leaseUntil = new Date(now + deps.settings.createLeaseMs).toISOString();
  else delete next.leaseUntil;
  pass.record = await deps.stores.ledger.update(next, pass.record.etag);
}

async function releaseClaim(pass: RecordPass): Promise<void> {
  if (pass.record.value.leaseUntil === undefined) return;
  const next: LedgerEntry = { ...pass.record.value, updatedAt: new Date(pass.deps.clock.now()).toISOString() };
  delete next.leaseUntil;
  // Best effort: a worker that cannot release leaves the lease to expire.
  pass.record = await pass.deps.stores.ledger.update(next, pass.record.etag).catch(() => pass.record);
}

async function step(
  pass: RecordPass,
  patch: LedgerPatch,
  note: Parameters<typeof transition>[3],
): Promise<Versioned<LedgerEntry>> {
  const counted = pass.counted ? {} : { attempts: pass.record.value.attempts + 1 };
  pass.record = await transition(pass.deps, pass.record, { ...counted, ...patch }, note, pass.context);
  pass.counted = true;
  return pass.record;
}

// ---------------------------------------------------------------------------------------------------------
// Steps

async function translate(pass: InvoicePass): Promise<InvoicePlan> {
  const { purchase, invoice, deps, context } = pass;
  const vendor = await resolveVendor(purchase, deps);
  const mappings = new MappingIndex(await deps.stores.mappings.list());
  const build = async () => {
    const reference = await deps.reference.get();
    return toBcPurchaseInvoice({
      purchase,
      invoice,
      vendorNumber: vendor.vendorNumber,
      reference,
      mappings,
      productUnits: await readProductUnits(invoice, deps.settings.lineMode, reference, mappings, deps),
      options: translateOptionsFor(pass.kind, deps.settings, new Date(deps.clock.now()).toISOString().slice(0, 10)),
    });
  };
  let translated = await build();
  if (!translated.ok) {
    // A gap may be an account or dimension value added in BC since the cache was filled (the operator's fix
    // before a replay): look once more at fresh reference data before parking the record. Outside a replay
    // the reload happens at most once a minute, so a gap shared by a whole backfill does not reload per record.
    deps.reference.invalidateIfOlderThan(context.trigger === 'replay' ? 0 : gapReloadIntervalMs);
    translated = await build();
  }
  if (!translated.ok) {
    const vendorGap = vendor.vendorNumber === undefined ? vendor.gap : undefined;
    const missing = vendorGap
      ? [vendorGap, ...translated.missing.filter((m) => !m.startsWith('vendor:'))]
      : translated.missing;
    return { ok: false, missing };
  }
  pass.body = translated.body;
  pass.vendorHow = 'how' in vendor ? vendor.how : 'mapping';
  if (pass.kind === creditMemoKind) {
    pass.application = await planApplication(purchase, pass.credits, deps);
    // Parked `needs-mapping` with the gap naming the invoice, and goes on once that invoice posts.
    if (pass.application.kind === 'wait') return { ok: false, missing: [pass.application.gap] };
  }
  return {
    ok: true,
    key: { vendorNumber: translated.body.vendorNumber, vendorInvoiceNumber: translated.vendorInvoiceNumber },
    lines: translated.lineDimensions,
  };
}

/**
 * Invariant 1: the intent is recorded (this key becomes the record's only open attempt; every earlier one
 * was settled by the look-up of this pass) before BC is asked, BC is looked up under the key, and the create
 * is sent only under a freshly renewed claim.
 */
async function createDraft(
  pass: InvoicePass,
  key: DocumentKey,
  fingerprint: string,
): Promise<LedgerState | BcPurchaseInvoice> {
  const { deps } = pass;
  const body = pass.body;
  if (!body) throw new ValidationError(`${label(pass)}: create without a translated body`);
  const lookedUp = (pass.record.value.openAttempts ?? []).some((open) => sameKey(open, key));
  await recordIntent(pass, key, fingerprint, body.purchaseInvoiceLines.length);

  const existing = await lookUpBeforeCreate(pass, key, lookedUp);
  const found = existing.find((d) => documentStatus(d) === 'posted') ?? existing[0];
  if (found) return adoptForeign(pass, found, key);

  await fence(pass, true);
  let created: BcPurchaseInvoice;
  try {
    // reference/bc-api.md §1.5: deep insert of header, lines and line dimensions in one atomic request.
    const applyTo = pass.application?.kind === 'apply' ? pass.application.invoiceId : undefined;
    created = await pass.kind.create(body, applyTo, deps);
  } catch (error) {
    return settleRefusedCreate(pass, error, key);
  }
  const message = `BC draft ${created.number} created${applicationNote(pass)}`;
  await step(
    pass,
    {
      state: 'created',
      targetId: created.id,
      targetNumber: created.number,
      openAttempts: undefined,
      leaseUntil: undefined,
    },
    { step: 'bc-create', outcome: 'ok', message, details: { bcId: created.id } },
  );
  return created;
}

/**
 * The duplicate check before a create, also against bills keyed in BC by hand. A key already looked up this pass
 * is not asked again: its documents were settled above. A credit memo that may apply to a posted invoice has BC's
 * copy of that invoice read in the same request, and that copy settles the application.
 */
async function lookUpBeforeCreate(
  pass: InvoicePass,
  key: DocumentKey,
  lookedUp: boolean,
): Promise<BcPurchaseInvoice[]> {
  const { kind, deps, application } = pass;
  if (application?.kind !== 'confirm') return lookedUp ? [] : findByKey(kind, key, deps);
  let documents: BcPurchaseInvoice[] = [];
  let credited: BcPurchaseInvoice | undefined;
  if (lookedUp || kind.findWithCredited === undefined) {
    credited = await deps.bc.getPurchaseInvoice(application.invoiceId);
  } else {
    ({ documents, credited } = await kind.findWithCredited(key, application.invoiceId, deps));
  }
  pass.application = confirmApplication(application, credited, key.vendorNumber);
  return documents;
}

function applicationNote(pass: InvoicePass): string {
  const { application } = pass;
  return application?.kind === 'apply' || application?.kind === 'unapplied' ? `; ${application.note}` : '';
}

/** The draft with its lines and their dimension set lines, as BC holds it now (one GET). */
async function readDraft(pass: InvoicePass, draft: BcPurchaseInvoice): Promise<BcPurchaseInvoiceWithLines> {
  // reference/bc-api.md §1.5: $expand=purchaseInvoiceLines($expand=dimensionSetLines) in the same request.
  const read = await pass.kind.get(draft.id, pass.deps);
  if (read === undefined) {
    // Deleted in BC since it was found: the next pass looks BC up again before anything is written.
    throw new TransientError(`${label(pass)}: BC draft ${draft.number} vanished before it was read; will look again`, {
      system: 'bc',
    });
  }
  return read;
}

/**
 * Sets the rules' dimensions BC did not put on the draft's lines (I3): a value BC defaulted differently is
 * changed, a missing one added, each under a renewed claim. A refusal parks the draft unposted with its reason
 * and returns false; an uncertain outcome is retried by a later pass, which reads the draft first.
 */
async function completeDimensions(
  pass: InvoicePass,
  draft: BcPurchaseInvoiceWithLines,
  fixes: readonly DimensionFix[],
): Promise<boolean> {
  const { deps } = pass;
  for (const fix of fixes) {
    await fence(pass, false);
    try {
      if (fix.kind === 'change') {
        const dimension = { id: fix.dimensionId, valueCode: fix.valueCode, etag: fix.etag };
        await deps.bc.updateLineDimension(draft.id, fix.lineId, dimension, pass.kind.name);
      } else {
        const dimension = { code: fix.code, valueCode: fix.valueCode };
        await deps.bc.createLineDimension(draft.id, fix.lineId, dimension, pass.kind.name);
      }
    } catch (error) {
      if (!isRejection(error)) throw uncertain(error, `BC dimension ${fix.code} on draft ${draft.number}`);
      await park(pass, 'failed', reasons.dimensionRejected(draft, fix, error.message), 'dimensions', {
        target: draft,
        keep: [draft],
        details: { code: error.code ?? null, bcCorrelationId: error.correlationId ?? null },
      });
      return false;
    }
  }
  await step(
    pass,
    {},
    {
      step: 'dimensions',
      outcome: 'ok',
      message:
        `set ${fixes.length} dimension(s) BC had defaulted otherwise or left out on draft ${draft.number}: ` +
        fixes.map(describeFix).join('; '),
      details: { bcId: draft.id, written: fixes.length },
    },
  );
  return true;
}

/** The intent, before BC is asked: this key becomes the record's only open attempt (I1). */
async function recordIntent(pass: InvoicePass, key: DocumentKey, fingerprint: string, lines: number): Promise<void> {
  const { purchase } = pass;
  await step(
    pass,
    {
      state: 'creating',
      vendorNumber: key.vendorNumber,
      vendorInvoiceNumber: key.vendorInvoiceNumber,
      openAttempts: [key],
      sourceFingerprint: fingerprint,
      sourceNumber: purchase.OrderNumber,
      sourceUpdatedAt: purchase.LastUpdatedDate,
      targetId: undefined,
      targetNumber: undefined,
      missing: undefined,
      reason: undefined,
    },
    {
      step: 'resolve-mappings',
      outcome: 'ok',
      message: `coded to vendor ${key.vendorNumber} (${pass.vendorHow ?? 'mapping'}), ${lines} line(s)`,
    },
  );
}

/** A create that failed: BC's 4xx refusals park the record (nothing was created); anything else is uncertain. */
async function settleRefusedCreate(pass: InvoicePass, error: unknown, key: DocumentKey): Promise<LedgerState> {
  const { deps } = pass;
  // BC refused a line for want of a VAT Posting Setup row (a 4xx answer: nothing was created).
  const vatGap = isAnswered(error) ? vatSetupGap(error.message) : undefined;
  if (vatGap !== undefined) {
    deps.reference.invalidate();
    return park(pass, 'needs-mapping', reasons.gaps([vatGap], []), 'bc-create', { missing: [vatGap] });
  }
  if (isRejection(error)) {
    // BC answered 4xx: nothing was created. The reference data may have changed since it was read.
    deps.reference.invalidate();
    return park(pass, 'failed', reasons.createRejected(error.message), 'bc-create', {
      details: { code: error.code ?? null, bcCorrelationId: error.correlationId ?? null },
    });
  }
  // Uncertain: the key stays open and the next pass looks it up before anything else.
  await audit(
    deps,
    pass.record.value,
    { step: 'bc-create', outcome: 'error', message: `outcome unknown: ${ensureError(error).message}` },
    pass.context,
  ).catch(() => undefined);
  throw uncertain(error, `BC create of ${key.vendorInvoiceNumber}`);
}

/**
 * BC already holds a document under this key that no attempt of this record wrote: keyed by hand, or
 * another Cin7 invoice reusing the supplier's number. It is taken over only when the totals agree;
 * recording it otherwise would hide a bill that is not in BC.
 */
async function adoptForeign(
  pass: InvoicePass,
  document: BcPurchaseInvoice,
  key: DocumentKey,
): Promise<LedgerState | BcPurchaseInvoice> {
  const { invoice, deps } = pass;
  if (!totalsAgree(document.totalAmountIncludingTax, invoice.Total, deps.settings.amountTolerance)) {
    return park(pass, 'failed', reasons.numberReused(document, key, invoice.Total), 'bc-lookup', {
      details: { bcId: document.id, bcTotal: document.totalAmountIncludingTax ?? null, cin7Total: invoice.Total },
    });
  }
  switch (documentStatus(document)) {
    case 'posted':
      await recordPosted(pass, document, `already posted in BC as ${document.number}; nothing written`);
      return 'posted';
    case 'held':
      return park(pass, 'failed', reasons.held(document), 'bc-lookup', { target: document, keep: [document] });
    case 'draft':
      return document;
  }
}

/**
 * Reconciles the total of the draft as read after it was built with Cin7's (I5), then posts it under a renewed
 * claim.
 */
async function postDraft(pass: InvoicePass, draft: BcPurchaseInvoiceWithLines): Promise<LedgerState> {
  const { invoice, deps } = pass;
  const entry = pass.record.value;
  const continuing = entry.targetId === draft.id && (entry.state === 'created' || entry.state === 'amount-mismatch');
  if (!continuing) await takeOverDraft(pass, draft);
  if (!totalsAgree(draft.totalAmountIncludingTax, invoice.Total, deps.settings.amountTolerance)) {
    return parkMismatch(pass, draft, entry);
  }
  await fence(pass, false);
  let posted: BcPurchaseInvoice;
  try {
    // reference/bc-api.md §3.3 and §1.4: Microsoft.NAV.post (204; the id stays, the number changes) and the
    // read of the posted number travel in one $batch request, so posting costs one BC call.
    posted = await pass.kind.postAndRead(draft.id, deps);
  } catch (error) {
    return settleRefusedPost(pass, draft, error);
  }
  if (documentStatus(posted) !== 'posted') {
    return park(pass, 'failed', reasons.held(posted), 'bc-post', { target: posted, keep: [posted] });
  }
  await recordPosted(pass, posted, `posted as ${posted.number}`);
  return 'posted';
}

/** Records that this pass continues from a draft BC already holds, instead of creating another. */
async function takeOverDraft(pass: InvoicePass, draft: BcPurchaseInvoiceWithLines): Promise<void> {
  const known = pass.record.value.targetId === draft.id;
  await step(
    pass,
    follow(draft, 'created'),
    known
      ? {
          step: 'bc-read',
          outcome: 'info',
          message: `continuing from BC draft ${draft.number}`,
          details: { bcId: draft.id },
        }
      : {
          step: 'bc-lookup',
          outcome: 'ok',
          message: `found BC draft ${draft.number} from an earlier attempt; not creating another`,
          details: { bcId: draft.id },
        },
  );
}

/** Invariant 5: a draft whose total differs from Cin7's is kept unposted, with the tax set-up to check. */
async function parkMismatch(
  pass: InvoicePass,
  draft: BcPurchaseInvoiceWithLines,
  entry: LedgerEntry,
): Promise<LedgerState> {
  const { invoice, deps } = pass;
  const reason = reasons.amountMismatch(draft, invoice.Total, deps.settings.amountTolerance, {
    model: deps.settings.taxModel,
    vendorNumber: keyOf(draft)?.vendorNumber ?? entry.vendorNumber ?? '',
    cin7Tax: invoice.Tax,
    cin7TotalBeforeTax: invoice.TotalBeforeTax,
    taxCodes: [...new Set((pass.body?.purchaseInvoiceLines ?? []).flatMap((l) => l.taxCode ?? []))],
  });
  if (entry.state === 'amount-mismatch' && entry.reason === reason) {
    await releaseClaim(pass);
    return 'amount-mismatch';
  }
  return park(pass, 'amount-mismatch', reason, 'reconcile', {
    details: { bcTotal: draft.totalAmountIncludingTax ?? null, cin7Total: invoice.Total },
  });
}

/** A post that failed: uncertain outcomes are retried after a read; a refusal is checked against a concurrent post. */
async function settleRefusedPost(pass: InvoicePass, draft: BcPurchaseInvoice, error: unknown): Promise<LedgerState> {
  if (!isRejection(error)) {
    // Uncertain (including an answer we could not read): stays `created`; the next pass reads the
    // invoice and posts only a draft.
    throw uncertain(error, `BC post of draft ${draft.number}`);
  }
  // A concurrent worker may have posted it first ("draft invoice only"): check before calling it a failure.
  const now = await pass.kind.get(draft.id, pass.deps);
  if (now && documentStatus(now) === 'posted') {
    await recordPosted(pass, now, `posted (by a concurrent attempt) as ${now.number}`);
    return 'posted';
  }
  if (pass.kind === creditMemoKind && !pass.releasedApplication && now !== undefined) {
    pass.releasedApplication = true;
    const note = await releaseClosedApplication(draft.id, pass.deps, () => fence(pass, false));
    if (note !== undefined) {
      await step(pass, {}, { step: 'bc-post', outcome: 'info', message: note, details: { bcId: draft.id } });
      return postDraft(pass, await readDraft(pass, draft));
    }
  }
  return park(pass, 'failed', reasons.postRejected(draft, error.message), 'bc-post', {
    details: { code: error.code ?? null, bcCorrelationId: error.correlationId ?? null },
  });
}

/** Deletes out-of-date drafts of this record, each under a renewed claim. False when BC refused one. */
async function deleteDrafts(pass: RecordPass, drafts: BcPurchaseInvoice[], why: DeleteReason): Promise<boolean> {
  const { deps } = pass;
  for (const draft of drafts) {
    await fence(pass, true);
    try {
      await pass.kind.remove(draft.id, draft['@odata.etag'] ?? '*', deps);
    } catch (error) {
      if (!isRejection(error)) throw error;
      const left = drafts.slice(drafts.indexOf(draft));
      await park(pass, 'failed', reasons.deleteRefused(draft, error.message), 'bc-delete', {
        target: draft,
        keep: left,
      });
      return false;
    }
  }
  pass.deleted = [...(pass.deleted ?? []), ...drafts];
  const patch: LedgerPatch = drafts.some((d) => d.id === pass.record.value.targetId)
    ? { targetId: undefined, targetNumber: undefined, leaseUntil: undefined }
    : { leaseUntil: undefined };
  await step(pass, patch, {
    step: 'bc-delete',
    outcome: 'ok',
    message: reasons.draftsDeleted(drafts, why),
    details: { deleted: drafts.length },
  });
  return true;
}

async function recordPosted(
  pass: RecordPass,
  posted: BcPurchaseInvoice,
  message: string,
  currentFingerprint?: string,
): Promise<void> {
  await step(
    pass,
    {
      ...follow(posted, 'posted'),
      // A document found under an earlier key was built from what that attempt recorded; one keyed
      // elsewhere is taken as it is now.
      sourceFingerprint: pass.record.value.sourceFingerprint ?? currentFingerprint,
    },
    { step: 'bc-post', outcome: 'ok', message, details: { bcId: posted.id } },
  );
  recordLatency(pass.record.value, pass.deps);
}

/** Posted BC invoices are read-only: a later change in Cin7 is reported, never re-posted (DESIGN §4). */
async function checkPostedUnchanged(pass: InvoicePass, fingerprint: string): Promise<LedgerState> {
  const entry = pass.record.value;
  const voided = pass.invoice.Status.toUpperCase() === 'VOIDED';
  const changed = entry.sourceFingerprint !== undefined && entry.sourceFingerprint !== fingerprint;
  if (entry.state === 'posted' && (voided || changed)) {
    const posted = entry.targetNumber ?? '';
    const noun = pass.kind.noun;
    const reason = voided
      ? reasons.voidedAfterPosting(posted, noun)
      : reasons.changedAfterPosting(posted, noun, await describeChanges(pass, entry.targetId));
    await step(
      pass,
      { state: 'diverged', reason },
      {
        step: 'divergence',
        outcome: 'error',
        message: reason,
        details: { postedFingerprint: entry.sourceFingerprint ?? null, currentFingerprint: fingerprint },
      },
    );
    return 'diverged';
  }
  await audit(
    pass.deps,
    entry,
    { step: 'duplicate', outcome: 'skipped', message: `already ${entry.state}; nothing written` },
    pass.context,
  );
  return entry.state;
}

/**
 * What differs between the posted BC document and the Cin7 document now, for the `diverged` reason: number, date,
 * line count and total (the fingerprint says that something changed, not what). Empty when BC cannot be read.
 */
async function describeChanges(pass: InvoicePass, targetId: string | undefined): Promise<string[]> {
  const posted = targetId === undefined ? undefined : await pass.kind.get(targetId, pass.deps);
  if (posted === undefined) return [];
  const { invoice } = pass;
  const changes: string[] = [];
  const number = invoice.InvoiceNumber?.trim().toUpperCase();
  if (number !== undefined && posted.vendorInvoiceNumber?.endsWith(number) === false) {
    changes.push(`number ${posted.vendorInvoiceNumber ?? ''} → ${number}`);
  }
  const date = invoice.InvoiceDate?.slice(0, 10);
  if (date !== undefined && posted.invoiceDate !== undefined && posted.invoiceDate !== date) {
    changes.push(`date ${posted.invoiceDate} → ${date}`);
  }
  const lines = invoice.Lines.length + invoice.AdditionalCharges.length;
  if (posted.purchaseInvoiceLines.length !== lines) {
    changes.push(`lines ${posted.purchaseInvoiceLines.length} → ${lines}`);
  }
  if (!totalsAgree(posted.totalAmountIncludingTax, invoice.Total, pass.deps.settings.amountTolerance)) {
    changes.push(`total ${(posted.totalAmountIncludingTax ?? 0).toFixed(2)} → ${invoice.Total.toFixed(2)}`);
  }
  return changes;
}

interface ParkOptions {
  missing?: string[];
  sourceFingerprint?: string;
  /** The BC document the reason is about: recorded as the record's target. */
  target?: BcPurchaseInvoice | undefined;
  /** Documents left in BC while the record waits: their keys stay open so the next pass finds them. */
  keep?: readonly BcPurchaseInvoice[];
  details?: Record<string, string | number | boolean | null>;
}

/** Ends the pass in a visible state with its reason; every earlier attempt is settled or kept open. */
async function park(
  pass: RecordPass,
  state: LedgerState,
  reason: string,
  stepName: string,
  options: ParkOptions,
): Promise<LedgerState> {
  const open = (options.keep ?? []).flatMap((d) => keyOf(d) ?? []);
  const details = {
    ...options.details,
    ...(options.missing ? { gaps: options.missing.length } : {}),
  };
  await step(
    pass,
    {
      state,
      reason,
      sourceUpdatedAt: pass.purchase.LastUpdatedDate,
      sourceNumber: pass.purchase.OrderNumber,
      missing: options.missing,
      openAttempts: open.length > 0 ? open : undefined,
      leaseUntil: undefined,
      ...(options.sourceFingerprint !== undefined ? { sourceFingerprint: options.sourceFingerprint } : {}),
      ...(options.target ? { targetId: options.target.id, targetNumber: options.target.number } : {}),
    },
    {
      step: stepName,
      outcome: state === 'skipped' ? 'skipped' : 'error',
      message: reason,
      ...(Object.keys(details).length > 0 ? { details } : {}),
    },
  );
  return state;
}

/** The record now follows `document` in BC, in `state`: every earlier attempt and gap is settled. */
function follow(document: BcPurchaseInvoice, state: 'created' | 'posted'): LedgerPatch {
  return {
    state,
    targetId: document.id,
    targetNumber: document.number,
    ...keyPatch(document),
    openAttempts: undefined,
    leaseUntil: undefined,
    missing: undefined,
    reason: undefined,
  };
}

function keyPatch(document: BcPurchaseInvoice): LedgerPatch {
  const key = keyOf(document);
  return key ? { vendorNumber: key.vendorNumber, vendorInvoiceNumber: key.vendorInvoiceNumber } : {};
}

/** BC answered with an error about the data (HTTP 4xx), as opposed to an answer we could not read. */
function isRejection(error: unknown): error is ValidationError {
  return error instanceof ValidationError && error.status !== undefined && error.status >= 400 && error.status < 500;
}

/** BC answered 4xx (a refusal or a record it could not find), so the request changed nothing. */
function isAnswered(error: unknown): error is Error {
  return isConnectorError(error) && error.status !== undefined && error.status >= 400 && error.status < 500;
}

/** A failure whose outcome in BC is unknown becomes retryable, so the next pass looks BC up first. */
function uncertain(error: unknown, operation: string): Error {
  if (error instanceof ValidationError) {
    return new TransientError(`${operation}: BC's answer could not be read (${error.message}); will check BC again`, {
      system: 'bc',
      cause: error,
    });
  }
  return ensureError(error);
}

async function noteError(pass: RecordPass, error: unknown): Promise<void> {
  const err = ensureError(error);
  const kind = isConnectorError(err) ? err.kind : 'unexpected';
  try {
    await audit(
      pass.deps,
      pass.record.value,
      { step: 'attempt', outcome: 'error', message: `${kind}: ${err.message}`, details: { kind } },
      pass.context,
    );
  } catch {
    // The original error matters more; the runner records the final outcome.
  }
}

function label(pass: RecordPass): string {
  return pass.record.value.label ?? pass.record.value.recordId;
}

function recordLatency(record: LedgerEntry, deps: SyncDeps): void {
  if (!record.firstSeenAt) return;
  const latency = deps.clock.now() - Date.parse(record.firstSeenAt);
  if (Number.isFinite(latency)) deps.telemetry.metric('e2e.latency.ms', latency, { recordType: record.recordType });
}
