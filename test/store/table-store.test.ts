import { randomBytes } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { createTableStores } from '../../src/store/table-store.js';
import { ValidationError } from '../../src/core/errors.js';
import { describeStoreContract } from './store-contract.js';

/** Each test gets its own tables in the shared Azurite, so tests neither see nor wait for each other. */
const filePrefix = `ts${randomBytes(3).toString('hex')}`;
let testNumber = 0;

describeStoreContract('table (Azurite)', () =>
  createTableStores({
    connectionString: inject('azuriteConnectionString'),
    tablePrefix: `${filePrefix}n${testNumber++}`,
  }),
);

describe('createTableStores', () => {
  it('when the prefix would make an invalid table name, then it throws ValidationError', async () => {
    await expect(
      createTableStores({ connectionString: inject('azuriteConnectionString'), tablePrefix: 'my-prefix' }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('when neither a connection string nor a URI with a credential is given, then it throws ValidationError', async () => {
    await expect(
      createTableStores({ tableServiceUri: 'https://account.table.core.windows.net' }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('when two store sets share a prefix, then the second sees what the first wrote', async () => {
    const prefix = `${filePrefix}shared`;
    const connectionString = inject('azuriteConnectionString');
    const first = await createTableStores({ connectionString, tablePrefix: prefix });
    await first.watermarks.set('poll', 'v1');
    const second = await createTableStores({ connectionString, tablePrefix: prefix });
    expect((await second.watermarks.get('poll'))?.value).toBe('v1');
  });
});
