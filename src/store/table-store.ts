/**
 * The stores of `src/core/ports/stores.ts` over Azure Table Storage (`@azure/data-tables`): Azurite locally with a
 * connection string, the function app's managed identity in Azure (DESIGN §5 storage).
 */
import { randomBytes } from 'node:crypto';
import type { TableClient, odata as odataTag } from '@azure/data-tables';
import type {
  AuditEntry,
  AuditLog,
  LedgerPage,
  LedgerStore,
  ListLedgerOptions,
  Mapping,
  MappingKind,
  MappingStore,
  RecordType,
  Stores,
  SubscriptionStore,
  WatermarkStore,
  PurchaseVersionStore,
} from '../core/ports/stores.js';
import { TransientError, ValidationError } from '../core/errors.js';
import * as entities from './entities.js';
import type { Entity, StoredEntity } from './entities.js';
import { encodeKey } from './key-encoding.js';
import { restStatus, translateStorageError, type StorageErrorContext } from './storage-errors.js';
import { lazyTable, tableClients, type LazyTable, type TableConnection } from './table-client.js';

export interface CreateTableStoresOptions extends TableConnection {
  /** Prepended to every table name so tests (or several installs in one account) stay apart. Letters and digits. */
  tablePrefix?: string;
}

/** The base names of the tables (DESIGN §5: mappings, ledger, audit, watermarks, subscriptions). */
export const tableNames = ['mappings', 'ledger', 'audit', 'watermarks', 'subscriptions'] as const;
export type TableName = (typeof tableNames)[number];

const TABLE_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9]{2,62}$/;

/** Runs one call against `table`, translating whatever it throws. */
async function run<T>(
  table: LazyTable,
  context: Omit<StorageErrorContext, 'table'>,
  call: (client: TableClient) => Promise<T>,
): Promise<T> {
  const client = await table.client();
  try {
    return await call(client);
  } catch (error) {
    throw translateStorageError(error, { table: table.name, ...context });
  }
}

/** Like `run`, but a missing row is `undefined` (STYLE: `get…` returns undefined when absent). */
async function runGet<T>(
  table: LazyTable,
  context: Omit<StorageErrorContext, 'table'>,
  call: (client: TableClient) => Promise<T>,
): Promise<T | undefined> {
  const client = await table.client();
  try {
    return await call(client);
  } catch (error) {
    if (restStatus(error) === 404) return undefined;
    throw translateStorageError(error, { table: table.name, ...context });
  }
}

/** Like `run`, but a missing row is success (STYLE: `delete…` succeeds when already gone). */
async function runDelete(
  table: LazyTable,
  context: Omit<StorageErrorContext, 'table'>,
  call: (client: TableClient) => Promise<unknown>,
): Promise<void> {
  await runGet(table, context, call);
}

function requireEtag(etag: string | undefined, table: LazyTable, operation: string, record: string): string {
  if (etag === undefined) {
    throw new TransientError(`Storage answered ${operation} on table ${table.name} for ${record} without an ETag`, {
      system: 'storage',
    });
  }
  return etag;
}

async function readAll(client: TableClient, filter: string | undefined): Promise<StoredEntity[]> {
  const rows: StoredEntity[] = [];
  const query = filter === undefined ? {} : { queryOptions: { filter } };
  for await (const row of client.listEntities<Entity>(query)) rows.push(row);
  return rows;
}

/**
 * Checks a ledger continuation token before the SDK sees it. `@azure/data-tables` hands out base64 JSON
 * `{ nextPartitionKey, nextRowKey? }` and decodes it without checks: garbage becomes a `SyntaxError`, and
 * other JSON would be sent on as `x-ms-continuation-*` headers. Keys are printable ASCII (header values).
 */
function checkTableContinuationToken(token: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64').toString('latin1'));
  } catch (error) {
    throw entities.invalidContinuationToken(error);
  }
  const isKey = (value: unknown): boolean => typeof value === 'string' && /^[\x20-\x7e]+$/.test(value);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw entities.invalidContinuationToken();
  const { nextPartitionKey, nextRowKey } = parsed as Record<string, unknown>;
  if (!isKey(nextPartitionKey) || (nextRowKey !== undefined && !isKey(nextRowKey)))
    throw entities.invalidContinuationToken();
}

/**
 * Creates the five stores over Table Storage. Pass `connectionString` locally, or `tableServiceUri` and
 * `credential` in Azure. Tables are created on first use. The SDK is loaded here, not at import time, so
 * functions that never touch storage do not pay for it on a cold start (DESIGN §4 Start-up cost).
 */
export async function createTableStores(options: CreateTableStoresOptions): Promise<Stores> {
  const prefix = options.tablePrefix ?? '';
  for (const base of tableNames) {
    if (!TABLE_NAME_PATTERN.test(`${prefix}${base}`)) {
      throw new ValidationError(
        `Table prefix '${prefix}' makes an invalid table name: use letters and digits, starting with a letter`,
        {
          system: 'config',
        },
      );
    }
  }
  const { odata } = await import('@azure/data-tables');
  const makeClient = await tableClients(options, 'Table storage');
  const tables = Object.fromEntries(
    tableNames.map((base) => [base, lazyTable(makeClient(`${prefix}${base}`))]),
  ) as Record<TableName, LazyTable>;

  return {
    ledger: tableLedger(tables.ledger, odata),
    audit: tableAudit(tables.audit, odata),
    mappings: tableMappings(tables.mappings, odata),
    watermarks: tableWatermarks(tables.watermarks),
    purchaseVersions: tablePurchaseVersions(tables.watermarks),
    subscriptions: tableSubscriptions(tables.subscriptions, odata),
  };
}

type Odata = typeof odataTag;

const ledgerLabel = (recordType: RecordType, recordId: string): string => `${recordType}/${recordId}`;
const mappingLabel = (mapping: Pick<Mapping, 'kind' | 'source'>): string => `${mapping.kind}/${mapping.source}`;

function tableLedger(ledgerTable: LazyTable, odata: Odata): LedgerStore {
  return {
    async get(recordType, recordId) {
      const record = ledgerLabel(recordType, recordId);
      return runGet(ledgerTable, { operation: 'get ledger entry', record }, async (client) => {
        const row = await client.getEntity<Entity>(
          entities.ledgerPartitionKey(recordType),
          entities.ledgerRowKey(recordId),
        );
        return entities.versionedRow(row, entities.fromLedgerEntity);
      });
    },
    async create(entry) {
      const record = ledgerLabel(entry.recordType, entry.recordId);
      const entity = entities.toLedgerEntity(entry);
      // Validated before the write, so a malformed entry never reaches the table.
      const value = entities.fromLedgerEntity(entity);
      const response = await run(ledgerTable, { operation: 'create ledger entry', record }, (client) =>
        client.createEntity(entity),
      );
      return { value, etag: requireEtag(response.etag, ledgerTable, 'create', record) };
    },
    async update(entry, etag) {
      const record = ledgerLabel(entry.recordType, entry.recordId);
      const entity = entities.toLedgerEntity(entry);
      const value = entities.fromLedgerEntity(entity);
      // Always conditional: without an ETag the SDK sends `If-Match: *` and would overwrite a concurrent change.
      const response = await run(
        ledgerTable,
        { operation: 'update ledger entry', record, missingIsConflict: true },
        (client) => client.updateEntity(entity, 'Replace', { etag }),
      );
      return { value, etag: requireEtag(response.etag, ledgerTable, 'update', record) };
    },
    list: (listOptions: ListLedgerOptions = {}) => listLedgerPage(ledgerTable, odata, listOptions),
  };
}

async function listLedgerPage(
  ledgerTable: LazyTable,
  odata: Odata,
  listOptions: ListLedgerOptions,
): Promise<LedgerPage> {
  const pageSize = entities.checkPageSize(listOptions.pageSize ?? entities.DEFAULT_PAGE_SIZE);
  const filters: string[] = [];
  if (listOptions.recordType !== undefined)
    filters.push(odata`PartitionKey eq ${entities.ledgerPartitionKey(listOptions.recordType)}`);
  if (listOptions.state !== undefined) filters.push(odata`state eq ${listOptions.state}`);
  if (listOptions.recordIdPrefix) {
    // Encoded keys keep their prefixes and are printable ASCII, so a prefix is a row-key range.
    const from = entities.ledgerRowKey(listOptions.recordIdPrefix);
    const to = `${from.slice(0, -1)}${String.fromCharCode(from.charCodeAt(from.length - 1) + 1)}`;
    filters.push(odata`RowKey ge ${from} and RowKey lt ${to}`);
  }
  const query = filters.length === 0 ? {} : { queryOptions: { filter: filters.join(' and ') } };
  const token = listOptions.continuationToken;
  if (token !== undefined) checkTableContinuationToken(token);
  const settings =
    token === undefined ? { maxPageSize: pageSize } : { maxPageSize: pageSize, continuationToken: token };
  return run(ledgerTable, { operation: 'list ledger entries' }, async (client) => {
    const pages = client.listEntities<Entity>(query).byPage(settings);
    let next: Awaited<ReturnType<typeof pages.next>>;
    try {
      next = await pages.next();
    } catch (error) {
      // The SDK decodes the token itself and throws a bare SyntaxError for one it cannot read.
      if (token !== undefined && error instanceof SyntaxError) throw entities.invalidContinuationToken(error);
      throw error;
    }
    if (next.done === true) return { items: [] };
    const page = next.value;
    const items = page.map((row) => entities.fromLedgerEntity(row));
    return page.continuationToken === undefined ? { items } : { items, continuationToken: page.continuationToken };
  });
}

function tableAudit(auditTable: LazyTable, odata: Odata): AuditLog {
  let auditSequence = 0;

  return {
    async append(entry: AuditEntry) {
      const record = ledgerLabel(entry.recordType, entry.recordId);
      const entity = entities.toAuditEntity(
        entry,
        entities.auditRowKey(entities.auditTimeMs(entry), auditSequence++, randomBytes(4).toString('hex')),
      );
      await run(auditTable, { operation: 'append audit entry', record }, (client) => client.createEntity(entity));
    },
    async list(recordType, recordId, listOptions = {}) {
      const limit = entities.checkAuditLimit(listOptions.limit);
      const filter = odata`PartitionKey eq ${entities.auditPartitionKey(recordType, recordId)}`;
      return run(
        auditTable,
        { operation: 'list audit entries', record: ledgerLabel(recordType, recordId) },
        async (client) => {
          const entries: AuditEntry[] = [];
          const pages = client
            .listEntities<Entity>({ queryOptions: { filter } })
            .byPage({ maxPageSize: Math.min(limit, entities.MAX_PAGE_SIZE) });
          for await (const page of pages) {
            for (const row of page) {
              entries.push(entities.fromAuditEntity(row));
              if (entries.length >= limit) return entries;
            }
          }
          return entries;
        },
      );
    },
  };
}

function tableMappings(mappingTable: LazyTable, odata: Odata): MappingStore {
  return {
    async list(kind?: MappingKind) {
      const filter = kind === undefined ? undefined : odata`PartitionKey eq ${kind}`;
      const rows = await run(mappingTable, { operation: 'list mappings' }, (client) => readAll(client, filter));
      return rows.map((row) => entities.fromMappingEntity(row));
    },
    async get(kind, source) {
      entities.assertSingleRowKind(kind);
      return runGet(
        mappingTable,
        { operation: 'get mapping', record: mappingLabel({ kind, source }) },
        async (client) =>
          entities.fromMappingEntity(
            await client.getEntity<Entity>(kind, entities.mappingRowKey({ kind, source, target: '' })),
          ),
      );
    },
    async create(mapping) {
      const entity = entities.toMappingEntity(mapping);
      await run(mappingTable, { operation: 'create mapping', record: mappingLabel(mapping) }, (client) =>
        client.createEntity(entity),
      );
    },
    async upsert(mapping) {
      const entity = entities.toMappingEntity(mapping);
      await run(mappingTable, { operation: 'upsert mapping', record: mappingLabel(mapping) }, (client) =>
        client.upsertEntity(entity, 'Replace'),
      );
    },
    async delete(mapping) {
      await runDelete(mappingTable, { operation: 'delete mapping', record: mappingLabel(mapping) }, (client) =>
        client.deleteEntity(mapping.kind, entities.mappingRowKey(mapping)),
      );
    },
  };
}

function tableWatermarks(watermarkTable: LazyTable): WatermarkStore {
  return {
    async get(name) {
      return runGet(watermarkTable, { operation: 'get watermark', record: name }, async (client) => {
        const row = await client.getEntity<Entity>(entities.WATERMARK_PARTITION, encodeKey(name));
        return entities.versionedRow(row, entities.fromWatermarkEntity);
      });
    },
    async set(name, value, etag) {
      const entity = entities.toWatermarkEntity(name, value);
      if (etag === undefined) {
        await run(watermarkTable, { operation: 'create watermark', record: name }, (client) =>
          client.createEntity(entity),
        );
      } else {
        await run(watermarkTable, { operation: 'update watermark', record: name, missingIsConflict: true }, (client) =>
          client.updateEntity(entity, 'Replace', { etag }),
        );
      }
    },
  };
}

/** Purchase versions share the watermarks table (their own partition). */
function tablePurchaseVersions(watermarkTable: LazyTable): PurchaseVersionStore {
  return {
    async get(purchaseId) {
      return runGet(watermarkTable, { operation: 'get purchase version', record: purchaseId }, async (client) =>
        entities.fromPurchaseVersionEntity(
          await client.getEntity<Entity>(entities.PURCHASE_VERSION_PARTITION, encodeKey(purchaseId.toLowerCase())),
        ),
      );
    },
    async set(purchaseId, lastUpdatedDate) {
      const entity = entities.toPurchaseVersionEntity(purchaseId, lastUpdatedDate);
      await run(watermarkTable, { operation: 'set purchase version', record: purchaseId }, (client) =>
        client.upsertEntity(entity, 'Replace'),
      );
    },
  };
}

function tableSubscriptions(subscriptionTable: LazyTable, odata: Odata): SubscriptionStore {
  return {
    async list() {
      const rows = await run(subscriptionTable, { operation: 'list subscriptions' }, (client) =>
        readAll(client, odata`PartitionKey eq ${entities.SUBSCRIPTION_PARTITION}`),
      );
      return rows.map((row) => entities.versionedRow(row, entities.fromSubscriptionEntity));
    },
    async get(resource) {
      return runGet(subscriptionTable, { operation: 'get subscription', record: resource }, async (client) => {
        const row = await client.getEntity<Entity>(entities.SUBSCRIPTION_PARTITION, encodeKey(resource));
        return entities.versionedRow(row, entities.fromSubscriptionEntity);
      });
    },
    async upsert(record) {
      const entity = entities.toSubscriptionEntity(record);
      await run(subscriptionTable, { operation: 'upsert subscription', record: record.resource }, (client) =>
        client.upsertEntity(entity, 'Replace'),
      );
    },
    async delete(resource) {
      await runDelete(subscriptionTable, { operation: 'delete subscription', record: resource }, (client) =>
        client.deleteEntity(entities.SUBSCRIPTION_PARTITION, encodeKey(resource)),
      );
    },
  };
}
