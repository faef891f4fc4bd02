import { describe, expect, it } from 'vitest';
import { formatCin7Date } from '../../src/cin7/dates.js';
import {
  Cin7Purchase,
  Cin7PurchaseCreditNote,
  Cin7PurchaseInvoice,
  Cin7Supplier,
  parseCin7Date,
} from '../../src/cin7/schemas.js';

describe('parseCin7Date', () => {
  it.each([
    ['2012-11-14T13:28:33.363', '2012-11-14T13:28:33.363Z'],
    ['2018-04-19T04:03:06.52Z', '2018-04-19T04:03:06.520Z'],
    ['2018-04-05T00:00:00', '2018-04-05T00:00:00.000Z'],
    ['2025-10-27', '2025-10-27T00:00:00.000Z'],
    ['29/01/2018', '2018-01-29T00:00:00.000Z'],
    ['2018-04-23T05:57:22.7908949Z', '2018-04-23T05:57:22.790Z'],
    ['2021-11-02T11:44:45.21', '2021-11-02T11:44:45.210Z'],
  ])('when Cin7 sends %s, then it reads as %s UTC', (input, expected) => {
    expect(parseCin7Date(input)).toBe(expected);
  });

  it.each(['31/02/2018', '2018-02-30', 'yesterday', '2018-13-01'])(
    'when the value is %s, then it is rejected instead of rolled over',
    (input) => {
      expect(parseCin7Date(input)).toBeUndefined();
    },
  );
});

describe('formatCin7Date', () => {
  it('when a watermark is sent, then it is UTC yyyy-MM-ddTHH:mm:ss without offset', () => {
    expect(formatCin7Date(new Date('2024-03-05T22:04:05.678+02:00'))).toBe('2024-03-05T20:04:05');
  });
});

describe('Cin7 schemas', () => {
  const invoice = { TaskID: 't1', Status: 'AUTHORISED', Total: 10, Lines: [] };
  const purchase = { ID: 'p1', SupplierID: 's1', Supplier: 'Acme', OrderNumber: 'PO-1', Status: 'INVOICED' };

  it('when Invoice is a single object (the deprecated GET purchase shape), then the purchase is rejected', () => {
    expect(Cin7Purchase.safeParse({ ...purchase, Invoice: invoice }).success).toBe(false);
  });

  it('when an invoice stage has no TaskID, then it is rejected (every ledger row is keyed by it)', () => {
    expect(Cin7PurchaseInvoice.safeParse({ ...invoice, TaskID: undefined }).success).toBe(false);
  });

  it('when Invoice holds only the NOT AVAILABLE stand-in, then the purchase reads as having no invoice', () => {
    const standIn = {
      TaskID: 'p1',
      Status: 'NOT AVAILABLE',
      InvoiceNumber: '',
      InvoiceDate: null,
      Total: 0,
      Lines: [],
    };
    expect(Cin7Purchase.parse({ ...purchase, Invoice: [standIn] }).Invoice).toEqual([]);
  });

  it('when CreditNote holds only the NOT AVAILABLE stand-in (openapi.yaml:1734-1747), then the purchase has no credit note', () => {
    const standIn = { TaskID: 'p1', Status: 'NOT AVAILABLE', CreditNoteNumber: '', CreditNoteDate: null, Total: 0 };
    expect(Cin7Purchase.parse({ ...purchase, CreditNote: [standIn] }).CreditNote).toEqual([]);
  });

  it('when a credit note is voided (no lines, zero totals), then it is kept with its status so it can be skipped', () => {
    const voided = { TaskID: 'c1', Status: 'VOIDED', CreditNoteNumber: 'CR-1', Lines: [], Total: 0, Tax: 0 };
    const parsed = Cin7Purchase.parse({ ...purchase, CreditNote: [voided] }).CreditNote;
    expect(parsed).toEqual([expect.objectContaining({ TaskID: 'c1', Status: 'VOIDED', Lines: [], Total: 0 })]);
  });

  it('when an authorised credit note names the invoice it credits, then number, invoice number and lines are read', () => {
    const note = {
      TaskID: 'c2',
      Status: 'AUTHORISED',
      CreditNoteNumber: 'CR-00069',
      CreditNoteInvoiceNumber: 'INV-00069',
      CreditNoteDate: '2018-04-03T00:00:00',
      Lines: [{ Name: 'Assembly One', Quantity: 1, Price: 280, Total: 280, Account: '715' }],
      Refunds: [{ Amount: 280 }],
      Total: 280,
    };
    const [parsed] = Cin7PurchaseCreditNote.array().parse([note]);
    expect(parsed).toMatchObject({ CreditNoteNumber: 'CR-00069', CreditNoteInvoiceNumber: 'INV-00069', Total: 280 });
    expect(parsed?.Lines).toHaveLength(1);
  });

  it('when Invoice holds real stages, then every one is kept, drafts and voided ones included', () => {
    const stages = ['DRAFT', 'AUTHORISED', 'VOIDED', 'PAID'].map((Status, i) => ({
      ...invoice,
      TaskID: `t${i}`,
      Status,
    }));
    expect(Cin7Purchase.parse({ ...purchase, Invoice: stages }).Invoice.map((i) => i.Status)).toEqual([
      'DRAFT',
      'AUTHORISED',
      'VOIDED',
      'PAID',
    ]);
  });

  it('when dates come in the mixed documented formats, then every one parses', () => {
    const parsed = Cin7Purchase.parse({
      ...purchase,
      OrderDate: '2018-04-05T00:00:00',
      LastUpdatedDate: '2018-04-23T05:57:45.847Z',
      Invoice: [{ ...invoice, InvoiceDate: '29/01/2018', InvoiceDueDate: '2025-10-27' }],
    });
    expect(parsed.OrderDate).toBe('2018-04-05T00:00:00.000Z');
    expect(parsed.Invoice[0]?.InvoiceDate).toBe('2018-01-29T00:00:00.000Z');
    expect(parsed.Invoice[0]?.InvoiceDueDate).toBe('2025-10-27T00:00:00.000Z');
  });

  it('when a supplier TaxNumber arrives as a number or null, then it is read as a string or absent', () => {
    expect(Cin7Supplier.parse({ ID: 's', Name: 'n', TaxNumber: 123 }).TaxNumber).toBe('123');
    expect(Cin7Supplier.parse({ ID: 's', Name: 'n', TaxNumber: null }).TaxNumber).toBeUndefined();
  });
});
