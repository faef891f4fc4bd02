/**
 * Cin7's purchase webhooks in a sandbox: registering them as the connector's setup would, and Cin7 announcing
 * a purchase. Free of vitest so the bench and chaos scripts (run by tsx) share it with the suites.
 */
import type { Sandbox } from '../sandbox/sandbox.js';
import type { SimPurchase } from '../sandbox/cin7/state.js';

export type PurchaseWebhookType = 'Purchase/InvoiceAuthorised' | 'Purchase/CreditNoteAuthorised' | 'Purchase/Updated';

const allPurchaseWebhooks: readonly PurchaseWebhookType[] = [
  'Purchase/InvoiceAuthorised',
  'Purchase/CreditNoteAuthorised',
  'Purchase/Updated',
];

/** Registers the connector's webhook (bearer auth with its secret) for each type, by default all three. */
export function registerPurchaseWebhooks(
  sandbox: Sandbox,
  types: readonly PurchaseWebhookType[] = allPurchaseWebhooks,
): void {
  for (const Type of types) {
    sandbox.cin7.addWebhook({
      Type,
      ExternalURL: sandbox.webhookUrl,
      ExternalAuthorizationType: 'bearerauth',
      ExternalBearerToken: sandbox.env['CIN7_WEBHOOK_SECRET'] ?? '',
      IsActive: true,
    });
  }
}

/** Cin7 announces the purchase's authorised invoice to the connector's webhook. */
export async function announceInvoice(sandbox: Sandbox, purchase: SimPurchase): Promise<void> {
  await sandbox.cin7.deliverWebhooks({
    type: 'Purchase/InvoiceAuthorised',
    purchaseId: purchase.ID,
    taskId: firstInvoice(purchase).TaskID,
  });
}

/** Cin7 announces the purchase's newest authorised credit note to the connector's webhook. */
export async function announceCreditNote(sandbox: Sandbox, purchase: SimPurchase): Promise<void> {
  await sandbox.cin7.deliverWebhooks({ type: 'Purchase/CreditNoteAuthorised', purchaseId: purchase.ID });
}

/** Cin7 announces that purchases changed (any stage). */
export async function announceUpdate(sandbox: Sandbox, ...purchases: SimPurchase[]): Promise<void> {
  await sandbox.cin7.deliverWebhooks({ type: 'Purchase/Updated', purchaseIds: purchases.map((p) => p.ID) });
}

export function firstInvoice(purchase: SimPurchase): SimPurchase['Invoices'][number] {
  const invoice = purchase.Invoices[0];
  if (!invoice) throw new Error(`purchase ${purchase.OrderNumber} has no invoice`);
  return invoice;
}
