import { afterEach, describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../src/core/errors.js';
import { collect, rejectionOf, startHarness, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('Cin7 client data', () => {
  it('when 250 purchases are listed with page size 100, then three pages are read in creation order', async () => {
    h = await startHarness({ client: { pageSize: 100 } });
    const supplier = h.sim.addSupplier({ Name: 'Pager Pty' });
    for (let i = 0; i < 250; i += 1)
      h.sim.addPurchase({ SupplierID: supplier.ID, createdAt: new Date(Date.UTC(2024, 0, 1, 0, 0, i)) });
    const rows = await collect(h.client.listPurchases());
    expect(rows).toHaveLength(250);
    expect(rows[0]?.OrderNumber).toBe('PO-00001');
    expect(rows[249]?.OrderNumber).toBe('PO-00250');
    const pages = h.sim.received
      .filter((r) => r.path.endsWith('purchaseList'))
      .map((r) => [r.query['Page'], r.query['Limit']]);
    expect(pages).toEqual([
      ['1', '100'],
      ['2', '100'],
      ['3', '100'],
    ]);
  });

  it('when a page comes back empty before Total is reached, then the walk stops', async () => {
    h = await startHarness({ client: { pageSize: 2 } });
    const supplier = h.sim.addSupplier({ Name: 'Shrinking Co' });
    for (let i = 0; i < 3; i += 1) h.sim.addPurchase({ SupplierID: supplier.ID });
    const rows: string[] = [];
    for await (const row of h.client.listPurchases()) {
      rows.push(row.OrderNumber);
      h.sim.state.purchases.length = 0;
    }
    expect(rows).toEqual(['PO-00001', 'PO-00002']);
  });

  it('when updatedSince is given, then it is sent as UTC without offset and older purchases are left out', async () => {
    let now = Date.UTC(2024, 0, 1);
    h = await startHarness({ sim: { clock: () => now } });
    const supplier = h.sim.addSupplier({ Name: 'Clocked' });
    const old = h.sim.addPurchase({ SupplierID: supplier.ID, invoices: [{}] });
    h.sim.addPurchase({ SupplierID: supplier.ID });
    now = Date.UTC(2024, 0, 2, 3, 4, 5, 678);
    h.sim.authoriseInvoice(old.ID, old.Invoices[0]?.TaskID ?? '');
    const rows = await collect(h.client.listPurchases({ updatedSince: new Date(Date.UTC(2024, 0, 2)) }));
    expect(rows.map((r) => r.OrderNumber)).toEqual([old.OrderNumber]);
    expect(rows[0]?.LastUpdatedDate).toBe('2024-01-02T03:04:05.678Z');
    expect(h.sim.received.at(-1)?.query['UpdatedSince']).toBe('2024-01-02T00:00:00');
  });

  it('when the SKU filter also matches AB-10 and XAB-1, then getProductBySku returns exactly AB-1', async () => {
    h = await startHarness();
    for (const sku of ['AB-10', 'XAB-1', 'AB-1', 'XAB-10']) h.sim.addProduct({ SKU: sku });
    expect((await h.client.getProductBySku('AB-1'))?.SKU).toBe('AB-1');
  });

  it('when only longer SKUs contain the one asked for, then getProductBySku returns undefined', async () => {
    h = await startHarness();
    for (const sku of ['AB-10', 'XAB-1']) h.sim.addProduct({ SKU: sku });
    expect(await h.client.getProductBySku('AB-1')).toBeUndefined();
  });

  it('when the only match differs in case, then it is returned; when two do, then it is ambiguous', async () => {
    h = await startHarness();
    h.sim.addProduct({ SKU: 'ab-2' });
    h.sim.addProduct({ SKU: 'cd-3' });
    h.sim.addProduct({ SKU: 'CD-3' });
    expect((await h.client.getProductBySku('AB-2'))?.SKU).toBe('ab-2');
    expect(await rejectionOf(h.client.getProductBySku('Cd-3'))).toBeInstanceOf(ValidationError);
  });

  it('when the product is deprecated, then getProductBySku still finds it', async () => {
    h = await startHarness();
    h.sim.addProduct({ SKU: 'OLD-1', Status: 'Deprecated' });
    expect((await h.client.getProductBySku('OLD-1'))?.Status).toBe('Deprecated');
  });

  it('when a simple purchase is read, then its one invoice is keyed by the purchase ID', async () => {
    h = await startHarness();
    const supplier = h.sim.addSupplier({ Name: 'Simple Sa' });
    const p = h.sim.addPurchase({
      SupplierID: supplier.ID,
      Type: 'Simple Purchase',
      invoices: [{ InvoiceNumber: 'SUP-77', Status: 'AUTHORISED' }],
    });
    const purchase = await h.client.getPurchase(p.ID);
    expect(purchase?.Invoice).toEqual([expect.objectContaining({ InvoiceNumber: 'SUP-77', TaskID: p.ID })]);
  });

  it('when an advanced purchase has two invoices, then both are read with their own TaskIDs and lines', async () => {
    h = await startHarness();
    const supplier = h.sim.addSupplier({ Name: 'Multi Inc' });
    const p = h.sim.addPurchase({
      SupplierID: supplier.ID,
      invoices: [
        { Status: 'AUTHORISED', Lines: [{ Name: 'Bolts', Quantity: 10, Price: 2.5, Account: '630' }] },
        { Status: 'DRAFT', AdditionalCharges: [{ Description: 'Freight', Price: 15 }] },
      ],
    });
    const purchase = await h.client.getPurchase(p.ID);
    expect(purchase?.Invoice.map((i) => i.TaskID)).toEqual(p.Invoices.map((i) => i.TaskID));
    expect(purchase?.Invoice[0]).toMatchObject({ Status: 'AUTHORISED', TotalBeforeTax: 25, Tax: 2.5, Total: 27.5 });
    expect(purchase?.Invoice[1]?.AdditionalCharges[0]).toMatchObject({ Description: 'Freight', Total: 15 });
  });

  it('when the purchase ID is unknown (a wrong webhook TaskID), then getPurchase returns undefined', async () => {
    h = await startHarness();
    expect(await h.client.getPurchase('8B1538E4-0000-4000-8000-000000000000')).toBeUndefined();
  });

  it('when a purchase lacks OrderNumber, then ValidationError names the endpoint, the purchase and the field', async () => {
    h = await startHarness();
    const supplier = h.sim.addSupplier({ Name: 'Broken Ltd' });
    const p = h.sim.addPurchase({ SupplierID: supplier.ID });
    Reflect.deleteProperty(p, 'OrderNumber');
    const single = await rejectionOf(h.client.getPurchase(p.ID));
    expect(single).toBeInstanceOf(ValidationError);
    expect((single as Error).message).toMatch(new RegExp(`GET advanced-purchase.*${p.ID}.*OrderNumber`));
    const listed = await rejectionOf(collect(h.client.listPurchases()));
    expect((listed as Error).message).toMatch(new RegExp(`GET purchaseList.*${p.ID}.*OrderNumber`));
  });

  it('when a product is created with an unknown category, then NotFoundError carries Cin7 text', async () => {
    h = await startHarness();
    const error = await rejectionOf(
      h.client.createProduct({
        SKU: 'Z-1',
        Name: 'Z',
        Category: 'Nope',
        Type: 'Stock',
        CostingMethod: 'FIFO',
        UOM: 'Item',
        Status: 'Active',
      }),
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toContain('Category not found.');
  });

  it('when a product SKU already exists, then ValidationError is raised', async () => {
    h = await startHarness();
    h.sim.addProduct({ SKU: 'DUP-1' });
    const error = await rejectionOf(
      h.client.createProduct({
        SKU: 'DUP-1',
        Name: 'Z',
        Category: 'General',
        Type: 'Stock',
        CostingMethod: 'FIFO',
        UOM: 'Item',
        Status: 'Active',
      }),
    );
    expect(error).toBeInstanceOf(ValidationError);
  });

  it('when a product is created then updated, then the saved record comes back from the Products envelope', async () => {
    h = await startHarness();
    const created = await h.client.createProduct({
      SKU: 'P-1',
      Name: 'Pump',
      Category: 'General',
      Type: 'Stock',
      CostingMethod: 'FIFO',
      UOM: 'Item',
      Status: 'Active',
      PriceTier1: 12,
    });
    const updated = await h.client.updateProduct({
      ID: created.ID,
      SKU: 'P-1',
      Name: 'Pump 2',
      Category: 'General',
      CostingMethod: 'FIFO',
      UOM: 'Item',
      Status: 'Active',
    });
    expect(updated).toMatchObject({ ID: created.ID, Name: 'Pump 2', PriceTier1: 12 });
  });

  it('when a supplier is created, updated and read, then every step returns the saved supplier', async () => {
    h = await startHarness();
    const input = {
      Name: 'Vendor One',
      Currency: 'USD',
      PaymentTerm: '30 days',
      AccountPayable: '800',
      TaxRule: 'Tax on Purchases',
      Status: 'Active',
    } as const;
    const created = await h.client.createSupplier({
      ...input,
      TaxNumber: '12 345',
      Contacts: [{ Name: 'Ann', Email: 'ann@example.com' }],
    });
    await h.client.updateSupplier({ ...input, ID: created.ID, Name: 'Vendor One Ltd' });
    const read = await h.client.getSupplier(created.ID);
    expect(read).toMatchObject({
      Name: 'Vendor One Ltd',
      TaxNumber: '12 345',
      Contacts: [expect.objectContaining({ Name: 'Ann' })],
    });
    expect(await collect(h.client.listSuppliers({ name: 'one ltd' }))).toHaveLength(1);
  });

  it('when a supplier names a payment term Cin7 does not have, then ValidationError quotes Cin7', async () => {
    h = await startHarness();
    const error = await rejectionOf(
      h.client.createSupplier({
        Name: 'X',
        Currency: 'USD',
        PaymentTerm: '45 days',
        AccountPayable: '800',
        TaxRule: 'Tax on Purchases',
        Status: 'Active',
      }),
    );
    expect((error as Error).message).toContain("Payment term '45 days' was not found in reference book");
  });

  it('when reference data is listed, then every list endpoint is read and a category can be created', async () => {
    h = await startHarness();
    expect((await collect(h.client.listAccounts())).map((a) => a.Code)).toContain('800');
    expect((await collect(h.client.listTaxRules())).map((t) => t.Name)).toContain('Tax on Purchases');
    expect((await collect(h.client.listPaymentTerms())).map((t) => t.Name)).toContain('30 days');
    expect((await collect(h.client.listLocations())).map((l) => l.Name)).toEqual(['Main Warehouse']);
    expect((await collect(h.client.listUnits())).map((u) => u.Name)).toEqual(['Item']);
    const created = await h.client.createCategory('Tools');
    expect((await collect(h.client.listCategories())).map((c) => c.Name)).toEqual(['General', 'Tools']);
    expect(created.ID).toBeDefined();
  });
});
