import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { syncBcItem } from '../../src/sync/master-data/sync-bc-item.js';
import type { RecordContext } from '../../src/sync/jobs/record.js';
import { idOf, startMasterSandbox, type MasterSandbox } from './master-sandbox.js';

function context(trigger: RecordContext['trigger'] = 'cli'): RecordContext {
  return { trigger, attempt: 1, correlationId: randomUUID(), receivedAt: new Date().toISOString() };
}

describe('BC item → Cin7 product', () => {
  let sandbox: MasterSandbox;
  afterEach(() => sandbox.close());

  it('when a new BC item is notified, then a Cin7 product is created with every field Cin7 requires', async () => {
    sandbox = await startMasterSandbox();
    await sandbox.subscribe();
    sandbox.bc.addItem({
      number: 'OIL-5L',
      displayName: 'Olive oil 5 L',
      type: 'Inventory',
      unitPrice: 42.5,
      gtin: '08001234567890',
    });
    await sandbox.bc.flushNotifications();
    await sandbox.settle();

    const products = sandbox.cin7.state.products;
    expect(products).toHaveLength(1);
    expect(products[0]).toMatchObject({
      SKU: 'OIL-5L',
      Name: 'Olive oil 5 L',
      Type: 'Stock',
      Category: 'General',
      UOM: 'Item',
      CostingMethod: 'FIFO',
      Status: 'Active',
      Barcode: '08001234567890',
      PriceTier1: 42.5,
    });
    const [entry] = await sandbox.ledger('item');
    expect(entry).toMatchObject({ state: 'synced', targetId: products[0]?.ID, targetNumber: 'OIL-5L' });
  });

  it('when the SKU exists in Cin7, then that product is updated and no second one is created', async () => {
    sandbox = await startMasterSandbox();
    const existing = sandbox.cin7.addProduct({
      SKU: 'VIN-500',
      Name: 'Old vinegar',
      PriceTier1: 1,
      CostingMethod: 'FIFO - Batch',
    });
    sandbox.cin7.addProduct({ SKU: 'VIN-500-XL', Name: 'Big vinegar' });
    const item = sandbox.bc.addItem({
      number: 'VIN-500',
      displayName: 'Balsamic vinegar 500 ml',
      type: 'Service',
      unitPrice: 11.25,
      blocked: true,
    });
    const entry = await syncBcItem({ type: 'bc-item', itemId: idOf(item) }, context(), sandbox.deps);

    expect(entry.state).toBe('synced');
    expect(sandbox.cin7.state.products).toHaveLength(2);
    expect(sandbox.cin7.state.products.find((p) => p.ID === existing.ID)).toMatchObject({
      Name: 'Balsamic vinegar 500 ml',
      PriceTier1: 11.25,
      Status: 'Deprecated',
      CostingMethod: 'FIFO - Batch',
      Type: 'Stock',
    });
  });

  it('when the item is unchanged since the last sync, then Cin7 is not called again', async () => {
    sandbox = await startMasterSandbox();
    const item = sandbox.bc.addItem({ number: 'SALT-1', displayName: 'Sea salt' });
    await syncBcItem({ type: 'bc-item', itemId: idOf(item) }, context(), sandbox.deps);
    const calls = sandbox.cin7.received.length;
    const entry = await syncBcItem({ type: 'bc-item', itemId: idOf(item) }, context(), sandbox.deps);

    expect(entry.state).toBe('synced');
    expect(sandbox.cin7.received.length).toBe(calls);
  });

  it('when the unit and category are mapped, then the product uses the mapped Cin7 names', async () => {
    sandbox = await startMasterSandbox();
    sandbox.cin7.addUnit('Bottle');
    sandbox.cin7.addCategory('Oils');
    await sandbox.deps.stores.mappings.upsert({ kind: 'unit', source: 'PCS', target: 'Bottle' });
    await sandbox.deps.stores.mappings.upsert({ kind: 'category', source: 'OIL', target: 'Oils' });
    const item = sandbox.bc.addItem({
      number: 'OIL-1L',
      displayName: 'Olive oil 1 L',
      baseUnitOfMeasureCode: 'PCS',
      itemCategoryCode: 'OIL',
    });
    await syncBcItem({ type: 'bc-item', itemId: idOf(item) }, context(), sandbox.deps);

    expect(sandbox.cin7.state.products[0]).toMatchObject({ UOM: 'Bottle', Category: 'Oils' });
  });

  it('when the category is missing in Cin7 and AUTO_CREATE_CATEGORIES is off, then the item is needs-mapping and nothing is written', async () => {
    sandbox = await startMasterSandbox();
    const item = sandbox.bc.addItem({ number: 'HERB-1', displayName: 'Oregano', itemCategoryCode: 'HERBS' });
    const entry = await syncBcItem({ type: 'bc-item', itemId: idOf(item) }, context(), sandbox.deps);

    expect(entry).toMatchObject({ state: 'needs-mapping', missing: ['category:HERBS'] });
    expect(sandbox.cin7.state.products).toHaveLength(0);
  });

  it('when the category is missing in Cin7 and AUTO_CREATE_CATEGORIES is on, then the category is created and the product uses it', async () => {
    sandbox = await startMasterSandbox({ env: { AUTO_CREATE_CATEGORIES: 'true' } });
    const item = sandbox.bc.addItem({ number: 'HERB-2', displayName: 'Basil', itemCategoryCode: 'HERBS' });
    const entry = await syncBcItem({ type: 'bc-item', itemId: idOf(item) }, context(), sandbox.deps);

    expect(entry.state).toBe('synced');
    expect(sandbox.cin7.state.categories.map((c) => c.Name)).toContain('HERBS');
    expect(sandbox.cin7.state.products[0]).toMatchObject({ Category: 'HERBS' });
  });

  it("when Cin7 rejects the product, then the item is failed with Cin7's message", async () => {
    sandbox = await startMasterSandbox({ env: { CIN7_DEFAULT_COSTING_METHOD: 'LIFO' } });
    const item = sandbox.bc.addItem({ number: 'BAD-1', displayName: 'Rejected thing' });
    const entry = await syncBcItem({ type: 'bc-item', itemId: idOf(item) }, context(), sandbox.deps);

    expect(entry.state).toBe('failed');
    expect(entry.reason).toMatch(/Cin7 rejected product BAD-1: .*CostingMethod 'LIFO' is not valid/);
  });
});
