import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox/sandbox.js';
import { addAuthorisedPurchase, addSupplierWithVendor, seedMatchingReference } from '../support/seed.js';

describe('end to end', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ azuriteConnectionString: inject('azuriteConnectionString') });
    seedMatchingReference(sandbox);
    sandbox.cin7.addWebhook({ Type: 'Purchase/InvoiceAuthorised', ExternalURL: sandbox.webhookUrl, ExternalAuthorizationType: 'bearerauth', ExternalBearerToken: sandbox.env['CIN7_WEBHOOK_SECRET'] ?? '', IsActive: true });
  });
  afterAll(() => sandbox?.close());

  it('when an authorised invoice is announced by webhook, then one posted BC invoice with the vendor invoice number exists', async () => {
    const { supplier } = addSupplierWithVendor(sandbox, 'Tuscan Groves');
    const purchase = addAuthorisedPurchase(sandbox, supplier.ID);
    const invoice = purchase.Invoices[0]!;
    await sandbox.cin7.deliverWebhooks({ type: 'Purchase/InvoiceAuthorised', purchaseId: purchase.ID, taskId: invoice.TaskID });
    await sandbox.settle();
    const ledger = await sandbox.ledger('purchase-invoice');
    expect(ledger.map((e) => [e.state, e.reason])).toEqual([['posted', undefined]]);
    const posted = [...sandbox.bc.data.purchaseInvoices.rows.values()];
    expect(posted).toHaveLength(1);
  });
});
