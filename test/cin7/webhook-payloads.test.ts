import { describe, expect, it } from 'vitest';
import { parseCin7WebhookEvent } from '../../src/cin7/webhook-payloads.js';

describe('parseCin7WebhookEvent: Purchase/CreditNoteAuthorised', () => {
  const body = {
    TaskID: '8B1538E4-1F0A-4C5C-9E1E-5F8B2E3D4C11',
    PurchaseOrderNumber: 'PO-00005',
    CreditNoteNumber: 'CR-00005',
    SupplierName: null,
    EventType: 'Purchase/CreditNoteAuthorised',
  };

  it('when Cin7 announces an authorised credit note, then the purchase is named by order number and task', () => {
    expect(parseCin7WebhookEvent(body)).toEqual({
      ok: true,
      event: {
        kind: 'purchase',
        eventType: 'Purchase/CreditNoteAuthorised',
        purchases: [
          {
            taskId: body.TaskID,
            orderNumber: 'PO-00005',
            version: `Purchase/CreditNoteAuthorised:${body.TaskID}:CR-00005`,
          },
        ],
      },
    });
  });

  it('when the payload names neither task nor order, then it is refused', () => {
    const parsed = parseCin7WebhookEvent({ EventType: 'Purchase/CreditNoteAuthorised', CreditNoteNumber: 'CR-1' });
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.problem).toContain('neither TaskID nor PurchaseOrderNumber');
  });
});
