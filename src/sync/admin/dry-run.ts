/**
 * `sync --dry-run`: the purchase poll and translation of a real sync, showing the BC invoice each eligible
 * Cin7 invoice WOULD become — and writing nothing, to BC or to storage. Vendors are resolved without saving
 * the match as a mapping and without creating one; the watermark does not move; no ledger row is opened.
 */
import type { BcPurchaseCreditMemoCreate, BcPurchaseInvoiceCreate } from '../../bc/schemas.js';
import type { Cin7Purchase, Cin7PurchaseInvoice, Cin7Supplier } from '../../cin7/schemas.js';
import { invoiceEligibility } from '../../mapping/eligibility.js';
import { MappingIndex, type BcReferenceData } from '../../mapping/reference-data.js';
import { toBcPurchaseInvoice, unmatchedVendorGap } from '../../mapping/to-bc-purchase-invoice.js';
import { matchVendor } from '../../mapping/to-bc-vendor.js';
import type { SyncDeps } from '../deps.js';
import { ensureError } from '../../core/errors.js';
import type { LedgerState, Mapping } from '../../core/ports/stores.js';
import { cin7PurchaseWatermark } from '../purchase/poll-cin7.js';
import { pollWindowStart } from '../jobs/intake.js';
import { readProductUnits } from '../purchase/product-units.js';
import { purchaseInvoiceRecordId } from '../purchase/sync-purchase.js';
import { creditMemoKind, invoiceKind, translateOptionsFor, type DocumentKind } from '../purchase/document-kinds.js';
import { previewCreditNotes } from './dry-run-credit-notes.js';
import { isClaim } from './mappings.js';
import type { Progress } from './landscape.js';

export type DryRunOutcome =
  /** Eligible and fully coded: this is the BC invoice a sync would create and post. */
  | 'would-create'
  /** The ledger says it is already in BC (posted, or a draft exists): a sync writes no new invoice. */
  | 'already-in-bc'
  | 'skipped'
  | 'needs-mapping'
  /** Reading it failed (the message says why). */
  | 'error';

export interface DryRunInvoice {
  recordId: string;
  label: string;
  outcome: DryRunOutcome;
  ledgerState?: LedgerState;
  reason?: string;
  missing?: string[];
  vendor?: { number: string; name?: string; how: string };
  invoice?: BcPurchaseInvoiceCreate;
  creditMemo?: BcPurchaseCreditMemoCreate;
  totals?: { currency: string; lines: number; netAmount: number; cin7Tax?: number; cin7Total: number };
}

export interface DryRunReport {
  since: string;
  until: string;
  purchasesListed: number;
  purchasesRead: number;
  invoices: DryRunInvoice[];
  counts: Record<DryRunOutcome, number>;
}

/** Same rule as the poll (poll-cin7.ts): a purchase whose invoice stage has not started is not read. */
const noInvoiceYet = new Set(['NOT AVAILABLE', 'NOT INVOICED', 'DRAFT']);

const inBcStates = new Set<LedgerState>(['creating', 'created', 'posted', 'amount-mismatch', 'diverged']);

const round2 = (n: number): number => Math.round(n * 100) / 100;

type DryRunDeps = Pick<SyncDeps, 'cin7' | 'stores' | 'reference' | 'clock' | 'settings'>;

export async function dryRunSync(
  deps: DryRunDeps,
  options: { since?: Date; progress?: Progress } = {},
): Promise<DryRunReport> {
  const progress = options.progress ?? (() => undefined);
  const runStart = deps.clock.now();
  const since = await pollStart(deps, options.since, runStart);
  progress(`listing Cin7 purchases changed since ${since.toISOString()}`);
  const { listed, rows } = await listInvoicedPurchases(deps, since);

  const mappingRows = await deps.stores.mappings.list();
  const ctx: PreviewContext = {
    deps,
    reference: await deps.reference.get(),
    mappings: new MappingIndex(mappingRows.filter((m) => !isClaim(m))),
    mappingRows,
    suppliers: new Map(),
    today: new Date(deps.clock.now()).toISOString().slice(0, 10),
  };
  const invoices: DryRunInvoice[] = [];
  for (const [index, row] of rows.entries()) {
    progress(`[${index + 1}/${rows.length}] ${row.OrderNumber}`);
    invoices.push(...(await previewPurchase(row, ctx)));
  }
  const counts: Record<DryRunOutcome, number> = {
    'would-create': 0,
    'already-in-bc': 0,
    skipped: 0,
    'needs-mapping': 0,
    error: 0,
  };
  for (const invoice of invoices) counts[invoice.outcome] += 1;
  return {
    since: since.toISOString(),
    until: new Date(runStart).toISOString(),
    purchasesListed: listed,
    purchasesRead: rows.length,
    invoices,
    counts,
  };
}

/** Where the poll would start (see `pollWindowStart`); the watermark is read only when no `--since` is given. */
async function pollStart(deps: DryRunDeps, since: Date | undefined, runStart: number): Promise<Date> {
  const mark = since ? undefined : await deps.stores.watermarks.get(cin7PurchaseWatermark);
  return pollWindowStart(deps.settings, runStart, mark, since);
}

type PurchaseRow = { ID: string; OrderNumber: string };

async function listInvoicedPurchases(deps: DryRunDeps, since: Date): Promise<{ listed: number; rows: PurchaseRow[] }> {
  const rows: PurchaseRow[] = [];
  let listed = 0;
  for await (const row of deps.cin7.listPurchases({ updatedSince: since })) {
    listed += 1;
    const invoiceStatus = (row.CombinedInvoiceStatus ?? row.InvoiceStatus ?? '').toUpperCase();
    if (noInvoiceYet.has(invoiceStatus) || row.Status.toUpperCase() === 'DRAFT') continue;
    rows.push({ ID: row.ID, OrderNumber: row.OrderNumber });
  }
  return { listed, rows };
}

/** Reads one purchase and previews each of its invoices; a purchase that cannot be read is one error row. */
async function previewPurchase(row: PurchaseRow, ctx: PreviewContext): Promise<DryRunInvoice[]> {
  const unread = (reason: string): DryRunInvoice[] => [
    { recordId: `${row.ID.toLowerCase()}/-`, label: row.OrderNumber, outcome: 'error', reason },
  ];
  let purchase: Cin7Purchase | undefined;
  try {
    purchase = await ctx.deps.cin7.getPurchase(row.ID);
  } catch (error) {
    return unread(`could not read the purchase: ${ensureError(error).message}`);
  }
  if (!purchase) return unread('Cin7 listed the purchase but did not return it');
  const previews: DryRunInvoice[] = [];
  for (const invoice of purchase.Invoice) previews.push(await previewInvoice(purchase, invoice, ctx));
  previews.push(...(await previewCreditNotes(purchase, (p, i) => previewInvoice(p, i, ctx, creditMemoKind), ctx.deps)));
  return previews;
}

interface PreviewContext {
  deps: Pick<SyncDeps, 'cin7' | 'stores' | 'settings'>;
  reference: BcReferenceData;
  mappings: MappingIndex;
  mappingRows: Mapping[];
  suppliers: Map<string, Promise<Cin7Supplier | undefined>>;
  today: string;
}

type PreviewBase = Pick<DryRunInvoice, 'recordId' | 'label' | 'ledgerState'>;

async function previewInvoice(
  purchase: Cin7Purchase,
  invoice: Cin7PurchaseInvoice,
  ctx: PreviewContext,
  kind: DocumentKind = invoiceKind,
): Promise<DryRunInvoice> {
  const { deps } = ctx;
  const recordId = purchaseInvoiceRecordId(purchase.ID, invoice.TaskID);
  const label = `${purchase.OrderNumber} / ${invoice.InvoiceNumber ?? invoice.TaskID}`;
  const ledger = (await deps.stores.ledger.get('purchase-invoice', recordId))?.value;
  const base: PreviewBase = { recordId, label, ...(ledger ? { ledgerState: ledger.state } : {}) };
  if (ledger && inBcStates.has(ledger.state)) {
    return {
      ...base,
      outcome: 'already-in-bc',
      reason:
        `ledger state ${ledger.state}${ledger.targetNumber ? ` (BC ${ledger.targetNumber})` : ''}: ` +
        'a sync writes no new invoice',
    };
  }
  const eligibility = invoiceEligibility(purchase, invoice, deps.settings.eligibleApproaches);
  if (!eligibility.eligible) return { ...base, outcome: 'skipped', reason: eligibility.reason };
  let resolved: Awaited<ReturnType<typeof previewVendor>>;
  try {
    resolved = await previewVendor(purchase, ctx);
  } catch (error) {
    return {
      ...base,
      outcome: 'error',
      reason: `could not read supplier ${purchase.Supplier}: ${ensureError(error).message}`,
    };
  }
  return previewTranslation(base, purchase, invoice, resolved, ctx, kind);
}

/** The invoice translated as a sync would: the BC body it would create, or every gap at once. */
async function previewTranslation(
  base: PreviewBase,
  purchase: Cin7Purchase,
  invoice: Cin7PurchaseInvoice,
  resolved: Awaited<ReturnType<typeof previewVendor>>,
  ctx: PreviewContext,
  kind: DocumentKind,
): Promise<DryRunInvoice> {
  const { deps, reference } = ctx;
  const vendor = 'gap' in resolved ? undefined : resolved;
  const translated = toBcPurchaseInvoice({
    purchase,
    invoice,
    vendorNumber: vendor?.number,
    reference,
    mappings: ctx.mappings,
    productUnits: await readProductUnits(invoice, deps.settings.lineMode, reference, ctx.mappings, deps),
    options: translateOptionsFor(kind, deps.settings, ctx.today),
  });
  const withVendor = vendor ? { vendor } : {};
  if (!translated.ok) {
    const missing =
      'gap' in resolved
        ? [resolved.gap, ...translated.missing.filter((m) => !m.startsWith('vendor:'))]
        : translated.missing;
    return { ...base, outcome: 'needs-mapping', missing, reason: `${missing.length} mapping gap(s)`, ...withVendor };
  }
  const lines = translated.body.purchaseInvoiceLines;
  const netAmount = round2(
    lines.reduce((sum, l) => sum + l.quantity * l.unitCost * (1 - (l.discountPercent ?? 0) / 100), 0),
  );
  return {
    ...base,
    outcome: 'would-create',
    ...withVendor,
    invoice: translated.body,
    totals: {
      currency: translated.body.currencyCode || reference.localCurrencyCode,
      lines: lines.length,
      netAmount,
      ...(invoice.Tax !== undefined ? { cin7Tax: invoice.Tax } : {}),
      cin7Total: invoice.Total,
    },
  };
}

/** `resolveVendor` without its writes: no mapping is saved and no vendor is created. */
async function previewVendor(
  purchase: Cin7Purchase,
  ctx: PreviewContext,
): Promise<NonNullable<DryRunInvoice['vendor']> | { gap: string }> {
  const supplierId = purchase.SupplierID.toLowerCase();
  const vendors = ctx.reference.vendors;
  const mapping = ctx.mappingRows.find((m) => m.kind === 'supplier' && m.source.toLowerCase() === supplierId);
  if (mapping && !isClaim(mapping)) {
    const vendor = vendors.get(mapping.target);
    return vendor
      ? { number: vendor.number, name: vendor.displayName, how: 'mapping' }
      : { gap: `vendor:${purchase.Supplier} (mapped to BC vendor ${mapping.target}, which does not exist)` };
  }
  let pending = ctx.suppliers.get(supplierId);
  if (!pending) {
    pending = ctx.deps.cin7.getSupplier(purchase.SupplierID);
    ctx.suppliers.set(supplierId, pending);
  }
  const supplier = await pending;
  if (!supplier) return { gap: `vendor:${purchase.Supplier} (Cin7 supplier ${purchase.SupplierID} could not be read)` };
  const match = matchVendor(supplier, vendors.values());
  if (match.kind === 'found')
    return { number: match.party.number, name: match.party.displayName, how: `matched by ${match.by}` };
  if (match.kind === 'ambiguous')
    return {
      gap: `vendor:${supplier.Name} (several BC vendors match: ${match.candidates.join(', ')}; add a supplier mapping)`,
    };
  if (ctx.deps.settings.autoCreateVendors)
    return { number: '(new)', name: supplier.Name, how: 'would be created in BC (AUTO_CREATE_VENDORS)' };
  return { gap: unmatchedVendorGap(purchase) };
}
