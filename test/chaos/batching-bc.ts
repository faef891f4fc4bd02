/**
 * The purchase flow's post + read-back as one `$batch` (`postPurchaseInvoiceAndRead`), ahead of the flow's
 * own switch: `postPurchaseInvoice` sends the batch and keeps the posted invoice, and the read that follows
 * is answered from it instead of another request. Used by the benchmark (before/after figures) and by the
 * chaos suite's `--batched-post` runs.
 */
import type { BcPurchaseInvoiceWithLines } from '../../src/bc/schemas.js';
import type { BcPort } from '../../src/sync/ports.js';

export function batchingBc(bc: BcPort): BcPort {
  const posted = new Map<string, BcPurchaseInvoiceWithLines>();
  const port: BcPort = Object.create(bc) as BcPort;
  port.postPurchaseInvoice = async (id) => {
    posted.set(id, { ...(await bc.postPurchaseInvoiceAndRead(id)), purchaseInvoiceLines: [] });
  };
  port.getPurchaseInvoice = (id) => {
    const hit = posted.get(id);
    if (hit === undefined) return bc.getPurchaseInvoice(id);
    posted.delete(id);
    return Promise.resolve(hit);
  };
  return port;
}
