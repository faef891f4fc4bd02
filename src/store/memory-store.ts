/**
 * In-memory stores with the Table implementation's semantics: the same keys, row order, ETag checks,
 * conflicts, newest-first audit and paging. For unit tests of use cases and for local runs without Azurite.
 *
 * Rows are kept as the entities the Table store would write and read back through the same validators, so
 * a value that would not survive Table Storage does not survive here either.
 */
import type {
  AuditLog,
  LedgerPage,
  LedgerStore,
  ListLedgerOptions,
  MappingStore,
  Stores,
  SubscriptionStore,
  WatermarkStore,
  PurchaseVersionStore,
} from '../core/ports/stores.js';
import { ConflictError } from '../core/errors.js';
import * as entities from './entities.js';
import type { Entity, StoredEntity } from './entities.js';
import { encodeKey } from './key-encoding.js';

interface StoredRow {
  entity: Entity;
  etag: string;
}

/** Ordinal order of (PartitionKey, RowKey), as the Table service returns rows. */
function compareKeys(a: Pick<Entity, 'partitionKey' | 'rowKey'>, b: Pick<Entity, 'partitionKey' | 'rowKey'>): number {
  if (a.partitionKey !== b.partitionKey) return a.partitionKey < b.partitionKey ? -1 : 1;
  if (a.rowKey !== b.rowKey) return a.rowKey < b.rowKey ? -1 : 1;
  return 0;
}

/** One table. Every method completes synchronously, so each operation is atomic like a single REST call. */
class MemoryTable {
  private readonly rows = new Map<string, StoredRow>();
  private etagCounter = 0;

  constructor(readonly name: string) {}

  private static id(partitionKey: string, rowKey: string): string {
    return JSON.stringify([partitionKey, rowKey]);
  }

  private nextEtag(): string {
    this.etagCounter += 1;
    return `W/"memory-${this.name}-${this.etagCounter}"`;
  }

  private store(entity: Entity): string {
    const etag = this.nextEtag();
    this.rows.set(MemoryTable.id(entity.partitionKey, entity.rowKey), { entity: { ...entity }, etag });
    return etag;
  }

  get(partitionKey: string, rowKey: string): StoredEntity | undefined {
    const row = this.rows.get(MemoryTable.id(partitionKey, rowKey));
    return row === undefined ? undefined : { ...row.entity, etag: row.etag };
  }

  /** The conflict Table Storage answers, translated as `translateStorageError` does. */
  private conflict(operation: string, record: string, status: number, code: string): ConflictError {
    return new ConflictError(
      `Concurrent change detected: ${operation} on table ${this.name} for ${record} (${status} ${code})`,
      { system: 'storage', status, code },
    );
  }

  create(entity: Entity, record: string): string {
    if (this.rows.has(MemoryTable.id(entity.partitionKey, entity.rowKey))) {
      throw this.conflict('create', record, 409, 'EntityAlreadyExists');
    }
    return this.store(entity);
  }

  update(entity: Entity, etag: string, record: string): string {
    const current = this.rows.get(MemoryTable.id(entity.partitionKey, entity.rowKey));
    if (current === undefined) {
      throw new ConflictError(`Row is gone, so its ETag is stale: update on table ${this.name} for ${record}`, {
        system: 'storage',
        status: 404,
      });
    }
    if (current.etag !== etag) {
      throw this.conflict('update', record, 412, 'UpdateConditionNotSatisfied');
    }
    return this.store(entity);
  }

  upsert(entity: Entity): string {
    return this.store(entity);
  }

  delete(partitionKey: string, rowKey: string): void {
    this.rows.delete(MemoryTable.id(partitionKey, rowKey));
  }

  /** Rows in key order, optionally only those after `after` (exclusive). */
  query(predicate: (entity: Entity) => boolean, after?: Pick<Entity, 'partitionKey' | 'rowKey'>): StoredEntity[] {
    return [...this.rows.values()]
      .filter((row) => predicate(row.entity) && (after === undefined || compareKeys(row.entity, after) > 0))
      .sort((a, b) => compareKeys(a.entity, b.entity))
      .map((row) => ({ ...row.entity, etag: row.etag }));
  }
}

/** Continuation tokens are opaque: the keys of the last row returned. */
function toContinuationToken(entity: Pick<Entity, 'partitionKey' | 'rowKey'>): string {
  return Buffer.from(JSON.stringify([entity.partitionKey, entity.rowKey]), 'utf8').toString('base64url');
}

function fromContinuationToken(token: string): Pick<Entity, 'partitionKey' | 'rowKey'> {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string'
    ) {
      return { partitionKey: parsed[0], rowKey: parsed[1] };
    }
  } catch {
    // Falls through to the error below.
  }
  throw entities.invalidContinuationToken();
}

/** Creates empty in-memory stores that behave like {@link createTableStores}' (without the network). */
export function createMemoryStores(): Stores {
  const watermarkTable = new MemoryTable('watermarks');
  return {
    ledger: memoryLedger(new MemoryTable('ledger')),
    audit: memoryAudit(new MemoryTable('audit')),
    mappings: memoryMappings(new MemoryTable('mappings')),
    watermarks: memoryWatermarks(watermarkTable),
    purchaseVersions: memoryPurchaseVersions(watermarkTable),
    subscriptions: memorySubscriptions(new MemoryTable('subscriptions')),
  };
}

function memoryLedger(ledgerTable: MemoryTable): LedgerStore {
  return {
    async get(recordType, recordId) {
      const row = ledgerTable.get(entities.ledgerPartitionKey(recordType), entities.ledgerRowKey(recordId));
      return Promise.resolve(entities.versionedRow(row, entities.fromLedgerEntity));
    },
    async create(entry) {
      const entity = entities.toLedgerEntity(entry);
      const value = entities.fromLedgerEntity(entity);
      const etag = ledgerTable.create(entity, `${entry.recordType}/${entry.recordId}`);
      return Promise.resolve({ value, etag });
    },
    async update(entry, etag) {
      const entity = entities.toLedgerEntity(entry);
      const value = entities.fromLedgerEntity(entity);
      const newEtag = ledgerTable.update(entity, etag, `${entry.recordType}/${entry.recordId}`);
      return Promise.resolve({ value, etag: newEtag });
    },
    list: async (options = {}) => Promise.resolve(listLedgerPage(ledgerTable, options)),
  };
}

function listLedgerPage(ledgerTable: MemoryTable, options: ListLedgerOptions): LedgerPage {
  const pageSize = entities.checkPageSize(options.pageSize ?? entities.DEFAULT_PAGE_SIZE);
  const after = options.continuationToken === undefined ? undefined : fromContinuationToken(options.continuationToken);
  const partition = options.recordType === undefined ? undefined : entities.ledgerPartitionKey(options.recordType);
  const rows = ledgerTable.query(
    (entity) =>
      (partition === undefined || entity.partitionKey === partition) &&
      (options.state === undefined || entity['state'] === options.state) &&
      (options.recordIdPrefix === undefined || String(entity['recordId']).startsWith(options.recordIdPrefix)),
    after,
  );
  const page = rows.slice(0, pageSize);
  const items = page.map((row) => entities.fromLedgerEntity(row));
  const last = page.at(-1);
  return rows.length > pageSize && last !== undefined
    ? { items, continuationToken: toContinuationToken(last) }
    : { items };
}

function memoryAudit(auditTable: MemoryTable): AuditLog {
  let auditSequence = 0;
  return {
    async append(entry) {
      const entity = entities.toAuditEntity(
        entry,
        entities.auditRowKey(entities.auditTimeMs(entry), auditSequence++, auditSequence.toString(16).padStart(8, '0')),
      );
      auditTable.create(entity, `${entry.recordType}/${entry.recordId}`);
      return Promise.resolve();
    },
    async list(recordType, recordId, options = {}) {
      const limit = entities.checkAuditLimit(options.limit);
      const partition = entities.auditPartitionKey(recordType, recordId);
      const rows = auditTable.query((entity) => entity.partitionKey === partition);
      return Promise.resolve(rows.slice(0, limit).map((row) => entities.fromAuditEntity(row)));
    },
  };
}

function memoryMappings(mappingTable: MemoryTable): MappingStore {
  return {
    async list(kind) {
      return Promise.resolve(
        mappingTable
          .query((entity) => kind === undefined || entity.partitionKey === kind)
          .map((row) => entities.fromMappingEntity(row)),
      );
    },
    async get(kind, source) {
      entities.assertSingleRowKind(kind);
      const row = mappingTable.get(kind, entities.mappingRowKey({ kind, source, target: '' }));
      return Promise.resolve(row === undefined ? undefined : entities.fromMappingEntity(row));
    },
    async create(mapping) {
      const entity = entities.toMappingEntity(mapping);
      mappingTable.create(entity, `${mapping.kind}/${mapping.source}`);
      return Promise.resolve();
    },
    async upsert(mapping) {
      const entity = entities.toMappingEntity(mapping);
      mappingTable.upsert(entity);
      return Promise.resolve();
    },
    async delete(mapping) {
      mappingTable.delete(mapping.kind, entities.mappingRowKey(mapping));
      return Promise.resolve();
    },
  };
}

function memoryWatermarks(watermarkTable: MemoryTable): WatermarkStore {
  return {
    async get(name) {
      const row = watermarkTable.get(entities.WATERMARK_PARTITION, encodeKey(name));
      return Promise.resolve(entities.versionedRow(row, entities.fromWatermarkEntity));
    },
    async set(name, value, etag) {
      const entity = entities.toWatermarkEntity(name, value);
      if (etag === undefined) watermarkTable.create(entity, name);
      else watermarkTable.update(entity, etag, name);
      return Promise.resolve();
    },
  };
}

/** Purchase versions share the watermarks table (their own partition), as in Table Storage. */
function memoryPurchaseVersions(watermarkTable: MemoryTable): PurchaseVersionStore {
  return {
    async get(purchaseId) {
      const row = watermarkTable.get(entities.PURCHASE_VERSION_PARTITION, encodeKey(purchaseId.toLowerCase()));
      return Promise.resolve(row === undefined ? undefined : entities.fromPurchaseVersionEntity(row));
    },
    async set(purchaseId, lastUpdatedDate) {
      watermarkTable.upsert(entities.toPurchaseVersionEntity(purchaseId, lastUpdatedDate));
      return Promise.resolve();
    },
  };
}

function memorySubscriptions(subscriptionTable: MemoryTable): SubscriptionStore {
  return {
    async list() {
      return Promise.resolve(
        subscriptionTable
          .query((entity) => entity.partitionKey === entities.SUBSCRIPTION_PARTITION)
          .map((row) => entities.versionedRow(row, entities.fromSubscriptionEntity)),
      );
    },
    async get(resource) {
      const row = subscriptionTable.get(entities.SUBSCRIPTION_PARTITION, encodeKey(resource));
      return Promise.resolve(entities.versionedRow(row, entities.fromSubscriptionEntity));
    },
    async upsert(record) {
      const entity = entities.toSubscriptionEntity(record);
      subscriptionTable.upsert(entity);
      return Promise.resolve();
    },
    async delete(resource) {
      subscriptionTable.delete(entities.SUBSCRIPTION_PARTITION, encodeKey(resource));
      return Promise.resolve();
    },
  };
}
