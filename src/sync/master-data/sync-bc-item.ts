/**
 * BC item → Cin7 product (DESIGN §1), matched by exact SKU = item number (an `item` mapping row whose
 * target is the item number names another SKU). Triggered by the BC subscription on `items` (read back,
 * the notification carries no data) and the `lastModifiedDateTime gt` poll.
 *
 * Products flow one way, so there is no echo to recognise: the fingerprint of the item only spares Cin7 a
 * write (and its calls) when nothing the product is built from changed. Translation rules live in
 * `src/mapping/to-cin7-product.ts`. A Cin7 rejection parks the item as `failed` with Cin7's message.
 */
import type { BcItem } from '../../bc/schemas.js';
import type { Cin7Product } from '../../cin7/schemas.js';
import { fingerprintItem, fingerprintProduct } from '../../mapping/master-fingerprint.js';
import { toCin7ProductInput } from '../../mapping/to-cin7-product.js';
import type { SyncDeps } from '../deps.js';
import { ValidationError } from '../../core/errors.js';
import { masterDataSettingsOf } from '../../core/settings.js';
import type { LedgerEntry, Mapping } from '../../core/ports/stores.js';
import type { LedgerPatch } from '../jobs/record.js';
import { advance, openAndRead, recordSynced, unchangedSinceSync } from './master-pass.js';
import type { MasterPass, MasterSync } from './master-pass.js';

async function names(items: AsyncIterable<{ Name: string }>): Promise<string[]> {
  const out: string[] = [];
  for await (const item of items) out.push(item.Name);
  return out;
}

/** The item being pushed, its Cin7 SKU and what every ledger update of the pass carries. */
interface ItemPass extends MasterPass {
  item: BcItem;
  sku: string;
  mappings: Mapping[];
  common: LedgerPatch;
}

export const syncBcItem: MasterSync<'bc-item'> = async (job, context, deps) => {
  // reference/bc-api.md §5.2: GET items({id}).
  const opened = await openAndRead(deps, context, job, 'read-bc', (itemId) => deps.bc.getItem(itemId));
  if ('parked' in opened) return opened.parked;
  const { pass, entity: item } = opened;

  const mappings = await deps.stores.mappings.list();
  const sku =
    mappings.find((m) => m.kind === 'item' && m.target.toUpperCase() === item.number.toUpperCase())?.source ??
    item.number;
  pass.label = `item ${item.number} ${item.displayName}`;
  const sourceFingerprint = fingerprintItem(item, sku);
  const common = {
    label: pass.label,
    attempts: pass.attempts,
    targetNumber: sku,
    sourceFingerprint,
    ...(item.lastModifiedDateTime ? { sourceUpdatedAt: item.lastModifiedDateTime } : {}),
  };
  if (unchangedSinceSync(pass, sourceFingerprint)) {
    const message = 'unchanged since the last sync; nothing written to Cin7';
    return advance(pass, common, { step: 'compare', outcome: 'skipped', message });
  }
  // The same object: the pass's park reads its latest record.
  return pushProduct(Object.assign(pass, { item, sku, mappings, common }));
};

/** Reads the product with the item's SKU and Cin7's units and categories, then creates or updates it. */
async function pushProduct(pass: ItemPass): Promise<LedgerEntry> {
  const { deps, item, sku } = pass;
  // reference/cin7-core-api.md §5: exact SKU on top of Cin7's "containing" filter; §6.5 units and categories.
  const [existing, units, categories] = await Promise.all([
    deps.cin7.getProductBySku(sku),
    names(deps.cin7.listUnits()),
    names(deps.cin7.listCategories()),
  ]);
  if (!existing && item.blocked === true)
    return pass.park(
      'skipped',
      `${item.number} is blocked in BC; no Cin7 product is created for it`,
      'resolve-product',
    );
  const settings = masterDataSettingsOf(deps.settings);
  const translation = toCin7ProductInput(item, sku, existing, {
    units,
    categories,
    mappings: pass.mappings,
    settings,
  });
  if (!translation.ok)
    return pass.park(
      'needs-mapping',
      `missing: ${translation.missing.join('; ')}`,
      'resolve-mappings',
      translation.missing,
    );
  if (existing && fingerprintProduct(existing) === fingerprintProduct(translation.input)) {
    const message = `Cin7 product ${sku} already matches; nothing written`;
    return synced(pass, existing, { step: 'compare', outcome: 'skipped', message });
  }
  try {
    return await saveProduct(pass, existing, translation.input, translation.createCategory);
  } catch (error) {
    if (error instanceof ValidationError && error.system === 'cin7') {
      const step = existing ? 'cin7-update' : 'cin7-create';
      return pass.park('failed', `Cin7 rejected product ${sku}: ${error.message}`, step);
    }
    throw error;
  }
}

async function saveProduct(
  pass: ItemPass,
  existing: Cin7Product | undefined,
  input: Parameters<SyncDeps['cin7']['createProduct']>[0],
  createCategory: string | undefined,
): Promise<LedgerEntry> {
  const { deps, sku } = pass;
  if (createCategory !== undefined) {
    // AUTO_CREATE_CATEGORIES: Cin7 does not create a category a product names (reference §5).
    await deps.cin7.createCategory(createCategory);
    const message = `created Cin7 category ${createCategory}`;
    await advance(pass, {}, { step: 'cin7-create-category', outcome: 'ok', message });
  }
  const saved = existing
    ? await deps.cin7.updateProduct({ ...input, ID: existing.ID })
    : await deps.cin7.createProduct(input);
  return synced(pass, saved, {
    step: existing ? 'cin7-update' : 'cin7-create',
    outcome: 'ok',
    message: `${existing ? 'updated' : 'created'} Cin7 product ${sku}`,
    details: { productId: saved.ID, sku },
  });
}

function synced(pass: ItemPass, product: Cin7Product, note: Parameters<typeof recordSynced>[2]): Promise<LedgerEntry> {
  return recordSynced(
    pass,
    { ...pass.common, targetId: product.ID, writtenFingerprint: fingerprintProduct(product) },
    note,
  );
}
