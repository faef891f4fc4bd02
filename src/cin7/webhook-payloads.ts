/**
 * What Cin7 POSTs to our webhook endpoint (reference/cin7-core-api.md §7.3). Payloads are unsigned and
 * thin, so only the keys needed to find the record are read; the record itself is always read back.
 */
import { z } from 'zod';
import { describeIssues } from '../core/zod-issues.js';

const Text = z
  .string()
  .max(1024)
  .nullish()
  .transform((v) => (v === null || v === undefined || v.trim() === '' ? undefined : v.trim()))
  .optional();

/** Thin purchase events: `Purchase/InvoiceAuthorised`, `Purchase/OrderAuthorised`, … (TaskID is unreliable). */
const ThinPurchaseEvent = z.object({
  EventType: z.string().regex(/^Purchase\//),
  TaskID: Text,
  PurchaseOrderNumber: Text,
  InvoiceNumber: Text,
  CreditNoteNumber: Text,
});

/** `Purchase/Updated` is fat, and its list key really is `CustomerDetailsList`. */
const PurchaseUpdatedEvent = z.object({
  EventType: z.literal('Purchase/Updated'),
  CustomerDetailsList: z
    .array(z.object({ ID: z.string().min(1).max(64), OrderNumber: Text, LastUpdatedDate: Text }))
    .max(1000),
});

const SupplierUpdatedEvent = z.object({
  EventType: z.literal('Supplier/Updated'),
  SupplierDetailsList: z
    .array(z.object({ Supplier: z.object({ ID: z.string().min(1).max(64), LastModifiedOn: Text }) }))
    .max(1000),
});

const ProductUpdatedEvent = z.object({
  EventType: z.literal('Product/Updated'),
  ProductDetailsList: z.array(z.object({ ID: z.string().max(64).optional(), SKU: Text })).max(1000),
});

export type Cin7WebhookEvent =
  | {
      kind: 'purchase';
      eventType: string;
      purchases: Array<{ purchaseId?: string; taskId?: string; orderNumber?: string; version: string }>;
    }
  | { kind: 'supplier'; eventType: string; suppliers: Array<{ supplierId: string; version: string }> }
  | { kind: 'product'; eventType: string; count: number };

export type ParsedCin7WebhookEvent = { ok: true; event: Cin7WebhookEvent } | { ok: false; problem: string };

/**
 * Parses a webhook body into the keys of the records it names. Unknown event families are a validation
 * error (the endpoint only subscribes to Purchase, Supplier and Product events).
 */
export function parseCin7WebhookEvent(body: unknown): ParsedCin7WebhookEvent {
  const eventType = z.object({ EventType: z.string().max(100) }).safeParse(body);
  if (!eventType.success) return { ok: false, problem: 'body has no EventType string' };
  const type = eventType.data.EventType;
  /** Parses the body with the event's schema, then reads the event (or the problem) out of it. */
  const read = <T>(
    schema: z.ZodType<T>,
    toEvent: (data: T) => Cin7WebhookEvent | { problem: string },
  ): ParsedCin7WebhookEvent => {
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      return {
        ok: false,
        problem: `${type} payload invalid: ${describeIssues(parsed.error, { limit: 5 }).join('; ')}`,
      };
    }
    const event = toEvent(parsed.data);
    return 'problem' in event ? { ok: false, problem: event.problem } : { ok: true, event };
  };

  if (type === 'Purchase/Updated') {
    return read(PurchaseUpdatedEvent, (data) => ({
      kind: 'purchase',
      eventType: type,
      purchases: data.CustomerDetailsList.map((p) => ({
        purchaseId: p.ID,
        ...(p.OrderNumber ? { orderNumber: p.OrderNumber } : {}),
        version: `${type}:${p.LastUpdatedDate ?? ''}`,
      })),
    }));
  }
  if (type.startsWith('Purchase/')) {
    return read(ThinPurchaseEvent, ({ TaskID, PurchaseOrderNumber, InvoiceNumber, CreditNoteNumber }) => {
      if (!TaskID && !PurchaseOrderNumber)
        return { problem: `${type} payload has neither TaskID nor PurchaseOrderNumber` };
      const purchase = {
        ...(TaskID ? { taskId: TaskID } : {}),
        ...(PurchaseOrderNumber ? { orderNumber: PurchaseOrderNumber } : {}),
        version: `${type}:${TaskID ?? ''}:${InvoiceNumber ?? CreditNoteNumber ?? ''}`,
      };
      return { kind: 'purchase', eventType: type, purchases: [purchase] };
    });
  }
  if (type === 'Supplier/Updated') {
    return read(SupplierUpdatedEvent, (data) => ({
      kind: 'supplier',
      eventType: type,
      suppliers: data.SupplierDetailsList.map((s) => ({
        supplierId: s.Supplier.ID,
        version: s.Supplier.LastModifiedOn ?? '',
      })),
    }));
  }
  if (type === 'Product/Updated') {
    return read(ProductUpdatedEvent, (data) => ({
      kind: 'product',
      eventType: type,
      count: data.ProductDetailsList.length,
    }));
  }
  return { ok: false, problem: `unsupported EventType ${JSON.stringify(type)}` };
}

/**
 * The header the connector registers on its Cin7 webhooks through `ExternalHeaders`, with the webhook secret
 * as value. Cin7 documents that extra headers are sent as given (openapi.yaml:62015-62024), while the header
 * it sends for `bearerauth` is not documented, so the connector does not depend on it.
 */
export const cin7WebhookSecretHeader = 'X-Cin7-Webhook-Secret';
