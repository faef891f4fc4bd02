/**
 * Invariant 3 with BC's default dimensions in play: BC gives each new line the vendor's defaults (through the
 * header) and the G/L account's or item's, and a dimension sent again fails the whole deep insert. The
 * connector's rules win where they name a dimension, BC's defaults stay where they do not, and a draft whose
 * dimensions cannot be completed is not posted. Item lines carry the unit Cin7 counted in.
 */
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../sandbox/sandbox.js';
import { addAuthorisedPurchase, addSupplierWithVendor } from '../support/seed.js';
import { ValidationError } from '../../src/core/errors.js';
import { allHandlers } from '../../src/sync/jobs/handlers.js';
import { runJob } from '../../src/sync/jobs/run-job.js';
import {
  announceInvoice,
  bcInvoices,
  bcLines,
  createRequests,
  invoiceRecordId,
  purchaseEnvelope,
  sandboxPerTest,
  withoutAutomaticRetries,
} from '../support/invariant-sandbox.js';

function accountId(sb: Sandbox, number: string): string {
  const account = sb.bc.data.accounts.find((a) => a.number === number);
  if (typeof account?.id !== 'string') throw new Error(`account ${number} is not seeded`);
  return account.id;
}

function idOf(row: { id?: unknown } | undefined): string {
  if (typeof row?.id !== 'string') throw new Error('the simulator row has no id');
  return row.id;
}

function dimensionWrites(sb: Sandbox): number {
  return sb.faults.count({ system: 'bc', path: /dimensionSetLines/ });
}

describe('I3: default dimensions', () => {
  const startWith = sandboxPerTest();
  const start = (env: Record<string, string> = {}): Promise<Sandbox> => startWith({ env });

  it("I3: when the vendor defaults a rule's dimension to another value and one the rules do not name, then the rule wins, BC's other default stays, and it posts", async () => {
    // Arrange
    const sb = await start();
    await sb.deps.stores.mappings.upsert({ kind: 'dimension-default', source: '*', target: 'AREA=EAST' });
    const { supplier, vendor } = addSupplierWithVendor(sb);
    sb.bc.setTableFields(idOf(vendor), {
      defaultDimensions: [
        { code: 'AREA', valueCode: 'WEST' },
        { code: 'DEPARTMENT', valueCode: 'PURCHASING' },
      ],
    });
    const purchase = addAuthorisedPurchase(sb, supplier.ID);

    // Act
    await announceInvoice(sb, purchase);
    await sb.settle();

    // Assert
    expect(createRequests(sb)).toBe(1);
    const [invoice] = bcInvoices(sb);
    expect(invoice?.status).toBe('Open');
    expect(bcLines(sb, invoice).map((l) => [...l.dimensions].sort())).toEqual([
      ['AREA=EAST', 'DEPARTMENT=PURCHASING'],
      ['AREA=EAST', 'DEPARTMENT=PURCHASING'],
    ]);
    // One PATCH per line whose vendor default differed; nothing for the dimension the rules do not name.
    expect(dimensionWrites(sb)).toBe(2);
  });

  it('I3: when the vendor defaults a rule dimension to the same value, then nothing but the create and the post is written', async () => {
    // Arrange
    const sb = await start();
    await sb.deps.stores.mappings.upsert({ kind: 'dimension-default', source: '*', target: 'AREA=EAST' });
    const { supplier, vendor } = addSupplierWithVendor(sb);
    sb.bc.setTableFields(idOf(vendor), { defaultDimensions: [{ code: 'AREA', valueCode: 'EAST' }] });
    const purchase = addAuthorisedPurchase(sb, supplier.ID);

    // Act
    await announceInvoice(sb, purchase);
    await sb.settle();

    // Assert
    const [invoice] = bcInvoices(sb);
    expect(invoice?.status).toBe('Open');
    expect(bcLines(sb, invoice).map((l) => l.dimensions)).toEqual([['AREA=EAST'], ['AREA=EAST']]);
    expect(dimensionWrites(sb)).toBe(0);
  });

  it("I3: when a G/L account defaults a rule's dimension, then the deep insert leaves it to BC and the line is set to the rule's value before posting", async () => {
    // Arrange: BC's API lists a G/L account's defaults without saying whose (blank parent type).
    const sb = await start();
    await sb.deps.stores.mappings.upsert({ kind: 'dimension-default', source: '*', target: 'DEPARTMENT=SALES' });
    sb.bc.setTableFields(accountId(sb, '630'), {
      defaultDimensions: [{ code: 'DEPARTMENT', valueCode: 'PURCHASING' }],
    });
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(
      sb,
      supplier.ID,
      {},
      {
        Lines: [
          { SKU: 'OIL-1L', Name: 'Olive oil 1 L', Quantity: 12, Price: 8.5 },
          { SKU: 'VIN-500', Name: 'Balsamic vinegar 500 ml', Quantity: 6, Price: 11.25, Account: '429' },
        ],
      },
    );

    // Act
    await announceInvoice(sb, purchase);
    await sb.settle();

    // Assert: line 1 (630) had BC's PURCHASING changed; line 2 (429, no defaults) had SALES added.
    expect(createRequests(sb)).toBe(1);
    const [invoice] = bcInvoices(sb);
    expect(invoice?.status).toBe('Open');
    expect(bcLines(sb, invoice).map((l) => [l.lineObjectNumber, l.dimensions])).toEqual([
      ['630', ['DEPARTMENT=SALES']],
      ['429', ['DEPARTMENT=SALES']],
    ]);
    expect(dimensionWrites(sb)).toBe(2);
  });

  it('I3: when BC refuses to set a dimension on the draft, then the draft is not posted and the record names the line and dimension', async () => {
    // Arrange: BC answers the PATCH of the line's dimension with a 400 (e.g. a blocked dimension value).
    const sb = await start();
    await sb.deps.stores.mappings.upsert({ kind: 'dimension-default', source: '*', target: 'AREA=EAST' });
    const { supplier, vendor } = addSupplierWithVendor(sb);
    sb.bc.setTableFields(idOf(vendor), { defaultDimensions: [{ code: 'AREA', valueCode: 'WEST' }] });
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    const deps = withoutAutomaticRetries(sb);
    const refusing = {
      ...deps,
      bc: {
        ...deps.bc,
        updateLineDimension: () =>
          Promise.reject(
            new ValidationError('Dimension Value EAST for Dimension AREA is blocked.', { system: 'bc', status: 400 }),
          ),
      },
    };

    // Act
    await runJob(purchaseEnvelope(purchase), refusing, allHandlers);

    // Assert
    const [invoice] = bcInvoices(sb);
    expect(invoice?.status).toBe('Draft');
    const entry = (await sb.ledger('purchase-invoice')).find((e) => e.recordId === invoiceRecordId(purchase));
    expect(entry?.state).toBe('failed');
    expect(entry?.targetId).toBe(invoice?.id);
    expect(entry?.reason).toMatch(/BC refused to set AREA=EAST on line 10000 of draft .*is blocked.*; not posted/);
  });

  it('I3: when the refused draft is replayed after the fix in BC, then the same draft is completed and posted, nothing created again', async () => {
    // Arrange
    const sb = await start();
    await sb.deps.stores.mappings.upsert({ kind: 'dimension-default', source: '*', target: 'AREA=EAST' });
    const { supplier, vendor } = addSupplierWithVendor(sb);
    sb.bc.setTableFields(idOf(vendor), { defaultDimensions: [{ code: 'AREA', valueCode: 'WEST' }] });
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    const deps = withoutAutomaticRetries(sb);
    await runJob(
      purchaseEnvelope(purchase),
      {
        ...deps,
        bc: {
          ...deps.bc,
          updateLineDimension: () => Promise.reject(new ValidationError('blocked', { system: 'bc', status: 400 })),
        },
      },
      allHandlers,
    );

    // Act
    await runJob(purchaseEnvelope(purchase, { trigger: 'replay', version: 'replay' }), deps, allHandlers);

    // Assert
    expect(createRequests(sb)).toBe(1);
    const [invoice] = bcInvoices(sb);
    expect(invoice?.status).toBe('Open');
    expect(bcLines(sb, invoice).map((l) => l.dimensions)).toEqual([['AREA=EAST'], ['AREA=EAST']]);
  });

  it("I3: when an item's purchase unit differs from the unit Cin7 counts in, then the line is sent in Cin7's unit, not BC's purchase unit", async () => {
    // Arrange
    const sb = await start({ LINE_MODE: 'item' });
    sb.bc.addUnitOfMeasure('PCS', 'Piece');
    sb.bc.addUnitOfMeasure('BOX', 'Box of 12');
    for (const sku of ['OIL-1L', 'VIN-500']) {
      const item = sb.bc.addItem({ number: sku, displayName: sku, baseUnitOfMeasureCode: 'PCS' });
      sb.bc.setTableFields(idOf(item), {
        purchUnitOfMeasure: 'BOX',
        itemUnitsOfMeasure: new Map([
          ['PCS', 1],
          ['BOX', 12],
        ]),
      });
      sb.cin7.addProduct({ SKU: sku, Name: sku, UOM: 'Piece' });
    }
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);

    // Act
    await announceInvoice(sb, purchase);
    await sb.settle();

    // Assert
    const [invoice] = bcInvoices(sb);
    expect(invoice?.status).toBe('Open');
    const lines = [...sb.bc.data.purchaseInvoiceLines.rows.values()].filter((l) => l.documentId === invoice?.id);
    expect(lines.map((l) => [l.lineType, l.unitOfMeasureCode, l.quantity])).toEqual([
      ['Item', 'PCS', 12],
      ['Item', 'PCS', 6],
    ]);
  });

  it('I2: when the Cin7 unit of an item line matches no BC unit, then the record needs a mapping and nothing is written to BC', async () => {
    // Arrange
    const sb = await start({ LINE_MODE: 'item' });
    sb.bc.addUnitOfMeasure('PCS', 'Piece');
    for (const sku of ['OIL-1L', 'VIN-500']) {
      sb.bc.addItem({ number: sku, displayName: sku, baseUnitOfMeasureCode: 'PCS' });
      sb.cin7.addProduct({ SKU: sku, Name: sku, UOM: 'Pallet' });
    }
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);

    // Act
    await announceInvoice(sb, purchase);
    await sb.settle();

    // Assert
    expect(createRequests(sb)).toBe(0);
    const entry = (await sb.ledger('purchase-invoice')).find((e) => e.recordId === invoiceRecordId(purchase));
    expect(entry?.state).toBe('needs-mapping');
    expect(entry?.missing).toContain('unit:Pallet (line "Olive oil 1 L": no BC unit of measure Pallet)');
  });
});
