/**
 * The BC purchase invoices one ledger record may own, and what their status means for it.
 */
import type { BcPurchaseInvoice } from '../../bc/schemas.js';
import type { DocumentKey, LedgerEntry } from '../../core/ports/stores.js';
import type { SyncDeps } from '../deps.js';
import type { DocumentKind } from './document-kinds.js';

/**
 * What a BC status means to the connector. BC's statuses (InvoiceEntityAggregateStatus.Enum.al: blank,
 * Draft, In Review, Open, Paid, Canceled, Corrective) are matched by allow-list: only a status that can
 * exist after posting counts as posted, and anything unknown is held for a person, never recorded as posted.
 */
export type DocumentStatus = 'draft' | 'posted' | 'held';

const postedStatuses = new Set(['Open', 'Paid', 'Canceled', 'Corrective']);

export function documentStatus(document: Pick<BcPurchaseInvoice, 'status'>): DocumentStatus {
  if (document.status === 'Draft') return 'draft';
  return postedStatuses.has(document.status) ? 'posted' : 'held';
}

export function keyOf(document: BcPurchaseInvoice): DocumentKey | undefined {
  if (!document.vendorNumber || !document.vendorInvoiceNumber) return undefined;
  return { vendorNumber: document.vendorNumber, vendorInvoiceNumber: document.vendorInvoiceNumber };
}

export function sameKey(a: DocumentKey, b: DocumentKey): boolean {
  return a.vendorNumber === b.vendorNumber && a.vendorInvoiceNumber === b.vendorInvoiceNumber;
}

export function describeKey(key: DocumentKey): string {
  return `vendor ${key.vendorNumber} / supplier invoice ${key.vendorInvoiceNumber}`;
}

/** Drafts and posted documents of the kind BC holds under one vendor + supplier number. */
export async function findByKey(
  kind: DocumentKind,
  key: DocumentKey,
  deps: Pick<SyncDeps, 'bc'>,
): Promise<BcPurchaseInvoice[]> {
  return kind.find(key, deps);
}

/**
 * Every BC document the record may own: its recorded target and whatever BC holds under each open attempt.
 * Reading them all before any write is what settles earlier attempts (I1).
 */
export async function findRecordDocuments(
  kind: DocumentKind,
  entry: Pick<LedgerEntry, 'targetId' | 'openAttempts'>,
  deps: Pick<SyncDeps, 'bc'>,
): Promise<BcPurchaseInvoice[]> {
  const found = new Map<string, BcPurchaseInvoice>();
  if (entry.targetId !== undefined) {
    const target = await kind.get(entry.targetId, deps);
    if (target) found.set(target.id, target);
  }
  for (const key of entry.openAttempts ?? []) {
    for (const document of await findByKey(kind, key, deps)) found.set(document.id, document);
  }
  return [...found.values()];
}
