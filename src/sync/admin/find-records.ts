/**
 * The console's record search: by type, state, supplier, date and text (PO number, invoice number, BC number),
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
  /** Part of the BC vendor's name, or its number (the vendor the supplier's invoices go to). */
  supplier: z.string().trim().max(100).optional(),
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
  /** BC vendor names by number, for the vendors of the records on this page. */
  vendorNames: Record<string, string>;
}

function matchesText(entry: LedgerEntry, text: string): boolean {
  const wanted = text.toLowerCase();
  return [entry.label, entry.recordId, entry.sourceNumber, entry.vendorInvoiceNumber, entry.targetNumber].some(
    (value) => value?.toLowerCase().includes(wanted) === true,
  );
}

export async function findRecords(
  deps: Pick<SyncDeps, 'stores' | 'reference'>,
  query: FindRecordsQuery,
): Promise<FoundRecords> {
  const all = await collectRecords(deps, { type: query.type, state: query.state }, maxSearchedRecords);
  const vendors = (await deps.reference.get()).vendors;
  const supplier = query.supplier?.toLowerCase();
  const bySupplier = (e: LedgerEntry): boolean => {
    if (supplier === undefined) return true;
    if (e.vendorNumber === undefined) return false;
    const name = vendors.get(e.vendorNumber)?.displayName.toLowerCase() ?? '';
    return e.vendorNumber.toLowerCase() === supplier || name.includes(supplier);
  };
  const to = query.to !== undefined ? `${query.to}T23:59:59.999Z` : undefined;
  const matching = all.items
    .filter(bySupplier)
    .filter((e) => query.from === undefined || e.updatedAt >= query.from)
    .filter((e) => to === undefined || e.updatedAt <= to)
    .filter((e) => query.text === undefined || matchesText(e, query.text))
    .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));
  const pageSize = query.pageSize ?? 50;
  const page = query.page ?? 1;
  const items = matching.slice((page - 1) * pageSize, page * pageSize);
  const vendorNames: Record<string, string> = {};
  for (const e of items) {
    const vendor = e.vendorNumber === undefined ? undefined : vendors.get(e.vendorNumber);
    if (vendor) vendorNames[vendor.number] = vendor.displayName;
  }
  return { items, page, pageSize, total: matching.length, truncated: all.truncated, vendorNames };
}
