/**
 * Reads the purchase back from Cin7; the webhook body is never trusted (DESIGN §4). A webhook's TaskID is
 * often not the purchase ID, so an ID that does not load falls back to the order number.
 */
import type { Cin7Purchase } from '../../cin7/schemas.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import type { SyncJob } from '../../core/ports/jobs.js';
import type { SyncDeps } from '../deps.js';

export type PurchaseJob = Extract<SyncJob, { type: 'cin7-purchase' }>;

export async function readPurchase(job: PurchaseJob, deps: Pick<SyncDeps, 'cin7'>): Promise<Cin7Purchase> {
  // A trusted purchase ID (poll, fat webhook, replay) costs one call. A thin webhook's TaskID is usually an
  // invoice task, not the purchase (reference §7.3), so its order number is tried before the TaskID.
  const purchase =
    (await readById(job.purchaseId, deps)) ??
    (await readByOrderNumber(job.orderNumber, deps)) ??
    (await readById(job.taskId, deps));
  if (purchase) return purchase;
  throw new NotFoundError(
    `Cin7 purchase not found (ID ${job.purchaseId ?? job.taskId ?? '-'}, order ${job.orderNumber ?? '-'}); ` +
      'check it exists in Cin7, then replay',
    { system: 'cin7' },
  );
}

async function readById(id: string | undefined, deps: Pick<SyncDeps, 'cin7'>): Promise<Cin7Purchase | undefined> {
  if (!id) return undefined;
  try {
    return await deps.cin7.getPurchase(id);
  } catch (error) {
    // A wrong TaskID can be answered as "not found" or "bad id"; the other keys settle it.
    if (error instanceof NotFoundError || error instanceof ValidationError) return undefined;
    throw error;
  }
}

async function readByOrderNumber(
  orderNumber: string | undefined,
  deps: Pick<SyncDeps, 'cin7'>,
): Promise<Cin7Purchase | undefined> {
  if (!orderNumber) return undefined;
  const wanted = orderNumber.trim().toUpperCase();
  for await (const row of deps.cin7.listPurchases({ search: orderNumber })) {
    if (row.OrderNumber.trim().toUpperCase() !== wanted) continue;
    const purchase = await deps.cin7.getPurchase(row.ID);
    if (purchase) return purchase;
  }
  return undefined;
}
