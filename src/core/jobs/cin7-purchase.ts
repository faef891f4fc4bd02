/** Process a Cin7 purchase: each eligible invoice on it becomes (at most) one BC invoice. */
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { defineJobType, present } from './job-type.js';

const text = z.string().min(1);

export const cin7PurchaseJob = defineJobType({
  type: 'cin7-purchase',
  schema: z
    .object({
      type: z.literal('cin7-purchase'),
      /** The purchase ID, when known and trusted (poll, replay). */
      purchaseId: text.exactOptional(),
      /** Webhook hints: the TaskID is unreliable, so the order number is kept to resolve the purchase. */
      taskId: text.exactOptional(),
      orderNumber: text.exactOptional(),
      /** Replay one invoice only (and the credit notes that credit it). */
      invoiceTaskId: text.exactOptional(),
      /** Replay one credit note only. */
      creditNoteTaskId: text.exactOptional(),
    })
    // Every field is optional, but a job that names no purchase cannot be resolved or keyed.
    .refine((job) => job.purchaseId !== undefined || job.orderNumber !== undefined || job.taskId !== undefined, {
      message: 'needs an orderNumber, a purchaseId or a taskId',
      path: ['orderNumber'],
    }),
  recordType: 'purchase-invoice',
  alsoSettles: ['purchase-credit-note'],
  label: (job) => `purchase ${job.orderNumber ?? job.purchaseId ?? job.taskId ?? ''}`,
  // Keyed by ORDER NUMBER, upper-cased, when the job has one: poll rows carry both the ID and the
  // OrderNumber, and the thin webhook carries the OrderNumber and an unreliable TaskID (DESIGN §4 Read back),
  // so the order number is the one key every trigger agrees on. GUIDs are lower-cased so `ABC…` and `abc…`
  // from different sources share a session.
  sessionKey(job) {
    const orderNumber = present(job.orderNumber);
    if (orderNumber !== undefined) return `ORDER:${orderNumber.toUpperCase()}`;
    const purchaseId = present(job.purchaseId);
    if (purchaseId !== undefined) return `ID:${purchaseId.toLowerCase()}`;
    const taskId = present(job.taskId);
    if (taskId !== undefined) return `TASK:${taskId.toLowerCase()}`;
    throw new ValidationError('A cin7-purchase job needs an orderNumber, a purchaseId or a taskId', {
      system: 'queue',
    });
  },
  messageIdParts(job) {
    const invoice = present(job.invoiceTaskId);
    const creditNote = present(job.creditNoteTaskId);
    return [
      ...(invoice === undefined ? [] : [`invoice:${invoice.toLowerCase()}`]),
      ...(creditNote === undefined ? [] : [`credit-note:${creditNote.toLowerCase()}`]),
    ];
  },
  unreadRecord(job) {
    const key = job.purchaseId?.toLowerCase() ?? `order:${(job.orderNumber ?? job.taskId ?? 'unknown').toUpperCase()}`;
    return {
      recordType: 'purchase-invoice',
      recordId: `${key}/-`,
      label: `${job.orderNumber ?? job.purchaseId ?? job.taskId ?? 'purchase'} (unread)`,
    };
  },
  jobForRecord(entry) {
    const [purchaseId = '', taskId = '-'] = entry.recordId.split('/');
    if (purchaseId.startsWith('order:'))
      return { type: 'cin7-purchase' as const, orderNumber: purchaseId.slice('order:'.length) };
    const one = entry.recordType === 'purchase-credit-note' ? { creditNoteTaskId: taskId } : { invoiceTaskId: taskId };
    return {
      type: 'cin7-purchase' as const,
      purchaseId,
      ...(entry.sourceNumber ? { orderNumber: entry.sourceNumber } : {}),
      ...(taskId !== '-' ? one : {}),
    };
  },
});
