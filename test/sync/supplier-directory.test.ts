import { describe, expect, it } from 'vitest';
import type { Cin7Supplier } from '../../src/cin7/schemas.js';
import { createSupplierDirectory } from '../../src/sync/master-data/supplier-directory.js';

function supplier(id: string, name: string): Cin7Supplier {
  return { ID: id, Name: name, TaxNumber: undefined, Addresses: [], Contacts: [] };
}

function fakeCin7(suppliers: Cin7Supplier[]) {
  const calls = { list: 0, get: 0 };
  return {
    calls,
    port: {
      async *listSuppliers() {
        calls.list += 1;
        await Promise.resolve();
        yield* suppliers;
      },
      getSupplier(id: string) {
        calls.get += 1;
        return Promise.resolve(suppliers.find((s) => s.ID.toLowerCase() === id.toLowerCase()));
      },
    },
  };
}

describe('createSupplierDirectory', () => {
  it('when many invoices of different suppliers resolve at once, then Cin7 is listed once and no supplier is read alone', async () => {
    const cin7 = fakeCin7([supplier('A-1', 'Alpha'), supplier('B-2', 'Beta')]);
    const directory = createSupplierDirectory({ cin7: cin7.port, clock: { now: () => 0 }, ttlMs: 60_000 });
    const found = await Promise.all(['a-1', 'B-2', 'A-1', 'b-2'].map((id) => directory.get(id)));
    expect(found.map((s) => s?.Name)).toEqual(['Alpha', 'Beta', 'Alpha', 'Beta']);
    expect(cin7.calls).toEqual({ list: 1, get: 0 });
  });

  it('when a supplier is new since the bulk read, then it alone is read and remembered', async () => {
    const suppliers = [supplier('A-1', 'Alpha')];
    const cin7 = fakeCin7(suppliers);
    const directory = createSupplierDirectory({ cin7: cin7.port, clock: { now: () => 0 }, ttlMs: 60_000 });
    await directory.get('A-1');
    suppliers.push(supplier('C-3', 'Gamma'));
    expect((await directory.get('C-3'))?.Name).toBe('Gamma');
    expect((await directory.get('C-3'))?.Name).toBe('Gamma');
    expect(cin7.calls).toEqual({ list: 1, get: 1 });
  });

  it('when the TTL has passed, then the next look-up reads the list again', async () => {
    let now = 0;
    const cin7 = fakeCin7([supplier('A-1', 'Alpha')]);
    const directory = createSupplierDirectory({ cin7: cin7.port, clock: { now: () => now }, ttlMs: 1000 });
    await directory.get('A-1');
    now = 1500;
    await directory.get('A-1');
    expect(cin7.calls.list).toBe(2);
  });
});
