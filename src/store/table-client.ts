/**
 * Opening a Table Storage table, shared by the stores and the call budget: a connection string locally
 * (Azurite), the table endpoint and the app's identity in Azure; the table is created on first use. The SDK
 * is loaded on the first call, not at import time (DESIGN §4 Start-up cost).
 */
import type { TokenCredential } from '@azure/core-auth';
import type { TableClient } from '@azure/data-tables';
import { ValidationError } from '../core/errors.js';
import { translateStorageError } from './storage-errors.js';

export interface TableConnection {
  /** Azurite or a storage account key (local runs and tests). */
  connectionString?: string;
  /** `https://<account>.table.core.windows.net`, used with `credential` (identity-based, in Azure). */
  tableServiceUri?: string;
  credential?: TokenCredential;
}

/** A client per table name over one connection; `what` names the user in the configuration error. */
export async function tableClients(connection: TableConnection, what: string): Promise<(table: string) => TableClient> {
  const { TableClient } = await import('@azure/data-tables');
  return (table) => {
    if (connection.connectionString !== undefined) {
      // Azurite serves plain http; the SDK refuses it for key credentials unless told otherwise.
      return TableClient.fromConnectionString(connection.connectionString, table, { allowInsecureConnection: true });
    }
    if (connection.tableServiceUri !== undefined && connection.credential !== undefined) {
      return new TableClient(connection.tableServiceUri, table, connection.credential);
    }
    throw new ValidationError(`${what} needs a storage connection string, or a table service URI and a credential`, {
      system: 'config',
    });
  };
}

/** One table: its client, once the table exists. */
export interface LazyTable {
  name: string;
  client(): Promise<TableClient>;
}

export function lazyTable(client: TableClient): LazyTable {
  let ready: Promise<void> | undefined;
  return {
    name: client.tableName,
    client: async () => {
      // createTable already ignores "table exists"; a failed attempt is forgotten so the next call retries.
      ready ??= client.createTable().catch((error: unknown) => {
        ready = undefined;
        throw translateStorageError(error, { table: client.tableName, operation: 'create table' });
      });
      await ready;
      return client;
    },
  };
}
