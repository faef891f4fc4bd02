/**
 * The console's record search: by type, state, vendor, date and text (PO number, invoice number, BC number),
 * newest first, a page at a time. Table Storage filters only by type and state, so the rest is matched here
 * over at most {@link maxSearchedRecords} records.
 */
import { z } from 'zod';
import type { SyncDeps } from '../deps.js';
import type { LedgerEntry } from '../../core/ports/stores.js';
import { LedgerStateSchema, RecordTypeSchema, collectRecords } from './records.js';

export const maxSearchedRecords = 20_000;

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD');

export const FindRecordsQuery = z.object({
  type: RecordTypeSchema.optional(),
  state: LedgerStateSchema.optional(),
  /** BC vendor number, exact (case-insensitive). */
  vendor: z.string().trim().max(50).optional(),
  /** Last change on or after this day (UTC). */
  from: IsoDate.optional(),
  /** Last change on or before this day (UTC). */
  to: IsoDate.optional(),
  /** Part of the PO number, invoice number, label, record id or BC number. */
  text: z.string().trim().max(100).optional(),
  page: z.coerce.number().int().min(1).max(10_000).optional(),
  pageSize: z.coerce.number().int().min(1).max(200).optional(),
});
export type FindRecordsQuery = z.infer<typeof FindRecordsQuery>;

export interface FoundRecords {
  items: LedgerEntry[];
  page: number;
  pageSize: number;
  /** Records matching the filter. */
  total: number;
  /** The ledger held more records than one search reads; some matches may be missing. */
  truncated: boolean;
}

function matchesText(entry: LedgerEntry, text: string): boolean {
  const wanted = text.toLowerCase();
  return [entry.label, entry.recordId, entry.sourceNumber, entry.vendorInvoiceNumber, entry.targetNumber].some(
    (value) => value?.toLowerCase().includes(wanted) === true,
  );
}

export async function findRecords(deps: Pick<SyncDeps, 'stores'>, query: FindRecordsQuery): Promise<FoundRecords> {
  const all = await collectRecords(deps, { type: query.type, state: query.state }, maxSearchedRecords);
  const to = query.to !== undefined ? `${query.to}T23:59:59.999Z` : undefined;
  const matching = all.items
    .filter((e) => query.vendor === undefined || e.vendorNumber?.toLowerCase() === query.vendor.toLowerCase())
    .filter((e) => query.from === undefined || e.updatedAt >= query.from)
    .filter((e) => to === undefined || e.updatedAt <= to)
    .filter((e) => query.text === undefined || matchesText(e, query.text))
    .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));
  const pageSize = query.pageSize ?? 50;
  const page = query.page ?? 1;
  return {
    items: matching.slice((page - 1) * pageSize, page * pageSize),
    page,
    pageSize,
    total: matching.length,
    truncated: all.truncated,
  };
}
