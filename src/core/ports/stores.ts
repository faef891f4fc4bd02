/**
 * Storage contracts the use cases depend on: the ledger, audit trail, mappings, watermarks and subscriptions.
 * Implemented by `src/store` (Table Storage and in memory).
 */

// ---------------------------------------------------------------------------------------------------------
// Ledger: one row per source record, the single source of truth for "what happened to this record".

/** What a record can be. DESIGN §3.4 names the visible end states; the rest are steps on the way. */
export type LedgerState =
  /** Accepted for work, nothing written anywhere yet. */
  | 'pending'
  /** About to create in BC: the intended vendor invoice number is recorded (DESIGN §3.1). */
  | 'creating'
  /** The BC draft exists (its id is recorded) and is not posted yet. */
  | 'created'
  /** End state: posted in BC. */
  | 'posted'
  /** End state for master data: the other side matches. */
  | 'synced'
  /** End state: not eligible (reason recorded). */
  | 'skipped'
  /** End state until mappings are added: every gap is listed. */
  | 'needs-mapping'
  /** End state: BC total differs from Cin7's beyond the tolerance; draft kept, not posted. */
  | 'amount-mismatch'
  /** End state: gave up after the last attempt or on a non-retryable error; replayable. */
  | 'failed'
  /** End state: the Cin7 invoice changed or was voided after it was posted in BC. */
  | 'diverged';

/** Every ledger state, recorded type and mapping kind as values (schemas and CLIs enumerate them). */
export const ledgerStates = [
  'pending',
  'creating',
  'created',
  'posted',
  'synced',
  'skipped',
  'needs-mapping',
  'amount-mismatch',
  'failed',
  'diverged',
] as const satisfies readonly LedgerState[];

export type RecordType =
  /** A Cin7 purchase invoice (one element of `Invoice[]`), keyed `purchaseId/invoiceTaskId`. */
  | 'purchase-invoice'
  /** A Cin7 purchase credit note (one element of `CreditNote[]`), keyed `purchaseId/creditNoteTaskId`. */
  | 'purchase-credit-note'
  /** A Cin7 supplier flowing to a BC vendor, keyed by the Cin7 supplier ID. */
  | 'supplier'
  /** A BC vendor flowing to a Cin7 supplier, keyed by the BC vendor id. */
  | 'vendor'
  /** A BC item flowing to a Cin7 product, keyed by the BC item id. */
  | 'item';

export const recordTypes = [
  'purchase-invoice',
  'purchase-credit-note',
  'supplier',
  'vendor',
  'item',
] as const satisfies readonly RecordType[];

export interface LedgerEntry {
  recordType: RecordType;
  recordId: string;
  state: LedgerState;
  /** Correlation id shared by every log line, audit row and event about this record. */
  correlationId: string;
  /** Human label for operators (e.g. `PO-00042 / INV-7781`). */
  label?: string;
  /** Hash of the source fields that matter; a change after posting means `diverged`. */
  sourceFingerprint?: string;
  /** Hash of the fields last written to the other side; used to recognise echoes (DESIGN §3.6). */
  writtenFingerprint?: string;
  /** The id of the record on the other side (BC invoice/vendor/item id, Cin7 supplier/product ID). */
  targetId?: string;
  /** The number on the other side (BC posted invoice number, vendor number). */
  targetNumber?: string;
  /** BC vendor number the invoice was (or will be) created for. */
  vendorNumber?: string;
  /** The vendor invoice number sent to BC: the de-duplication key (DESIGN §3.1). */
  vendorInvoiceNumber?: string;
  /**
   * Creates whose outcome is not known yet: each vendor + vendor invoice number recorded before a create was
   * sent, kept until a look-up or the create's answer settles it. Every one is settled before any new create,
   * across failures and replays, so a remap or a changed number can never lead to a second document (I1).
   */
  openAttempts?: DocumentKey[];
  /**
   * Until when the worker that claimed this record may write to BC for it (ISO). Another worker seeing an
   * unexpired lease backs off. The claim is renewed (ETag-guarded) right before every BC write, so a worker
   * overtaken after its lease expired fails that renewal and writes nothing more.
   */
  leaseUntil?: string;
  /** The source's own number (Cin7 order number), so a replay joins the same session as webhooks. */
  sourceNumber?: string;
  /** Attempts made so far (all kinds of trigger). */
  attempts: number;
  /** Why the record is in its state: skip reason, mismatch amounts, last error. */
  reason?: string;
  /**
   * Who decided, as an operator, that this `skipped` record will not go to BC. Webhooks, polls and retries leave
   * such a record alone; only a replay reconsiders it.
   */
  skippedBy?: string;
  /** For `needs-mapping`: every missing mapping, e.g. `account:715`, `dimension:AREA=NORTH`. */
  missing?: string[];
  /** When the source system says the record last changed (ISO). */
  sourceUpdatedAt?: string;
  /** When the work was first triggered (ISO): start of the end-to-end latency. */
  firstSeenAt?: string;
  updatedAt: string;
}

/** What identifies a BC purchase document for duplicate checks: the vendor and the supplier's own number. */
export interface DocumentKey {
  vendorNumber: string;
  vendorInvoiceNumber: string;
}

/** A value read from a store together with the ETag that guards its next update. */
export interface Versioned<T> {
  value: T;
  etag: string;
}

export interface ListLedgerOptions {
  recordType?: RecordType;
  state?: LedgerState;
  /** Only records whose id starts with this (e.g. every invoice of one purchase); needs `recordType`. */
  recordIdPrefix?: string;
  /** At most this many per page (default 100). */
  pageSize?: number;
  /**
   * From a previous page of the same store. Anything else (garbage, another store's token) is a
   * `ValidationError` whose `code` is {@link invalidContinuationTokenCode} and whose message names the parameter.
   */
  continuationToken?: string;
}

/** `ValidationError.code` of a ledger continuation token the store cannot read (admin API: 400). */
export const invalidContinuationTokenCode = 'InvalidContinuationToken';

export interface LedgerPage {
  items: LedgerEntry[];
  continuationToken?: string;
}

export interface LedgerStore {
  /** The entry, or undefined when the record was never seen. */
  get(recordType: RecordType, recordId: string): Promise<Versioned<LedgerEntry> | undefined>;
  /** Inserts a new entry; throws `ConflictError` when one exists (another worker got there first). */
  create(entry: LedgerEntry): Promise<Versioned<LedgerEntry>>;
  /** Replaces the entry if its ETag still matches; throws `ConflictError` otherwise. */
  update(entry: LedgerEntry, etag: string): Promise<Versioned<LedgerEntry>>;
  /** One page of entries, filtered by type and state. */
  list(options?: ListLedgerOptions): Promise<LedgerPage>;
}

// ---------------------------------------------------------------------------------------------------------
// Audit: one row per attempt and step, never updated.

export interface AuditEntry {
  recordType: RecordType;
  recordId: string;
  correlationId: string;
  /** ISO timestamp; entries list newest first. */
  at: string;
  /** What was attempted, e.g. `read-cin7`, `resolve-mappings`, `bc-create`, `bc-post`, `transition`. */
  step: string;
  /** What came of it. */
  outcome: 'ok' | 'error' | 'skipped' | 'info';
  /** State after the step, when it changed. */
  state?: LedgerState;
  /** One line a person can act on. Never a secret, a URL with a query string, or a raw body. */
  message: string;
  /** Small structured details (ids, counts, amounts). Serialised as JSON; no secrets. */
  details?: Record<string, string | number | boolean | null>;
  /** Which trigger caused it (`webhook`, `poll`, `replay`, `retry`) and the attempt number. */
  trigger?: string;
  attempt?: number;
}

export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  /** Entries for one record, newest first. */
  list(recordType: RecordType, recordId: string, options?: { limit?: number }): Promise<AuditEntry[]>;
}

// ---------------------------------------------------------------------------------------------------------
// Mappings: operator-maintained overrides of the default matching rules (DESIGN §4).

export type MappingKind =
  /** Cin7 supplier ID → BC vendor number. */
  | 'supplier'
  /** Cin7 account code → BC G/L account number. */
  | 'account'
  /** Cin7 tax rule name → BC tax code (tax group / VAT product posting group). */
  | 'tax'
  /** Cin7 currency code → BC currency code (`` for BC's local currency). */
  | 'currency'
  /** Cin7 SKU → BC item number. */
  | 'item'
  /** Cin7 payment term name ↔ BC payment terms code. */
  | 'payment-term'
  /** Cin7 address country text ↔ BC country/region code (when neither BC's code nor its name matches). */
  | 'country'
  /** BC unit of measure code → Cin7 unit name. */
  | 'unit'
  /** BC item category code → Cin7 category name. */
  | 'category'
  /** Dimension rules: target is `DIMENSION=VALUE`; source is `*`, a location, category or supplier name. */
  | 'dimension-default'
  | 'dimension-location'
  | 'dimension-category'
  | 'dimension-supplier';

export const mappingKinds = [
  'supplier',
  'account',
  'tax',
  'currency',
  'item',
  'payment-term',
  'country',
  'unit',
  'category',
  'dimension-default',
  'dimension-location',
  'dimension-category',
  'dimension-supplier',
] as const satisfies readonly MappingKind[];

// These fail to compile when a type above gains a value its list lacks.
const _allLedgerStates: Exclude<LedgerState, (typeof ledgerStates)[number]> extends never ? true : never = true;
const _allRecordTypes: Exclude<RecordType, (typeof recordTypes)[number]> extends never ? true : never = true;
const _allMappingKinds: Exclude<MappingKind, (typeof mappingKinds)[number]> extends never ? true : never = true;
void [_allLedgerStates, _allRecordTypes, _allMappingKinds];

export interface Mapping {
  kind: MappingKind;
  source: string;
  target: string;
  note?: string;
  updatedAt?: string;
}

/** Dimension mappings allow one row per dimension for the same source; others one row per source. */
export function mappingIdentity(mapping: Pick<Mapping, 'kind' | 'source' | 'target'>): string {
  if (mapping.kind.startsWith('dimension-')) {
    const dimension = mapping.target.split('=')[0] ?? '';
    return `${mapping.source}\n${dimension.trim().toUpperCase()}`;
  }
  return mapping.source;
}

export interface MappingStore {
  /** Every mapping of one kind (or of all kinds). Mapping tables are small; read them whole. */
  list(kind?: MappingKind): Promise<Mapping[]>;
  /** The mapping for one source value, if any (not for dimension kinds, which may have several). */
  get(kind: MappingKind, source: string): Promise<Mapping | undefined>;
  /** Inserts; throws `ConflictError` when the same identity exists. Used to claim a source once. */
  create(mapping: Mapping): Promise<void>;
  /** Inserts or replaces. */
  upsert(mapping: Mapping): Promise<void>;
  /** Removes; succeeds when already gone. */
  delete(mapping: Pick<Mapping, 'kind' | 'source' | 'target'>): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------
// Watermarks for polls and BC subscription bookkeeping.

export interface WatermarkStore {
  get(name: string): Promise<Versioned<string> | undefined>;
  /** Sets the watermark; with an ETag only if unchanged, without one only if absent. `ConflictError` otherwise. */
  set(name: string, value: string, etag?: string): Promise<void>;
}

/**
 * The Cin7 `LastUpdatedDate` at which each purchase was last read and processed whole, so a re-sync does not
 * spend Cin7's budget reading a purchase that has not changed and whose records are all final.
 */
export interface PurchaseVersionStore {
  /** The version last processed, or undefined when the purchase was never processed whole. */
  get(purchaseId: string): Promise<string | undefined>;
  /**
   * Records a processed version. Last writer wins: a slower worker writing an older version only makes the
   * next poll read the purchase again, never skip a change.
   */
  set(purchaseId: string, lastUpdatedDate: string): Promise<void>;
}

export interface SubscriptionRecord {
  /** `vendors` or `items`. */
  resource: string;
  subscriptionId: string;
  expirationDateTime: string;
  notificationUrl: string;
  /** The BC ETag of the subscription, for the renewing PATCH. */
  bcEtag?: string;
  lastRenewedAt?: string;
  lastAction?: string;
}

export interface SubscriptionStore {
  list(): Promise<Array<Versioned<SubscriptionRecord>>>;
  get(resource: string): Promise<Versioned<SubscriptionRecord> | undefined>;
  upsert(record: SubscriptionRecord): Promise<void>;
  delete(resource: string): Promise<void>;
}

export interface Stores {
  ledger: LedgerStore;
  audit: AuditLog;
  mappings: MappingStore;
  watermarks: WatermarkStore;
  purchaseVersions: PurchaseVersionStore;
  subscriptions: SubscriptionStore;
}
