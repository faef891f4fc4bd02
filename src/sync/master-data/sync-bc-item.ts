/**
 * BC item → Cin7 product (DESIGN §1), matched by exact SKU = item number (an `item` mapping row whose
 * target is the item number names another SKU). Triggered by the BC subscription on `items` (read back,
 * the notification carries no data) and the `lastModifiedDateTime gt` poll.
 *
 * Products flow one way, so there is no echo to recognise: the fingerprint of the item only spares Cin7 a
 * write (and its calls) when nothing the product is built from changed. Translation rules live in
 * `src/mapping/to-cin7-product.ts`. A Cin7 rejection parks the item as `failed` with Cin7's message.
 */
import { fingerprintItem, fingerprintProduct } from '../../mapping/master-fingerprint.js';
import { toCin7ProductInput } from '../../mapping/to-cin7-product.js';
import type { SyncDeps } from '../deps.js';
import { ValidationError } from '../../core/errors.js';
import { masterDataSettingsOf } from '../../core/settings.js';
import type { LedgerEntry } from '../../core/ports/stores.js';
import type { SyncJob } from '../../core/ports/jobs.js';
import { openRecord, parkRecord, transition, type RecordContext } from '../jobs/record.js';

async function names(items: AsyncIterable<{ Name: string }>): Promise<string[]> {
  const out: string[] = [];
  for await (const item of items) out.push(item.Name);
  return out;
}

export async function syncBcItem(
  job: Extract<SyncJob, { type: 'bc-item' }>,
  context: RecordContext,
  deps: SyncDeps,
): Promise<LedgerEntry> {
  const itemId = job.itemId.toLowerCase();
  let record = await openRecord(deps, 'item', itemId, context, `item ${job.itemId}`);
  const attempts = record.value.attempts + 1;
  // The readable label is known once the entity is read; parked records carry it from then on.
  const known: { label?: string } = {};
  const park = parkRecord(deps, context, () => ({ record, attempts, label: known.label }));

  // reference/bc-api.md §5.2: GET items({id}).
  const item = await deps.bc.getItem(itemId);
  if (!item) return park('skipped', `BC has no item ${job.itemId} (deleted?)`, 'read-bc');

  const mappings = await deps.stores.mappings.list();
  const sku =
    mappings.find((m) => m.kind === 'item' && m.target.toUpperCase() === item.number.toUpperCase())?.source ??
    item.number;
  const label = (known.label = `item ${item.number} ${item.displayName}`);
  const sourceFingerprint = fingerprintItem(item, sku);
  const common = {
    label,
    attempts,
    targetNumber: sku,
    sourceFingerprint,
    ...(item.lastModifiedDateTime ? { sourceUpdatedAt: item.lastModifiedDateTime } : {}),
  };

  if (
    record.value.state === 'synced' &&
    record.value.sourceFingerprint === sourceFingerprint &&
    context.trigger !== 'replay'
  ) {
    record = await transition(
      deps,
      record,
      common,
      { step: 'compare', outcome: 'skipped', message: 'unchanged since the last sync; nothing written to Cin7' },
      context,
    );
    return record.value;
  }

  // reference/cin7-core-api.md §5: exact SKU on top of Cin7's "containing" filter; §6.5 units and categories.
  const [existing, units, categories] = await Promise.all([
    deps.cin7.getProductBySku(sku),
    names(deps.cin7.listUnits()),
    names(deps.cin7.listCategories()),
  ]);
  if (!existing && item.blocked === true)
    return park('skipped', `${item.number} is blocked in BC; no Cin7 product is created for it`, 'resolve-product');

  const settings = masterDataSettingsOf(deps.settings);
  const translation = toCin7ProductInput(item, sku, existing, { units, categories, mappings, settings });
  if (!translation.ok) {
    return park('needs-mapping', `missing: ${translation.missing.join('; ')}`, 'resolve-mappings', translation.missing);
  }
  const { input } = translation;
  if (existing && fingerprintProduct(existing) === fingerprintProduct(input)) {
    record = await transition(
      deps,
      record,
      {
        ...common,
        state: 'synced',
        reason: undefined,
        missing: undefined,
        targetId: existing.ID,
        writtenFingerprint: fingerprintProduct(existing),
      },
      { step: 'compare', outcome: 'skipped', message: `Cin7 product ${sku} already matches; nothing written` },
      context,
    );
    return record.value;
  }

  try {
    if (translation.createCategory !== undefined) {
      // AUTO_CREATE_CATEGORIES: Cin7 does not create a category a product names (reference §5).
      await deps.cin7.createCategory(translation.createCategory);
      record = await transition(
        deps,
        record,
        {},
        { step: 'cin7-create-category', outcome: 'ok', message: `created Cin7 category ${translation.createCategory}` },
        context,
      );
    }
    const saved = existing
      ? await deps.cin7.updateProduct({ ...input, ID: existing.ID })
      : await deps.cin7.createProduct(input);
    record = await transition(
      deps,
      record,
      {
        ...common,
        state: 'synced',
        reason: undefined,
        missing: undefined,
        targetId: saved.ID,
        writtenFingerprint: fingerprintProduct(saved),
      },
      {
        step: existing ? 'cin7-update' : 'cin7-create',
        outcome: 'ok',
        message: `${existing ? 'updated' : 'created'} Cin7 product ${sku}`,
        details: { productId: saved.ID, sku },
      },
      context,
    );
    return record.value;
  } catch (error) {
    if (error instanceof ValidationError && error.system === 'cin7') {
      return park('failed', `Cin7 rejected product ${sku}: ${error.message}`, existing ? 'cin7-update' : 'cin7-create');
    }
    throw error;
  }
}
