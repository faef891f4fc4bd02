/**
 * How each stored value maps onto a Table Storage entity: keys, property encoding and validation on read.
 * Shared by the Table and in-memory stores so both order, copy and validate rows the same way.
 */
import { z } from 'zod';
import type {
  AuditEntry,
  LedgerEntry,
  Mapping,
  MappingKind,
  RecordType,
  SubscriptionRecord,
  Versioned,
} from '../core/ports/stores.js';
import {
  invalidContinuationTokenCode,
  ledgerStates,
  mappingIdentity,
  mappingKinds,
  recordTypes,
} from '../core/ports/stores.js';
import { ValidationError } from '../core/errors.js';
import { describeIssues } from '../core/zod-issues.js';
import { encodeKey } from './key-encoding.js';

/** A row as the Table service sees it: keys plus primitive properties (a missing value is absent). */
export type EntityProperties = Record<string, string | number | boolean>;
export interface Entity extends EntityProperties {
  partitionKey: string;
  rowKey: string;
}

/** Table Storage keeps at most 64 KiB per string property, in UTF-16 (reference/azure-platform.md §4.1). */
const MAX_STRING_PROPERTY_LENGTH = 32 * 1024;

/**
 * Drops properties whose value is undefined (Table Storage cannot store null; a missing value is absent)
 * and refuses strings the service would refuse, so both stores fail the same way.
 */
function defined(properties: Record<string, string | number | boolean | undefined>): EntityProperties {
  const out: EntityProperties = {};
  for (const [key, value] of Object.entries(properties)) {
    if (value === undefined) continue;
    if (typeof value === 'string' && value.length > MAX_STRING_PROPERTY_LENGTH) {
      throw new ValidationError(`Property ${key} is longer than ${MAX_STRING_PROPERTY_LENGTH} characters`, {
        system: 'storage',
      });
    }
    out[key] = value;
  }
  return out;
}

/**
 * The fields of `value` that `row` reads back, so what is written is exactly what is read: whatever else the
 * caller's object carries stays out. Lists and objects go in as JSON text (Table Storage has no such types).
 */
function storedProperties(row: z.ZodObject, value: object): EntityProperties {
  const fields = new Map<string, unknown>(Object.entries(value));
  const properties: Record<string, string | number | boolean | undefined> = {};
  for (const key of Object.keys(row.shape)) {
    const field = fields.get(key);
    properties[key] =
      field === undefined || typeof field === 'string' || typeof field === 'number' || typeof field === 'boolean'
        ? field
        : JSON.stringify(field);
  }
  return defined(properties);
}

/** `entity`, once `read` accepts it: a value that would not come back intact is refused before any write. */
function readable(entity: Entity, read: (row: unknown) => unknown): Entity {
  read(entity);
  return entity;
}

/** A row as read back, with the ETag that guards its next update. */
export type StoredEntity = Entity & { etag: string };

/** The value `read` finds in a row, with the row's ETag; no row, no value (STYLE: `get…` may be undefined). */
export function versionedRow<T>(row: StoredEntity, read: (row: Entity) => T): Versioned<T>;
export function versionedRow<T>(row: StoredEntity | undefined, read: (row: Entity) => T): Versioned<T> | undefined;
export function versionedRow<T>(row: StoredEntity | undefined, read: (row: Entity) => T): Versioned<T> | undefined {
  return row === undefined ? undefined : { value: read(row), etag: row.etag };
}

function parseRow<T>(schema: z.ZodType<T>, row: unknown, what: string): T {
  const result = schema.safeParse(row);
  if (result.success) return result.data;
  const fields = describeIssues(result.error, { root: '(row)', limit: 5 }).join('; ');
  throw new ValidationError(`Stored ${what} row is malformed (${fields})`, { system: 'storage' });
}

function jsonArrayOfStrings(what: string): z.ZodType<string[]> {
  return z.string().transform((text, ctx) => {
    try {
      const parsed = z.array(z.string()).safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
    } catch {
      // Falls through to the issue below.
    }
    ctx.addIssue({ code: 'custom', message: `${what} is not a JSON array of strings` });
    return z.NEVER;
  });
}

const jsonDocumentKeys = z.string().transform((text, ctx) => {
  try {
    const parsed = z
      .array(z.object({ vendorNumber: z.string(), vendorInvoiceNumber: z.string() }))
      .safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // Falls through to the issue below.
  }
  ctx.addIssue({ code: 'custom', message: 'openAttempts is not a JSON array of vendor + invoice numbers' });
  return z.NEVER;
});

// ---------------------------------------------------------------------------------------------------------
// Ledger

export function ledgerPartitionKey(recordType: RecordType): string {
  return recordType;
}
export function ledgerRowKey(recordId: string): string {
  return encodeKey(recordId);
}

const ledgerRow = z.object({
  recordType: z.enum(recordTypes),
  recordId: z.string(),
  state: z.enum(ledgerStates),
  correlationId: z.string(),
  label: z.string().exactOptional(),
  sourceFingerprint: z.string().exactOptional(),
  writtenFingerprint: z.string().exactOptional(),
  targetId: z.string().exactOptional(),
  targetNumber: z.string().exactOptional(),
  vendorNumber: z.string().exactOptional(),
  vendorInvoiceNumber: z.string().exactOptional(),
  openAttempts: jsonDocumentKeys.exactOptional(),
  leaseUntil: z.string().exactOptional(),
  sourceNumber: z.string().exactOptional(),
  attempts: z.number().int(),
  reason: z.string().exactOptional(),
  skippedBy: z.string().exactOptional(),
  missing: jsonArrayOfStrings('missing').exactOptional(),
  sourceUpdatedAt: z.string().exactOptional(),
  firstSeenAt: z.string().exactOptional(),
  updatedAt: z.string(),
});

export function toLedgerEntity(entry: LedgerEntry): Entity {
  return {
    partitionKey: ledgerPartitionKey(entry.recordType),
    rowKey: ledgerRowKey(entry.recordId),
    ...storedProperties(ledgerRow, entry),
  };
}

export function fromLedgerEntity(row: unknown): LedgerEntry {
  return parseRow(ledgerRow, row, 'ledger');
}

// ---------------------------------------------------------------------------------------------------------
// Audit

export function auditPartitionKey(recordType: RecordType, recordId: string): string {
  return `${recordType}|${encodeKey(recordId)}`;
}

const MAX_TIMESTAMP_MS = 9_999_999_999_999;
const SEQUENCE_SPAN = 1_000_000;

/**
 * Inverted time first, so a plain partition query (ascending row keys) returns newest first. Within one
 * millisecond an inverted per-process sequence puts the later append first; the random tail keeps rows
 * from different processes apart.
 */
export function auditRowKey(atMs: number, sequence: number, randomTail: string): string {
  const inverted = (MAX_TIMESTAMP_MS - atMs).toString().padStart(13, '0');
  const seq = (SEQUENCE_SPAN - 1 - (sequence % SEQUENCE_SPAN)).toString().padStart(6, '0');
  return `${inverted}-${seq}-${randomTail}`;
}

/** Milliseconds of `entry.at`, or `ValidationError` when it is not a date (it orders the trail). */
export function auditTimeMs(entry: AuditEntry): number {
  const ms = Date.parse(entry.at);
  if (Number.isNaN(ms) || ms < 0 || ms > MAX_TIMESTAMP_MS) {
    throw new ValidationError(`Audit entry for ${entry.recordType}/${entry.recordId} has an invalid 'at' timestamp`, {
      system: 'storage',
    });
  }
  return ms;
}

const detailsRecord = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
const auditRow = z.object({
  recordType: z.enum(recordTypes),
  recordId: z.string(),
  correlationId: z.string(),
  at: z.string(),
  step: z.string(),
  outcome: z.enum(['ok', 'error', 'skipped', 'info']),
  state: z.enum(ledgerStates).exactOptional(),
  message: z.string(),
  details: z
    .string()
    .transform((text, ctx) => {
      try {
        const parsed = detailsRecord.safeParse(JSON.parse(text));
        if (parsed.success) return parsed.data;
      } catch {
        // Falls through to the issue below.
      }
      ctx.addIssue({ code: 'custom', message: 'details is not a JSON object of primitives' });
      return z.NEVER;
    })
    .exactOptional(),
  trigger: z.string().exactOptional(),
  attempt: z.number().int().exactOptional(),
});

/** Only the fields of `AuditEntry` are written (`storedProperties`), whatever else the caller's object carries. */
export function toAuditEntity(entry: AuditEntry, rowKey: string): Entity {
  return readable(
    { partitionKey: auditPartitionKey(entry.recordType, entry.recordId), rowKey, ...storedProperties(auditRow, entry) },
    fromAuditEntity,
  );
}

export function fromAuditEntity(row: unknown): AuditEntry {
  return parseRow(auditRow, row, 'audit');
}

// ---------------------------------------------------------------------------------------------------------
// Mappings

export function mappingRowKey(mapping: Pick<Mapping, 'kind' | 'source' | 'target'>): string {
  return encodeKey(mappingIdentity(mapping));
}

/** `get` looks a mapping up by source alone, which identifies one row only for non-dimension kinds. */
export function assertSingleRowKind(kind: MappingKind): void {
  if (kind.startsWith('dimension-')) {
    throw new ValidationError(`Mapping kind ${kind} can have several rows per source; use list() instead of get()`);
  }
}

const mappingRow = z.object({
  kind: z.enum(mappingKinds),
  source: z.string(),
  target: z.string(),
  note: z.string().exactOptional(),
  updatedAt: z.string().exactOptional(),
});

export function toMappingEntity(mapping: Mapping): Entity {
  return readable(
    { partitionKey: mapping.kind, rowKey: mappingRowKey(mapping), ...storedProperties(mappingRow, mapping) },
    fromMappingEntity,
  );
}

export function fromMappingEntity(row: unknown): Mapping {
  return parseRow(mappingRow, row, 'mapping');
}

// ---------------------------------------------------------------------------------------------------------
// Watermarks

export const WATERMARK_PARTITION = 'watermark';

export function toWatermarkEntity(name: string, value: string): Entity {
  return { partitionKey: WATERMARK_PARTITION, rowKey: encodeKey(name), name, value };
}

const watermarkRow = z.object({ value: z.string() });

export function fromWatermarkEntity(row: unknown): string {
  return parseRow(watermarkRow, row, 'watermark').value;
}

// ---------------------------------------------------------------------------------------------------------
// Purchase versions: rows beside the watermarks, in their own partition (one small row per purchase).

export const PURCHASE_VERSION_PARTITION = 'purchase-version';

export function toPurchaseVersionEntity(purchaseId: string, lastUpdatedDate: string): Entity {
  return {
    partitionKey: PURCHASE_VERSION_PARTITION,
    rowKey: encodeKey(purchaseId.toLowerCase()),
    purchaseId,
    lastUpdatedDate,
  };
}

const purchaseVersionRow = z.object({ lastUpdatedDate: z.string() });

export function fromPurchaseVersionEntity(row: unknown): string {
  return parseRow(purchaseVersionRow, row, 'purchase version').lastUpdatedDate;
}

// ---------------------------------------------------------------------------------------------------------
// Subscriptions

export const SUBSCRIPTION_PARTITION = 'subscription';

const subscriptionRow = z.object({
  resource: z.string(),
  subscriptionId: z.string(),
  expirationDateTime: z.string(),
  notificationUrl: z.string(),
  bcEtag: z.string().exactOptional(),
  lastRenewedAt: z.string().exactOptional(),
  lastAction: z.string().exactOptional(),
});

export function toSubscriptionEntity(record: SubscriptionRecord): Entity {
  return readable(
    {
      partitionKey: SUBSCRIPTION_PARTITION,
      rowKey: encodeKey(record.resource),
      ...storedProperties(subscriptionRow, record),
    },
    fromSubscriptionEntity,
  );
}

export function fromSubscriptionEntity(row: unknown): SubscriptionRecord {
  return parseRow(subscriptionRow, row, 'subscription');
}

/**
 * `true` when a row schema reads back a `T` and knows every field of `T`. Only the fields a schema knows are
 * written (`storedProperties`), so a field added to `T` but not to its row would be silently dropped.
 */
type ReadsBack<Row, T> = Row extends T ? (Exclude<keyof T, keyof Row> extends never ? true : never) : never;
const _rowsReadBack: [
  ReadsBack<z.infer<typeof ledgerRow>, LedgerEntry>,
  ReadsBack<z.infer<typeof auditRow>, AuditEntry>,
  ReadsBack<z.infer<typeof mappingRow>, Mapping>,
  ReadsBack<z.infer<typeof subscriptionRow>, SubscriptionRecord>,
] = [true, true, true, true];
void _rowsReadBack;

// ---------------------------------------------------------------------------------------------------------
// Paging limits shared by both stores

/** Default page size, and the most the Table service returns in one response. */
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export function checkPageSize(pageSize: number): number {
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new ValidationError(`Ledger page size must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  }
  return pageSize;
}

/** A ledger `continuationToken` the store cannot read: the caller's mistake, never a storage failure. */
export function invalidContinuationToken(cause?: unknown): ValidationError {
  return new ValidationError('continuationToken: not a token a ledger list handed out; list again without it', {
    code: invalidContinuationTokenCode,
    ...(cause === undefined ? {} : { cause }),
  });
}

/** The audit `limit`, or infinity when absent. */
export function checkAuditLimit(limit: number | undefined): number {
  if (limit === undefined) return Number.POSITIVE_INFINITY;
  if (!Number.isInteger(limit) || limit < 1) throw new ValidationError('Audit list limit must be a positive integer');
  return limit;
}
