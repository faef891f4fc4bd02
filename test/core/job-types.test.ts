import { describe, expect, it } from 'vitest';
import { jobForRecord, jobLabel, recordTypeOf, sessionKeyOf, unreadRecordOf } from '../../src/core/jobs/job-types.js';

describe('job type table', () => {
  it.each([
    [
      { recordType: 'purchase-invoice' as const, recordId: 'b1c2/t9', sourceNumber: 'PO-7' },
      { type: 'cin7-purchase', purchaseId: 'b1c2', orderNumber: 'PO-7', invoiceTaskId: 't9' },
    ],
    [
      { recordType: 'purchase-credit-note' as const, recordId: 'b1c2/c4', sourceNumber: 'PO-7' },
      { type: 'cin7-purchase', purchaseId: 'b1c2', orderNumber: 'PO-7', creditNoteTaskId: 'c4' },
    ],
    [
      { recordType: 'purchase-invoice' as const, recordId: 'order:PO-8/-' },
      { type: 'cin7-purchase', orderNumber: 'PO-8' },
    ],
    [
      { recordType: 'supplier' as const, recordId: 's-1' },
      { type: 'cin7-supplier', supplierId: 's-1' },
    ],
    [
      { recordType: 'vendor' as const, recordId: 'v-1' },
      { type: 'bc-vendor', vendorId: 'v-1' },
    ],
    [
      { recordType: 'item' as const, recordId: 'i-1' },
      { type: 'bc-item', itemId: 'i-1' },
    ],
  ])('when ledger record %j is replayed, then the job type that owns it builds %j', (entry, job) => {
    expect(jobForRecord(entry)).toEqual(job);
  });

  it('when a job fails before naming a record, then its own type says which ledger row gets the failure', () => {
    expect(unreadRecordOf({ type: 'cin7-purchase', orderNumber: 'po-9' })).toEqual({
      recordType: 'purchase-invoice',
      recordId: 'order:PO-9/-',
      label: 'po-9 (unread)',
    });
    expect(unreadRecordOf({ type: 'bc-collection', resource: 'vendors' })).toMatchObject({
      recordType: 'vendor',
      recordId: 'collection:all',
    });
  });

  it('when a job is named for people, then the label comes from its type', () => {
    expect(jobLabel({ type: 'bc-vendor', vendorId: 'v-2' })).toBe('vendor v-2');
    expect(recordTypeOf({ type: 'cin7-supplier', supplierId: 's-2' })).toBe('supplier');
  });

  it.each([
    [{ type: 'bc-item' as const, itemId: 'AB-1F' }, 'item'],
    [{ type: 'bc-vendor' as const, vendorId: 'AB-1F' }, 'vendor'],
    [{ type: 'cin7-supplier' as const, supplierId: 'AB-1F' }, 'supplier'],
  ])(
    'when %j names one record by its id, then it is keyed and recorded under the lower-cased id',
    (job, recordType) => {
      expect(sessionKeyOf(job)).toBe('ab-1f');
      expect(unreadRecordOf(job)).toEqual({ recordType, recordId: 'ab-1f', label: `${recordType} AB-1F` });
    },
  );

  it('when a one-record job has a blank id, then it cannot be keyed', () => {
    expect(() => sessionKeyOf({ type: 'bc-vendor', vendorId: '  ' })).toThrow(
      'A bc-vendor job needs a non-empty vendorId',
    );
  });
});
