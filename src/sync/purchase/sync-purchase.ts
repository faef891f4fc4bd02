/**
 * Authorised Cin7 supplier invoices → posted BC purchase invoices, exactly once (DESIGN §3.1–3.5).
 *
 * For each invoice of a purchase the ledger moves pending → creating → created → posted (or to a visible
 * end state). Every step is recorded before the next BC write, so a crash or an uncertain answer at any
 * point is recovered by looking BC up (vendor + vendor invoice number) instead of writing again.
 */
import type { BcPurchaseInvoice } from '../../bc/schemas.js';
import type { Cin7Purchase, Cin7PurchaseInvoice } from '../../cin7/schemas.js';
import { invoiceEligibility } from '../../mapping/eligibility.js';
import { fingerprintInvoice } from '../../mapping/fingerprint.js';
import { MappingIndex } from '../../mapping/reference-data.js';
import { toBcPurchaseInvoice } from '../../mapping/to-bc-purchase-invoice.js';
import type { SyncDeps } from '../deps.js';
import {
  ConflictError,
  NotFoundError,
  TransientError,
  ValidationError,
  ensureError,
  isConnectorError,
} from '../../core/errors.js';
import type { LedgerEntry, Versioned } from '../../core/ports/stores.js';
import type { SyncJob } from '../../core/ports/jobs.js';
import { audit, openRecord, transition, type LedgerPatch, type RecordContext } from '../jobs/record.js';
import { RecordFailures } from '../jobs/record-failures.js';
import { resolveVendor } from '../master-data/resolve-vendor.js';

export type PurchaseJob = Extract<SyncJob, { type: 'cin7-purchase' }>;

export interface InvoiceOutcome {
  recordId: string;
  state: LedgerEntry['state'];
  /** Set when processing this invoice failed with an error (the record keeps its last state). */
  error?: Error;
}

/** How stale reference data may be before a mapping gap triggers a reload (outside replays). */
const gapReloadIntervalMs = 60_000;

export function purchaseInvoiceRecordId(purchaseId: string, invoiceTaskId: string): string {
  return `${purchaseId.toLowerCase()}/${invoiceTaskId.toLowerCase()}`;
}

/** Processes every invoice of one purchase. Throws `RecordFailures` when any invoice failed. */
export async function syncPurchase(
  job: PurchaseJob,
  context: RecordContext,
  deps: SyncDeps,
): Promise<InvoiceOutcome[]> {
  const purchase = await readPurchase(job, deps);
  const outcomes: InvoiceOutcome[] = [];
  const invoices = job.invoiceTaskId
    ? purchase.Invoice.filter((i) => i.TaskID.toLowerCase() === job.invoiceTaskId?.toLowerCase())
    : purchase.Invoice;

  if (job.invoiceTaskId && invoices.length === 0) {
    outcomes.push(await recordInvoiceGone(purchase, job.invoiceTaskId, context, deps));
    return outcomes;
  }
  if (purchase.Invoice.length === 0) {
    outcomes.push(await recordNoInvoice(purchase, context, deps));
    return outcomes;
  }
  for (const invoice of invoices) {
    const recordId = purchaseInvoiceRecordId(purchase.ID, invoice.TaskID);
    try {
      outcomes.push({ recordId, state: await syncInvoice(purchase, invoice, recordId, context, deps) });
    } catch (error) {
      outcomes.push({ recordId, state: 'pending', error: ensureError(error) });
    }
  }
  const failures = outcomes.flatMap((o) => (o.error ? [{ recordId: o.recordId, error: o.error }] : []));
  if (failures.length > 0) throw new RecordFailures(failures);
  return outcomes;
}

/**
 * Reads the purchase back from Cin7; the webhook body is never trusted (DESIGN §4). A webhook's TaskID is
 * often not the purchase ID, so an ID that does not load falls back to the order number.
 */
export async function readPurchase(job: PurchaseJob, deps: Pick<SyncDeps, 'cin7'>): Promise<Cin7Purchase> {
  // A trusted purchase ID (poll, fat webhook, replay) costs one call. A thin webhook's TaskID is usually an
  // invoice task, not the purchase (reference §7.3), so its order number is tried before the TaskID.
  const byId = async (id: string | undefined): Promise<Cin7Purchase | undefined> => {
    if (!id) return undefined;
    try {
      return await deps.cin7.getPurchase(id);
    } catch (error) {
      // A wrong TaskID can be answered as "not found" or "bad id"; the other keys settle it.
      if (error instanceof NotFoundError || error instanceof ValidationError) return undefined;
      throw error;
    }
  };
  const byOrderNumber = async (orderNumber: string | undefined): Promise<Cin7Purchase | undefined> => {
    if (!orderNumber) return undefined;
    const wanted = orderNumber.trim().toUpperCase();
    for await (const row of deps.cin7.listPurchases({ search: orderNumber })) {
      if (row.OrderNumber.trim().toUpperCase() !== wanted) continue;
      const purchase = await deps.cin7.getPurchase(row.ID);
      if (purchase) return purchase;
    }
    return undefined;
  };
  const purchase = (await byId(job.purchaseId)) ?? (await byOrderNumber(job.orderNumber)) ?? (await byId(job.taskId));
  if (purchase) return purchase;
  throw new NotFoundError(
    `Cin7 purchase not found (ID ${job.purchaseId ?? job.taskId ?? '-'}, order ${job.orderNumber ?? '-'}); check it exists in Cin7, then replay`,
    { system: 'cin7' },
  );
}

/**
 * A replayed invoice that is no longer on its purchase (deleted in Cin7): posted in BC means the two now
 * disagree (`diverged`); otherwise there is nothing left to create (`skipped`). Either way it is said.
 */
async function recordInvoiceGone(
  purchase: Cin7Purchase,
  invoiceTaskId: string,
  context: RecordContext,
  deps: SyncDeps,
): Promise<InvoiceOutcome> {
  const recordId = purchaseInvoiceRecordId(purchase.ID, invoiceTaskId);
  const record = await openRecord(
    deps,
    'purchase-invoice',
    recordId,
    context,
    `${purchase.OrderNumber} / ${invoiceTaskId}`,
  );
  // An earlier create with an unknown outcome is settled by BC's answer, as everywhere else.
  const earlier = record.value.state === 'creating' ? await findRecordedAttempt(record.value, deps) : undefined;
  const posted =
    record.value.state === 'posted' ||
    record.value.state === 'diverged' ||
    (earlier !== undefined && earlier.status !== 'Draft');
  const drafted = !posted && (record.value.targetId !== undefined || earlier !== undefined);
  const state = posted || drafted ? 'diverged' : 'skipped';
  const reason = posted
    ? `the Cin7 invoice was removed from ${purchase.OrderNumber} after it was posted in BC as ${earlier?.number ?? record.value.targetNumber ?? ''}: reverse it in BC`
    : drafted
      ? `the Cin7 invoice was removed from ${purchase.OrderNumber} but BC draft ${earlier?.number ?? record.value.targetNumber ?? record.value.targetId ?? ''} exists: delete the draft in BC`
      : `the invoice is no longer on purchase ${purchase.OrderNumber} in Cin7`;
  const target = earlier ? { targetId: earlier.id, targetNumber: earlier.number } : {};
  await transition(
    deps,
    record,
    { state, reason, attempts: record.value.attempts + 1, leaseUntil: undefined, ...target },
    { step: 'read-cin7', outcome: state === 'skipped' ? 'skipped' : 'error', message: reason },
    context,
  );
  return { recordId, state };
}

/** A purchase still at the order stage: visible as skipped, so a webhook for it is never silently lost. */
async function recordNoInvoice(
  purchase: Cin7Purchase,
  context: RecordContext,
  deps: SyncDeps,
): Promise<InvoiceOutcome> {
  const recordId = `${purchase.ID.toLowerCase()}/-`;
  const record = await openRecord(deps, 'purchase-invoice', recordId, context, `${purchase.OrderNumber} (no invoice)`);
  const reason = `no invoice stage yet (purchase status ${purchase.Status})`;
  if (record.value.state !== 'skipped' || record.value.reason !== reason) {
    await transition(
      deps,
      record,
      { state: 'skipped', reason, attempts: record.value.attempts + 1 },
      { step: 'eligibility', outcome: 'skipped', message: reason },
      context,
    );
  }
  return { recordId, state: 'skipped' };
}

async function syncInvoice(
  purchase: Cin7Purchase,
  invoice: Cin7PurchaseInvoice,
  recordId: string,
  context: RecordContext,
  deps: SyncDeps,
): Promise<LedgerEntry['state']> {
  const label = `${purchase.OrderNumber} / ${invoice.InvoiceNumber ?? invoice.TaskID}`;
  let record = await openRecord(deps, 'purchase-invoice', recordId, { ...context }, label);
  const recordContext: RecordContext = { ...context, correlationId: record.value.correlationId };
  const sourceFingerprint = fingerprintInvoice(purchase, invoice);

  // A concurrent worker may move the record between our read and write; re-read and decide again.
  for (let round = 0; ; round += 1) {
    try {
      return await advance(purchase, invoice, record, sourceFingerprint, recordContext, deps);
    } catch (error) {
      if (!(error instanceof ConflictError) || round >= 3) {
        await noteError(deps, record.value, error, recordContext);
        throw error;
      }
      const latest = await deps.stores.ledger.get('purchase-invoice', recordId);
      if (!latest) throw error;
      record = latest;
    }
  }
}

async function advance(
  purchase: Cin7Purchase,
  invoice: Cin7PurchaseInvoice,
  record: Versioned<LedgerEntry>,
  sourceFingerprint: string,
  context: RecordContext,
  deps: SyncDeps,
): Promise<LedgerEntry['state']> {
  const state = record.value.state;
  const base: LedgerPatch = { attempts: record.value.attempts + 1, sourceUpdatedAt: purchase.LastUpdatedDate };

  if (state === 'posted' || state === 'diverged') {
    return checkPostedUnchanged(invoice, record, sourceFingerprint, context, deps);
  }

  const eligibility = invoiceEligibility(purchase, invoice, deps.settings.eligibleApproaches);
  if (!eligibility.eligible) {
    if (state === 'created' || state === 'amount-mismatch') {
      const reason = `Cin7 invoice is no longer eligible (${eligibility.reason}) but BC draft ${record.value.targetNumber ?? record.value.targetId} exists: delete the draft in BC, or re-authorise in Cin7 and replay`;
      await transition(
        deps,
        record,
        { ...base, state: 'diverged', reason },
        { step: 'eligibility', outcome: 'error', message: reason },
        context,
      );
      return 'diverged';
    }
    // 'creating' means a BC write may have happened: the look-up settles it before anything is skipped.
    const earlier = state === 'creating' ? await findRecordedAttempt(record.value, deps) : undefined;
    if (earlier) {
      if (earlier.status !== 'Draft') {
        await transition(
          deps,
          record,
          { ...base, state: 'posted', targetId: earlier.id, targetNumber: earlier.number, leaseUntil: undefined },
          { step: 'bc-lookup', outcome: 'ok', message: `already posted in BC as ${earlier.number}` },
          context,
        );
        return checkPostedUnchanged(
          invoice,
          (await deps.stores.ledger.get('purchase-invoice', record.value.recordId)) ?? record,
          sourceFingerprint,
          context,
          deps,
        );
      }
      const reason = `Cin7 invoice is no longer eligible (${eligibility.reason}) but BC draft ${earlier.number} exists: delete the draft in BC, or re-authorise in Cin7 and replay`;
      await transition(
        deps,
        record,
        {
          ...base,
          state: 'diverged',
          reason,
          targetId: earlier.id,
          targetNumber: earlier.number,
          leaseUntil: undefined,
        },
        { step: 'eligibility', outcome: 'error', message: reason },
        context,
      );
      return 'diverged';
    }
    await transition(
      deps,
      record,
      { ...base, state: 'skipped', reason: eligibility.reason, sourceFingerprint, leaseUntil: undefined },
      { step: 'eligibility', outcome: 'skipped', message: eligibility.reason },
      context,
    );
    return 'skipped';
  }

  if (state === 'created' || state === 'amount-mismatch') {
    return continueFromDraft(invoice, record, base, sourceFingerprint, context, deps);
  }

  // pending, creating, skipped, needs-mapping, failed: build (or rebuild) the BC invoice.
  const vendor = await resolveVendor(purchase, deps);
  const mappings = new MappingIndex(await deps.stores.mappings.list());
  const translate = async () =>
    toBcPurchaseInvoice({
      purchase,
      invoice,
      vendorNumber: vendor.vendorNumber,
      reference: await deps.reference.get(),
      mappings,
      options: {
        lineMode: deps.settings.lineMode,
        vendorInvoiceNumberFallback: deps.settings.vendorInvoiceNumberFallback,
        postingDatePolicy: deps.settings.postingDatePolicy,
        today: new Date(deps.clock.now()).toISOString().slice(0, 10),
      },
    });
  let translated = await translate();
  if (!translated.ok) {
    // A gap may be an account or dimension value added in BC since the cache was filled (the operator's fix
    // before a replay): look once more at fresh reference data before parking the record. Outside a replay
    // the reload happens at most once a minute, so a gap shared by a whole backfill does not reload per record.
    deps.reference.invalidateIfOlderThan(context.trigger === 'replay' ? 0 : gapReloadIntervalMs);
    translated = await translate();
  }
  if (!translated.ok) {
    const missing =
      vendor.vendorNumber === undefined && vendor.gap
        ? [vendor.gap, ...translated.missing.filter((m) => !m.startsWith('vendor:'))]
        : translated.missing;
    if (state === 'creating') {
      // A create may have reached BC before the mappings changed: never park it blind. Look it up first.
      const found = await findRecordedAttempt(record.value, deps);
      if (found) return adoptExisting(found, true, invoice, record, base, sourceFingerprint, context, deps);
    }
    const reason = `${missing.length} mapping gap(s): ${missing.join('; ')}`;
    await transition(
      deps,
      record,
      { ...base, state: 'needs-mapping', missing, reason, sourceFingerprint },
      { step: 'resolve-mappings', outcome: 'error', message: reason, details: { gaps: missing.length } },
      context,
    );
    return 'needs-mapping';
  }

  const { body, vendorInvoiceNumber } = translated;
  const now = deps.clock.now();
  if (state === 'creating' && record.value.leaseUntil !== undefined && Date.parse(record.value.leaseUntil) > now) {
    // Another worker recorded the intent moments ago and may be creating right now. Back off like any
    // transient failure: it usually finishes within a second, and the retry delays (30 s doubling by
    // default) outlast a crashed worker's lease long before MAX_ATTEMPTS runs out.
    throw new TransientError(
      `${record.value.label ?? record.value.recordId}: another worker is creating this invoice in BC; will look again`,
      { system: 'bc' },
    );
  }
  // Invariant 1: the intent (and a lease) is recorded before the write, so a crash after it is found by the
  // look-up below, and a concurrent worker sees the lease and backs off.
  const creating = await transition(
    deps,
    record,
    {
      ...base,
      state: 'creating',
      vendorNumber: body.vendorNumber,
      vendorInvoiceNumber,
      sourceFingerprint,
      sourceNumber: purchase.OrderNumber,
      leaseUntil: new Date(now + deps.settings.createLeaseMs).toISOString(),
      missing: undefined,
      reason: undefined,
    },
    {
      step: 'resolve-mappings',
      outcome: 'ok',
      message: `coded to vendor ${body.vendorNumber} (${'how' in vendor ? vendor.how : 'mapping'}), ${body.purchaseInvoiceLines.length} line(s)`,
    },
    context,
  );

  let existing: BcPurchaseInvoice | undefined;
  try {
    // An earlier attempt may have written under the vendor and number it recorded then (a mapping has
    // changed since): that one is looked up too, so a changed mapping cannot lead to a second invoice.
    const recordedElsewhere =
      state === 'creating' &&
      (record.value.vendorNumber !== body.vendorNumber || record.value.vendorInvoiceNumber !== vendorInvoiceNumber);
    existing =
      (await findExisting(body.vendorNumber, vendorInvoiceNumber, deps)) ??
      (recordedElsewhere ? await findRecordedAttempt(record.value, deps) : undefined);
  } catch (error) {
    // Nothing was written, and this worker stops here: free the lease so the retry is not held back.
    await transition(
      deps,
      creating,
      { leaseUntil: undefined },
      { step: 'bc-lookup', outcome: 'error', message: `look-up failed: ${ensureError(error).message}` },
      context,
    ).catch(() => undefined);
    throw error;
  }
  if (existing)
    return adoptExisting(existing, state === 'creating', invoice, creating, base, sourceFingerprint, context, deps);

  let created: BcPurchaseInvoice;
  try {
    // reference/bc-api.md §1.5: deep insert of header, lines and line dimensions in one atomic request.
    created = await deps.bc.createPurchaseInvoice(body);
  } catch (error) {
    if (isRejection(error)) {
      // BC rejected the data (a reference changed since our cache was filled): refresh and park visibly.
      deps.reference.invalidate();
      const reason = `BC rejected the invoice: ${error.message}`;
      await transition(
        deps,
        creating,
        { state: 'failed', reason, leaseUntil: undefined },
        {
          step: 'bc-create',
          outcome: 'error',
          message: reason,
          details: { code: error.code ?? null, bcCorrelationId: error.correlationId ?? null },
        },
        context,
      );
      return 'failed';
    }
    // Uncertain: the record stays `creating` and the next attempt looks BC up first. This worker is no
    // longer writing, so it gives up its lease (best effort: a crash leaves the lease to expire).
    await transition(
      deps,
      creating,
      { leaseUntil: undefined },
      { step: 'bc-create', outcome: 'error', message: `outcome unknown: ${ensureError(error).message}` },
      context,
    ).catch(() => undefined);
    throw uncertain(error, `BC create of ${vendorInvoiceNumber}`);
  }
  const draft = await transition(
    deps,
    creating,
    { state: 'created', targetId: created.id, targetNumber: created.number, leaseUntil: undefined },
    { step: 'bc-create', outcome: 'ok', message: `BC draft ${created.number} created`, details: { bcId: created.id } },
    context,
  );
  return reconcileAndPost(created, invoice, draft, context, deps);
}

/** What an earlier `creating` attempt may have written, under the vendor and number it recorded. */
async function findRecordedAttempt(entry: LedgerEntry, deps: SyncDeps): Promise<BcPurchaseInvoice | undefined> {
  if (!entry.vendorNumber || !entry.vendorInvoiceNumber) return undefined;
  return findExisting(entry.vendorNumber, entry.vendorInvoiceNumber, deps);
}

/** Drafts and posted invoices for this vendor + vendor invoice number; more than one is a data problem. */
async function findExisting(
  vendorNumber: string,
  vendorInvoiceNumber: string,
  deps: SyncDeps,
): Promise<BcPurchaseInvoice | undefined> {
  const found = await deps.bc.findPurchaseInvoices({ vendorNumber, vendorInvoiceNumber });
  return found.find((i) => i.status !== 'Draft') ?? found[0];
}

/**
 * Takes over the BC invoice found under this vendor + vendor invoice number instead of creating one. When no
 * earlier attempt of ours can have written it (`mayBeOurs` false), it was keyed by someone else or belongs to
 * another Cin7 invoice with the same supplier number: it is adopted only if the amounts agree, otherwise the
 * record is parked, because recording it as posted would hide a bill that is not in BC.
 */
async function adoptExisting(
  existing: BcPurchaseInvoice,
  mayBeOurs: boolean,
  invoice: Cin7PurchaseInvoice,
  record: Versioned<LedgerEntry>,
  base: LedgerPatch,
  sourceFingerprint: string,
  context: RecordContext,
  deps: SyncDeps,
): Promise<LedgerEntry['state']> {
  const bcTotal = existing.totalAmountIncludingTax;
  if (
    !mayBeOurs &&
    bcTotal !== undefined &&
    bcTotal !== null &&
    Math.abs(bcTotal - invoice.Total) > deps.settings.amountTolerance + 1e-9
  ) {
    const reason = `BC already has ${existing.status === 'Draft' ? 'draft' : 'posted'} invoice ${existing.number} from vendor ${record.value.vendorNumber ?? ''} with supplier invoice number ${record.value.vendorInvoiceNumber ?? ''} for ${bcTotal.toFixed(2)}, but this Cin7 invoice totals ${invoice.Total.toFixed(2)}: a supplier number used twice; correct the number in Cin7 (or the invoice in BC), then replay`;
    await transition(
      deps,
      record,
      { ...base, state: 'failed', reason, leaseUntil: undefined },
      {
        step: 'bc-lookup',
        outcome: 'error',
        message: reason,
        details: { bcId: existing.id, bcTotal, cin7Total: invoice.Total },
      },
      context,
    );
    return 'failed';
  }
  if (existing.status !== 'Draft') {
    await transition(
      deps,
      record,
      {
        ...base,
        state: 'posted',
        targetId: existing.id,
        targetNumber: existing.number,
        sourceFingerprint,
        missing: undefined,
        reason: undefined,
        leaseUntil: undefined,
      },
      {
        step: 'bc-lookup',
        outcome: 'ok',
        message: `already posted in BC as ${existing.number}; nothing written`,
        details: { bcId: existing.id },
      },
      context,
    );
    recordLatency(record.value, deps);
    return 'posted';
  }
  const draft = await transition(
    deps,
    record,
    {
      ...base,
      state: 'created',
      targetId: existing.id,
      targetNumber: existing.number,
      sourceFingerprint,
      missing: undefined,
      reason: undefined,
      leaseUntil: undefined,
    },
    {
      step: 'bc-lookup',
      outcome: 'ok',
      message: `found BC draft ${existing.number} from an earlier attempt; not creating another`,
      details: { bcId: existing.id },
    },
    context,
  );
  return reconcileAndPost(existing, invoice, draft, context, deps);
}

async function continueFromDraft(
  invoice: Cin7PurchaseInvoice,
  record: Versioned<LedgerEntry>,
  base: LedgerPatch,
  sourceFingerprint: string,
  context: RecordContext,
  deps: SyncDeps,
): Promise<LedgerEntry['state']> {
  const targetId = record.value.targetId;
  const current = targetId ? await deps.bc.getPurchaseInvoice(targetId) : undefined;
  if (!current) {
    const reason = `BC draft ${record.value.targetNumber ?? targetId ?? ''} no longer exists (deleted in BC?): replay after checking BC to create it again`;
    await transition(
      deps,
      record,
      { ...base, state: 'failed', reason, targetId: undefined, targetNumber: undefined },
      { step: 'bc-read', outcome: 'error', message: reason },
      context,
    );
    return 'failed';
  }
  const updated = await transition(
    deps,
    record,
    { ...base, sourceFingerprint },
    {
      step: 'bc-read',
      outcome: 'info',
      message: `continuing from BC ${current.status.toLowerCase()} ${current.number}`,
    },
    context,
  );
  if (current.status !== 'Draft') return markPosted(current, updated, context, deps, 'posted earlier; recorded now');
  return reconcileAndPost(current, invoice, updated, context, deps);
}

/** Invariant 5: BC's total must match Cin7's within the tolerance before anything is posted. */
async function reconcileAndPost(
  draft: BcPurchaseInvoice,
  invoice: Cin7PurchaseInvoice,
  record: Versioned<LedgerEntry>,
  context: RecordContext,
  deps: SyncDeps,
): Promise<LedgerEntry['state']> {
  const bcTotal = draft.totalAmountIncludingTax ?? Number.NaN;
  const difference = Math.abs(bcTotal - invoice.Total);
  if (!(difference <= deps.settings.amountTolerance + 1e-9)) {
    const reason = `BC total ${bcTotal.toFixed(2)} differs from Cin7 total ${invoice.Total.toFixed(2)} by ${difference.toFixed(2)} (tolerance ${deps.settings.amountTolerance}); draft ${draft.number} kept, not posted`;
    if (record.value.state !== 'amount-mismatch' || record.value.reason !== reason) {
      await transition(
        deps,
        record,
        { state: 'amount-mismatch', reason },
        { step: 'reconcile', outcome: 'error', message: reason, details: { bcTotal, cin7Total: invoice.Total } },
        context,
      );
    }
    return 'amount-mismatch';
  }
  let posted: BcPurchaseInvoice;
  try {
    // reference/bc-api.md §3.3 and §1.4: Microsoft.NAV.post (204; the id stays, the number changes) and the
    // read of the posted number travel in one $batch request, so posting costs one BC call.
    posted = await deps.bc.postPurchaseInvoiceAndRead(draft.id);
  } catch (error) {
    if (isRejection(error)) {
      // A concurrent worker may have posted it first ("draft invoice only"): check before calling it a failure.
      const now = await deps.bc.getPurchaseInvoice(draft.id);
      if (now && now.status !== 'Draft')
        return markPosted(now, record, context, deps, `posted (by a concurrent attempt) as ${now.number}`);
      const reason = `BC refused to post draft ${draft.number}: ${error.message}`;
      await transition(
        deps,
        record,
        { state: 'failed', reason },
        {
          step: 'bc-post',
          outcome: 'error',
          message: reason,
          details: { code: error.code ?? null, bcCorrelationId: error.correlationId ?? null },
        },
        context,
      );
      return 'failed';
    }
    // Uncertain (including an answer we could not read): stays `created`; the next attempt reads the
    // invoice and posts only a draft.
    throw uncertain(error, `BC post of draft ${draft.number}`);
  }
  return markPosted(posted, record, context, deps, `posted as ${posted.number}`);
}

/** BC answered with an error about the data (HTTP 4xx), as opposed to an answer we could not read. */
function isRejection(error: unknown): error is ValidationError {
  return error instanceof ValidationError && error.status !== undefined && error.status >= 400 && error.status < 500;
}

/** A failure whose outcome in BC is unknown becomes retryable, so the next attempt looks BC up first. */
function uncertain(error: unknown, operation: string): Error {
  if (error instanceof ValidationError) {
    return new TransientError(`${operation}: BC's answer could not be read (${error.message}); will check BC again`, {
      system: 'bc',
      cause: error,
    });
  }
  return ensureError(error);
}

async function markPosted(
  posted: BcPurchaseInvoice,
  record: Versioned<LedgerEntry>,
  context: RecordContext,
  deps: SyncDeps,
  message: string,
): Promise<LedgerEntry['state']> {
  await transition(
    deps,
    record,
    { state: 'posted', targetId: posted.id, targetNumber: posted.number, reason: undefined },
    { step: 'bc-post', outcome: 'ok', message, details: { bcId: posted.id } },
    context,
  );
  recordLatency(record.value, deps);
  return 'posted';
}

/** Posted BC invoices are read-only: a later change in Cin7 is reported, never re-posted (DESIGN §4). */
async function checkPostedUnchanged(
  invoice: Cin7PurchaseInvoice,
  record: Versioned<LedgerEntry>,
  sourceFingerprint: string,
  context: RecordContext,
  deps: SyncDeps,
): Promise<LedgerEntry['state']> {
  const voided = invoice.Status.toUpperCase() === 'VOIDED';
  const changed = record.value.sourceFingerprint !== undefined && record.value.sourceFingerprint !== sourceFingerprint;
  if (record.value.state === 'posted' && (voided || changed)) {
    const reason = voided
      ? `Cin7 invoice was voided after it was posted in BC as ${record.value.targetNumber ?? ''}: reverse it in BC (e.g. a corrective credit memo)`
      : `Cin7 invoice changed after it was posted in BC as ${record.value.targetNumber ?? ''}: review and correct in BC`;
    await transition(
      deps,
      record,
      { state: 'diverged', reason, attempts: record.value.attempts + 1 },
      {
        step: 'divergence',
        outcome: 'error',
        message: reason,
        details: { postedFingerprint: record.value.sourceFingerprint ?? null, currentFingerprint: sourceFingerprint },
      },
      context,
    );
    return 'diverged';
  }
  await audit(
    deps,
    record.value,
    { step: 'duplicate', outcome: 'skipped', message: `already ${record.value.state}; nothing written` },
    context,
  );
  return record.value.state;
}

async function noteError(deps: SyncDeps, record: LedgerEntry, error: unknown, context: RecordContext): Promise<void> {
  const err = ensureError(error);
  const kind = isConnectorError(err) ? err.kind : 'unexpected';
  try {
    await audit(
      deps,
      record,
      { step: 'attempt', outcome: 'error', message: `${kind}: ${err.message}`, details: { kind } },
      context,
    );
  } catch {
    // The original error matters more; the runner records the final outcome.
  }
}

function recordLatency(record: LedgerEntry, deps: SyncDeps): void {
  if (!record.firstSeenAt) return;
  const latency = deps.clock.now() - Date.parse(record.firstSeenAt);
  if (Number.isFinite(latency)) deps.telemetry.metric('e2e.latency.ms', latency, { recordType: record.recordType });
}
