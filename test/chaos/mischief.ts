/**
 * What an unlucky operator and a busy Cin7 do to records while the connector works on them (issue "Close the
 * exactly-once and visibility holes"): suppliers remapped to another BC vendor, invoices edited or deleted in
 * Cin7 between the BC create and the post, and secrets rotated in Key Vault. Each touched record may then end
 * differently from its plan, but always visibly and never with a second BC document; a rotation touches none.
 */
import type { Sandbox } from '../sandbox/sandbox.js';
import type { SimPurchase } from '../sandbox/cin7/state.js';
import type { MemoryVault } from '../support/memory-vault.js';
import { shuffle } from './chaos-scenario.js';

export interface MischiefLog {
  remappedSuppliers: Set<string>;
  /** Record ids whose Cin7 invoice was edited: posted (rebuilt), diverged (edited after posting) or failed. */
  edited: Set<string>;
  /** Record ids whose Cin7 invoice was deleted: skipped (draft deleted), diverged (after posting) or failed. */
  removed: Set<string>;
  /** Secret rotations: each changes the BC client secret and the Cin7 application key (fault kind `secret-rotation`). */
  secretRotations: number;
}

export function emptyMischief(): MischiefLog {
  return { remappedSuppliers: new Set(), edited: new Set(), removed: new Set(), secretRotations: 0 };
}

/**
 * A secret rotation as an operator does it: a new BC client secret and a new Cin7 application key go into Key
 * Vault, and Entra and Cin7 refuse the old values from that moment (no overlap), while the connector still
 * holds them in memory. No record may fail for it.
 */
export function rotateSecrets(sandbox: Sandbox, vault: MemoryVault, log: MischiefLog): void {
  log.secretRotations += 1;
  const bcSecret = `chaos-bc-secret-${log.secretRotations}`;
  const cin7Key = `chaos-cin7-key-${log.secretRotations}`;
  vault.set('bc-client-secret', bcSecret);
  sandbox.entra.rotateClientSecret(bcSecret);
  vault.set('cin7-application-key', cin7Key);
  sandbox.cin7.rotateApplicationKey(cin7Key);
}

/**
 * One wave of mischief: one remap, an edit and a deletion aimed at records between create and post, and a
 * secret rotation. The purchases changed are announced as Cin7 would (`Purchase/Updated`).
 */
export async function makeMischief(
  sandbox: Sandbox,
  purchases: ReadonlyArray<{ sim: SimPurchase }>,
  log: MischiefLog,
  random: () => number,
  vault: MemoryVault,
): Promise<void> {
  rotateSecrets(sandbox, vault, log);
  const ledger = await sandbox.ledger('purchase-invoice');
  const inFlight = new Set(
    ledger.filter((e) => e.state === 'creating' || e.state === 'created').map((e) => e.recordId),
  );
  const candidates = shuffle(
    purchases.flatMap(({ sim }) =>
      sim.Invoices.filter((i) => i.Status === 'AUTHORISED').map((invoice) => ({ sim, invoice })),
    ),
    random,
  ).sort(
    (a, b) =>
      Number(inFlight.has(recordIdOf(b.sim, b.invoice.TaskID))) -
      Number(inFlight.has(recordIdOf(a.sim, a.invoice.TaskID))),
  );

  const remapped = candidates.find(({ sim }) => !log.remappedSuppliers.has(sim.SupplierID));
  if (remapped) {
    const { SupplierID } = remapped.sim;
    const vendor = sandbox.bc.addVendor({
      displayName: `Remapped ${log.remappedSuppliers.size + 1}`,
      taxRegistrationNumber: `TX-REMAP-${log.remappedSuppliers.size + 1}`,
    });
    const number = vendor['number'];
    if (typeof number === 'string') {
      await sandbox.deps.stores.mappings.upsert({ kind: 'supplier', source: SupplierID.toLowerCase(), target: number });
      log.remappedSuppliers.add(SupplierID);
    }
  }

  const untouched = candidates.filter(({ sim, invoice }) => {
    const id = recordIdOf(sim, invoice.TaskID);
    return !log.edited.has(id) && !log.removed.has(id);
  });
  const edit = untouched[0];
  if (edit) {
    // One more of each line: amounts stay in whole cents, so Cin7 and BC still agree after the rebuild.
    const lines = edit.invoice.Lines.map((line) => ({
      ...(line.SKU === null ? {} : { SKU: line.SKU }),
      Name: line.Name,
      Quantity: line.Quantity + 1,
      Price: line.Price,
      Discount: line.Discount,
      TaxRule: line.TaxRule,
      Account: line.Account,
    }));
    sandbox.cin7.updateInvoice(edit.sim.ID, edit.invoice.TaskID, { Lines: lines });
    log.edited.add(recordIdOf(edit.sim, edit.invoice.TaskID));
  }
  const removal = untouched[1];
  if (removal) {
    removal.sim.Invoices.splice(removal.sim.Invoices.indexOf(removal.invoice), 1);
    removal.sim.LastUpdatedDate = new Date();
    log.removed.add(recordIdOf(removal.sim, removal.invoice.TaskID));
  }
  const changed = [edit, removal].flatMap((touched) => (touched ? [touched.sim.ID] : []));
  if (changed.length > 0) await sandbox.cin7.deliverWebhooks({ type: 'Purchase/Updated', purchaseIds: changed });
}

function recordIdOf(purchase: SimPurchase, taskId: string): string {
  return `${purchase.ID.toLowerCase()}/${taskId.toLowerCase()}`;
}
