/**
 * The row behind a shared call budget (src/http/shared-rate-limiter.ts) in Table Storage.
 *
 * Why a table row with ETags rather than a blob lease: a lease gives one holder at a time, so every
 * reservation would cost acquire + write + release (three round trips) and a crashed holder blocks every
 * instance until the lease expires; an ETag-guarded replace is one round trip, nobody can hold it, and a
 * crash leaves nothing to clean up. The app already reaches this table service with its identity.
 *
 * The row lives in the `watermarks` table (partition `budget`): it is the same kind of small, ETag-guarded
 * coordination row as the poll watermarks, and needs no new table in the template or in DESIGN §5.
 */
import { z } from 'zod';
import { TransientError, ValidationError } from '../core/errors.js';
import type { BudgetState, BudgetStore } from '../http/shared-rate-limiter.js';
import { restStatus, translateStorageError } from './storage-errors.js';
import { lazyTable, tableClients, type TableConnection } from './table-client.js';

export interface CreateTableBudgetStoreOptions extends TableConnection {
  /** The app's table prefix (TABLE_PREFIX). */
  tablePrefix?: string;
  /** Which budget, e.g. `cin7`: the row key. */
  budget: string;
}

const PARTITION = 'budget';

/** The stored row: slot instants as a comma-separated list (one string property, well under 64 KiB at 60 slots). */
const BudgetRow = z.object({
  slots: z.string(),
  pausedUntil: z.number(),
  etag: z.string(),
});

function toState(row: z.infer<typeof BudgetRow>, table: string): BudgetState {
  const slots = row.slots === '' ? [] : row.slots.split(',').map(Number);
  if (slots.some((s) => !Number.isFinite(s))) {
    throw new ValidationError(
      `The call budget row in table ${table} has a slot that is not a number; ` +
        `delete the row (partition '${PARTITION}') and it is rebuilt`,
      { system: 'storage' },
    );
  }
  return { slots, pausedUntil: row.pausedUntil };
}

export async function createTableBudgetStore(options: CreateTableBudgetStoreOptions): Promise<BudgetStore> {
  const table = `${options.tablePrefix ?? ''}watermarks`;
  const lazy = lazyTable((await tableClients(options, 'The call budget'))(table));
  const record = `${PARTITION}/${options.budget}`;

  return {
    async read(signal) {
      const client = await lazy.client();
      try {
        const entity = await client.getEntity(PARTITION, options.budget, { abortSignal: signal });
        const parsed = BudgetRow.safeParse(entity);
        if (!parsed.success) {
          throw new ValidationError(
            `The call budget row ${record} in table ${table} has an unexpected shape; delete it and it is rebuilt`,
            { system: 'storage', cause: parsed.error },
          );
        }
        return { state: toState(parsed.data, table), etag: parsed.data.etag };
      } catch (error) {
        if (restStatus(error) === 404) return undefined;
        throw translateStorageError(error, { table, operation: 'read call budget', record });
      }
    },
    async write(state, etag, signal) {
      const client = await lazy.client();
      const entity = {
        partitionKey: PARTITION,
        rowKey: options.budget,
        slots: state.slots.join(','),
        pausedUntil: state.pausedUntil,
      };
      try {
        const response =
          etag === undefined
            ? await client.createEntity(entity, { abortSignal: signal })
            : await client.updateEntity(entity, 'Replace', { etag, abortSignal: signal });
        if (response.etag === undefined) {
          throw new TransientError(`Storage answered the write of ${record} in table ${table} without an ETag`, {
            system: 'storage',
          });
        }
        return response.etag;
      } catch (error) {
        throw translateStorageError(error, {
          table,
          operation: 'reserve call budget',
          record,
          missingIsConflict: true,
        });
      }
    },
  };
}
