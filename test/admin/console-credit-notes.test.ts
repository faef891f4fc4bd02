/** Issues 12 and 14: a credit note waiting for its parked invoice, as the console's gaps and record views show it. */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pollCin7Purchases } from '../../src/sync/purchase/poll-cin7.js';
import { listGaps } from '../../src/sync/admin/gaps.js';
import { buildCodedInvoice } from '../../src/sync/admin/coded-invoice.js';
import type { LedgerEntry } from '../../src/core/ports/stores.js';
import { startSandbox, type Sandbox } from '../sandbox/sandbox.js';
import { addAuthorisedPurchase, addSupplierWithVendor, seedMatchingReference } from '../support/seed.js';

describe('console views of a credit note', () => {
  let sandbox: Sandbox;
  let waiting: LedgerEntry;

  beforeAll(async () => {
    sandbox = await startSandbox({ azuriteConnectionString: inject('azuriteConnectionString') });
    seedMatchingReference(sandbox);
    const { supplier } = addSupplierWithVendor(sandbox, 'Tuscan Groves');
    const purchase = addAuthorisedPurchase(
      sandbox,
      supplier.ID,
      {},
      {
        InvoiceNumber: 'INV-477',
        Lines: [{ SKU: 'OIL-1L', Name: 'Olive oil 1 L', Quantity: 2, Price: 10, Account: '477' }],
      },
    );
    sandbox.cin7.addCreditNote(purchase.ID, {
      Status: 'AUTHORISED',
      CreditNoteNumber: 'CR-9',
      CreditNoteInvoiceNumber: 'INV-477',
      Lines: [{ SKU: 'OIL-1L', Name: 'Olive oil 1 L (damaged)', Quantity: 1, Price: 10 }],
    });
    await pollCin7Purchases(sandbox.deps);
    await sandbox.settle();
    const notes = await sandbox.ledger('purchase-credit-note');
    expect(notes.map((n) => n.state)).toEqual(['needs-mapping']);
    waiting = notes[0]!;
  });
  afterAll(() => sandbox?.close());

  it('when a credit note waits for its parked invoice, then the gaps say to fix that invoice first, not to map anything', async () => {
    const report = await listGaps(sandbox.deps);

    const group = report.groups.find((g) => g.kind === 'posted-invoice');
    expect(group?.value).toBe('INV-477');
    expect(group?.fix).toBeUndefined();
    expect(group?.hint).toMatch(/^fix invoice INV-477 first/);
    expect(report.groups.find((g) => g.kind === 'account')?.value).toBe('477');
  });

  it('when the waiting credit note is opened, then it is coded like an invoice line from the credit note', async () => {
    const outcome = await buildCodedInvoice(sandbox.deps, waiting);

    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.coded.invoiceNumber).toBe('CR-9');
    expect(outcome.coded.cin7.totalBeforeTax).toBe(10);
    expect(outcome.coded.invoice?.purchaseInvoiceLines).toHaveLength(1);
  });
});
