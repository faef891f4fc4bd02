/**
 * What the console's first page shows (issue 14): records by state and type now, what needs attention first,
 * the last poll and trigger per source, BC subscriptions and Cin7 webhooks, and the activity of the last hours
 * (invoices posted, webhook-to-posted latency, throttling) drawn from the ledger and the audit trail.
 */
import { z } from 'zod';
import type { SyncDeps } from '../deps.js';
import { ensureError } from '../../core/errors.js';
import {
  recordTypes,
  type AuditEntry,
  type LedgerEntry,
  type LedgerState,
  type RecordType,
} from '../../core/ports/stores.js';
import { cin7PurchaseWatermark } from '../purchase/poll-cin7.js';
import { bcItemWatermark, bcVendorWatermark, cin7SupplierWatermark } from '../master-data/poll-master-data.js';
import { attentionStates, collectRecords } from './records.js';

/** The ledger an overview reads whole; beyond it the counts say they are a lower bound. */
export const maxOverviewRecords = 20_000;
/** Per record type, the most recently moved records whose audit trail shows the last trigger of each kind. */
const triggerSampleRecords = 10;
/** Records whose audit trail is read for throttling: the most recently moved ones. */
const maxAuditedRecords = 200;
/** Audit queries in flight at once: storage answers these in parallel, but not hundreds at a time. */
const auditConcurrency = 8;
const maxAttention = 20;

/** Failures first, then what a changed Cin7 invoice did, then amounts, then gaps (most often a quick mapping). */
const attentionOrder: readonly LedgerState[] = ['failed', 'diverged', 'amount-mismatch', 'needs-mapping'];

export interface AttentionItem {
  type: RecordType;
  id: string;
  label: string;
  state: LedgerState;
  reason?: string;
  updatedAt: string;
}

export interface SourceActivity {
  /** Where the records come from: Cin7 for invoices and suppliers, BC for vendors and items. */
  system: 'cin7' | 'bc';
  source: string;
  /** The poll's watermark: changes up to this time have been read. */
  lastPoll?: string;
  /** The last audit row per trigger (webhook, notification, poll, replay, retry) among recent records. */
  lastTriggers: Record<string, string>;
}

export interface Overview {
  generatedAt: string;
  counts: Record<RecordType, Partial<Record<LedgerState, number>>>;
  total: number;
  /** The ledger held more records than one overview reads; counts are a lower bound. */
  truncated: boolean;
  attention: AttentionItem[];
  attentionTotal: number;
  sources: SourceActivity[];
  subscriptions: Array<{ resource: string; expiresAt: string; lastRenewedAt?: string; expired: boolean }>;
  webhooks: { ok: true; items: Array<{ type: string; active: boolean }> } | { ok: false; error: string };
}

const sources: ReadonlyArray<{ source: string; system: 'cin7' | 'bc'; watermark: string; type: RecordType }> = [
  { source: 'Cin7 purchases', system: 'cin7', watermark: cin7PurchaseWatermark, type: 'purchase-invoice' },
  { source: 'Cin7 suppliers', system: 'cin7', watermark: cin7SupplierWatermark, type: 'supplier' },
  { source: 'BC vendors', system: 'bc', watermark: bcVendorWatermark, type: 'vendor' },
  { source: 'BC items', system: 'bc', watermark: bcItemWatermark, type: 'item' },
];

function byNewest<T extends { at: string } | { updatedAt: string }>(a: T, b: T): number {
  const x = 'at' in a ? a.at : a.updatedAt;
  const y = 'at' in b ? b.at : b.updatedAt;
  return x < y ? 1 : x > y ? -1 : 0;
}

async function recentAudit(
  deps: Pick<SyncDeps, 'stores'>,
  entries: readonly LedgerEntry[],
  limit: number,
): Promise<AuditEntry[][]> {
  const recent = [...entries].sort(byNewest).slice(0, limit);
  const result: AuditEntry[][] = [];
  for (let i = 0; i < recent.length; i += auditConcurrency) {
    const batch = recent.slice(i, i + auditConcurrency);
    result.push(...(await Promise.all(batch.map((e) => deps.stores.audit.list(e.recordType, e.recordId)))));
  }
  return result;
}

export async function readOverview(deps: Pick<SyncDeps, 'stores' | 'cin7' | 'clock'>): Promise<Overview> {
  const now = deps.clock.now();
  const ledger = await collectRecords(deps, {}, maxOverviewRecords);
  const counts = Object.fromEntries(recordTypes.map((t) => [t, {}])) as Overview['counts'];
  for (const entry of ledger.items) {
    const byState = counts[entry.recordType];
    byState[entry.state] = (byState[entry.state] ?? 0) + 1;
  }
  const needing = ledger.items.filter((e) => attentionStates.has(e.state));
  return {
    generatedAt: new Date(now).toISOString(),
    counts,
    total: ledger.items.length,
    truncated: ledger.truncated,
    attention: attentionFirst(needing),
    attentionTotal: needing.length,
    sources: await Promise.all(sources.map((source) => readSourceActivity(deps, source, ledger.items))),
    subscriptions: await readSubscriptions(deps, now),
    webhooks: await readWebhooks(deps),
  };
}

function attentionFirst(needing: LedgerEntry[]): Overview['attention'] {
  return [...needing]
    .sort((a, b) => attentionOrder.indexOf(a.state) - attentionOrder.indexOf(b.state) || byNewest(b, a))
    .slice(0, maxAttention)
    .map((e) => ({
      type: e.recordType,
      id: e.recordId,
      label: e.label ?? e.recordId,
      state: e.state,
      ...(e.reason !== undefined ? { reason: e.reason } : {}),
      updatedAt: e.updatedAt,
    }));
}

/** The source's poll watermark and, from the newest records' audit, when each kind of trigger last came. */
async function readSourceActivity(
  deps: Pick<SyncDeps, 'stores'>,
  source: (typeof sources)[number],
  ledger: LedgerEntry[],
): Promise<SourceActivity> {
  const mark = await deps.stores.watermarks.get(source.watermark);
  const ofType = ledger.filter((e) => e.recordType === source.type);
  const lastTriggers: Record<string, string> = {};
  for (const rows of await recentAudit(deps, ofType, triggerSampleRecords)) {
    for (const row of rows) {
      const trigger = row.trigger ?? 'unknown';
      const seen = lastTriggers[trigger];
      if (seen === undefined || row.at > seen) lastTriggers[trigger] = row.at;
    }
  }
  return { system: source.system, source: source.source, ...(mark ? { lastPoll: mark.value } : {}), lastTriggers };
}

async function readSubscriptions(deps: Pick<SyncDeps, 'stores'>, now: number): Promise<Overview['subscriptions']> {
  // The store also keeps the Cin7 webhooks' bookkeeping (`cin7:` rows); those are listed from Cin7 instead.
  return (await deps.stores.subscriptions.list())
    .filter(({ value }) => !value.resource.startsWith('cin7:'))
    .map(({ value }) => ({
      resource: value.resource,
      expiresAt: value.expirationDateTime,
      ...(value.lastRenewedAt !== undefined ? { lastRenewedAt: value.lastRenewedAt } : {}),
      expired: Date.parse(value.expirationDateTime) <= now,
    }));
}

async function readWebhooks(deps: Pick<SyncDeps, 'cin7'>): Promise<Overview['webhooks']> {
  try {
    const list = await deps.cin7.listWebhooks();
    return { ok: true, items: list.map((w) => ({ type: w.Type, active: w.IsActive })) };
  } catch (error) {
    return { ok: false, error: ensureError(error).message };
  }
}

export const ActivityQuery = z.object({
  hours: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 14)
    .optional(),
});
export type ActivityQuery = z.infer<typeof ActivityQuery>;

export interface ActivityHour {
  /** Start of the hour (ISO). */
  hour: string;
  posted: number;
  /** Median seconds from first trigger (webhook or poll) to posted, for invoices posted in this hour. */
  medianLatencySeconds: number | null;
  /** Throttled answers (429/503) recorded in audit rows this hour. */
  throttled: number;
}

export interface Activity {
  hours: ActivityHour[];
  /** Throttling is counted from the audit of the most recently moved records only. */
  throttlingSampledRecords: number;
}

const hourMs = 3_600_000;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? null) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Posted invoices, latency and throttling per hour over the last `hours` (default 72), oldest hour first. */
export async function readActivity(deps: Pick<SyncDeps, 'stores' | 'clock'>, query: ActivityQuery): Promise<Activity> {
  const count = query.hours ?? 72;
  const end = Math.floor(deps.clock.now() / hourMs) * hourMs + hourMs;
  const start = end - count * hourMs;
  const slot = (iso: string | undefined): number | undefined => {
    const at = iso === undefined ? NaN : Date.parse(iso);
    return Number.isNaN(at) || at < start || at >= end ? undefined : Math.floor((at - start) / hourMs);
  };
  const posted = await collectRecords(deps, { type: 'purchase-invoice', state: 'posted' }, maxOverviewRecords);
  const hours = Array.from({ length: count }, (_, i) => ({ posted: 0, latencies: [] as number[], throttled: 0, i }));
  for (const entry of posted.items) {
    const index = slot(entry.updatedAt);
    const hour = index === undefined ? undefined : hours[index];
    if (!hour) continue;
    hour.posted += 1;
    if (entry.firstSeenAt !== undefined)
      hour.latencies.push(Math.max(0, (Date.parse(entry.updatedAt) - Date.parse(entry.firstSeenAt)) / 1000));
  }
  const all = await collectRecords(deps, { type: 'purchase-invoice' }, maxOverviewRecords);
  const audited = await recentAudit(
    deps,
    all.items.filter((e) => slot(e.updatedAt) !== undefined),
    maxAuditedRecords,
  );
  for (const rows of audited)
    for (const row of rows) {
      const index = slot(row.at);
      const hour = index === undefined ? undefined : hours[index];
      if (hour && row.details?.['kind'] === 'throttled') hour.throttled += 1;
    }
  return {
    hours: hours.map((h) => ({
      hour: new Date(start + h.i * hourMs).toISOString(),
      posted: h.posted,
      medianLatencySeconds: median(h.latencies),
      throttled: h.throttled,
    })),
    throttlingSampledRecords: audited.length,
  };
}
