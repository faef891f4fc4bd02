/**
 * Webhook payloads as Cin7 sends them (reference/cin7-core-api.md §7.3) and their delivery with the
 * subscription's credentials (§7.1), counting failures and deactivating like Cin7 does (§7.4).
 */
import { makeGuid, type Cin7SimState, type SimWebhook } from './state.js';
import { productWebhookItem, purchaseWebhookItem, supplierWebhookItem } from './render.js';

/** An event the simulator can announce. Each becomes one payload per matching, active webhook. */
export type Cin7WebhookEvent =
  | {
      type: 'Purchase/InvoiceAuthorised';
      purchaseId: string;
      /** The invoice announced; default: the newest AUTHORISED (or PAID) invoice of the purchase. */
      taskId?: string;
      /**
       * Reproduces the field reports that this webhook "sends the incorrect TaskID" (reference §7.3):
       * `true` sends a random GUID, a string sends that value.
       */
      wrongTaskId?: boolean | string;
    }
  | { type: 'Purchase/OrderAuthorised'; purchaseId: string }
  | {
      type: 'Purchase/CreditNoteAuthorised';
      purchaseId: string;
      /** The credit note announced; default: the newest AUTHORISED one of the purchase. */
      taskId?: string;
    }
  | { type: 'Purchase/Updated'; purchaseIds: string[] }
  | { type: 'Supplier/Updated'; supplierIds: string[] }
  | {
      type: 'Product/Updated';
      productIds: string[];
      /** Only `Creation` is documented; the value for an update is unconfirmed (reference §7.3). */
      event?: string;
    };

export interface WebhookDelivery {
  webhookId: string;
  /** HTTP status of the last attempt; undefined when the connection failed. */
  status?: number;
  ok: boolean;
  attempts: number;
  /** Whether this delivery made Cin7 switch the webhook off (6 failures in a row). */
  deactivated: boolean;
}

/** Cin7 gives up after 6 failed attempts and sets `IsActive=false` without notice (reference §7.4). */
export const maxFailedDeliveries = 6;

function find<T extends { ID: string }>(items: T[], id: string, what: string): T {
  const item = items.find((i) => i.ID.toLowerCase() === id.toLowerCase());
  if (!item) throw new Error(`simulator: no ${what} with ID ${id}`);
  return item;
}

/** The JSON body Cin7 would POST for this event. */
export function buildWebhookPayload(state: Cin7SimState, event: Cin7WebhookEvent, random: () => number): unknown {
  switch (event.type) {
    case 'Purchase/InvoiceAuthorised': {
      const purchase = find(state.purchases, event.purchaseId, 'purchase');
      const invoice =
        event.taskId === undefined
          ? [...purchase.Invoices].reverse().find((i) => i.Status === 'AUTHORISED' || i.Status === 'PAID')
          : purchase.Invoices.find((i) => i.TaskID.toLowerCase() === event.taskId?.toLowerCase());
      if (!invoice)
        throw new Error(`simulator: purchase ${purchase.OrderNumber} has no authorised invoice to announce`);
      const taskId =
        event.wrongTaskId === true
          ? makeGuid(random)
          : typeof event.wrongTaskId === 'string'
            ? event.wrongTaskId
            : invoice.TaskID;
      // The documented example has an upper-case GUID and null supplier fields.
      return {
        TaskID: taskId.toUpperCase(),
        PurchaseOrderNumber: purchase.OrderNumber,
        InvoiceNumber: invoice.InvoiceNumber,
        SupplierName: null,
        SupplierContactName: null,
        SupplierContactEmail: null,
        EventType: 'Purchase/InvoiceAuthorised',
      };
    }
    case 'Purchase/CreditNoteAuthorised': {
      const purchase = find(state.purchases, event.purchaseId, 'purchase');
      const note =
        event.taskId === undefined
          ? [...purchase.CreditNotes].reverse().find((c) => c.Status === 'AUTHORISED')
          : purchase.CreditNotes.find((c) => c.TaskID.toLowerCase() === event.taskId?.toLowerCase());
      if (!note)
        throw new Error(`simulator: purchase ${purchase.OrderNumber} has no authorised credit note to announce`);
      // reference/cin7-core-api.md §7.3: the InvoiceAuthorised shape with CreditNoteNumber instead of InvoiceNumber
      // (type listed at dear-inventory-apikey-ruby.yaml:4925).
      return {
        TaskID: note.TaskID.toUpperCase(),
        PurchaseOrderNumber: purchase.OrderNumber,
        CreditNoteNumber: note.CreditNoteNumber,
        SupplierName: null,
        SupplierContactName: null,
        SupplierContactEmail: null,
        EventType: 'Purchase/CreditNoteAuthorised',
      };
    }
    case 'Purchase/OrderAuthorised': {
      const purchase = find(state.purchases, event.purchaseId, 'purchase');
      return {
        TaskID: purchase.ID.toLowerCase(),
        PurchaseOrderNumber: purchase.OrderNumber,
        SupplierName: purchase.Supplier,
        SupplierContactName: purchase.Contact,
        SupplierContactEmail: 'test@test.com',
        EventType: 'Purchase/OrderAuthorised',
      };
    }
    case 'Purchase/Updated': {
      const items = event.purchaseIds.map((id) => purchaseWebhookItem(find(state.purchases, id, 'purchase')));
      // The list key really is `CustomerDetailsList` (reference §8.9).
      return { NumberOfPurchase: items.length, CustomerDetailsList: items, EventType: 'Purchase/Updated' };
    }
    case 'Supplier/Updated': {
      const items = event.supplierIds.map((id) => supplierWebhookItem(find(state.suppliers, id, 'supplier')));
      return { NumberOfSuppliers: items.length, SupplierDetailsList: items, EventType: 'Supplier/Updated' };
    }
    case 'Product/Updated': {
      const items = event.productIds.map((id) =>
        productWebhookItem(find(state.products, id, 'product'), event.event ?? 'Creation'),
      );
      return { NumberOfProducts: items.length, ProductDetailsList: items, EventType: 'Product/Updated' };
    }
  }
}

/**
 * Headers the subscription asks for. `ExternalHeaders` go out as given, `{Key, Value}` each
 * (openapi.yaml:62015-62024; "Additional headers", dear-inventory-apikey-ruby.yaml:4894-4899). Basic auth
 * is the RFC 7617 pair of `ExternalUserName` and `ExternalPassword` (dear-inventory-apikey-ruby.yaml:4885-4890).
 * The header for `bearerauth` is not documented anywhere: `Authorization: Bearer <token>` is this simulator's
 * assumption, and the connector registers its webhooks without it.
 */
export function deliveryHeaders(webhook: SimWebhook): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (webhook.ExternalAuthorizationType === 'basicauth') {
    const pair = `${webhook.ExternalUserName ?? ''}:${webhook.ExternalPassword ?? ''}`;
    headers['authorization'] = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
  } else if (webhook.ExternalAuthorizationType === 'bearerauth') {
    headers['authorization'] = `Bearer ${webhook.ExternalBearerToken ?? ''}`;
  }
  for (const { Key, Value } of webhook.ExternalHeaders) headers[Key.toLowerCase()] = Value;
  return headers;
}

/** One POST; resolves with the status, or undefined when the receiver could not be reached. */
export async function postWebhook(webhook: SimWebhook, body: string, timeoutMs: number): Promise<number | undefined> {
  try {
    const response = await fetch(webhook.ExternalURL, {
      method: 'POST',
      headers: deliveryHeaders(webhook),
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return undefined;
  }
}
