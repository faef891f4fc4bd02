/**
 * The Cin7 unit each item line is counted in. Cin7's purchase lines carry no unit: the quantity is in the
 * product's `UOM` (openapi.yaml, Product model), so the product is read, once per distinct SKU of the invoice's
 * lines that code to a BC item. Account lines need no unit and cost nothing.
 */
import type { Cin7PurchaseInvoice } from '../../cin7/schemas.js';
import type { LineMode } from '../../core/settings.js';
import type { BcReferenceData, MappingIndex } from '../../mapping/reference-data.js';
import type { SyncDeps } from '../deps.js';

/** Upper-cased SKU → the Cin7 product's unit of measure (absent when the product has none or is gone). */
export async function readProductUnits(
  invoice: Cin7PurchaseInvoice,
  lineMode: LineMode,
  reference: BcReferenceData,
  mappings: MappingIndex,
  deps: Pick<SyncDeps, 'cin7'>,
): Promise<Map<string, string>> {
  const units = new Map<string, string>();
  if (lineMode === 'account') return units;
  const skus = new Set<string>();
  for (const line of invoice.Lines) {
    const sku = line.SKU?.trim();
    if (!sku) continue;
    const item = reference.items.get((mappings.get('item', sku) ?? sku).toUpperCase());
    if (item !== undefined && item.blocked !== true) skus.add(sku);
  }
  for (const sku of skus) {
    const product = await deps.cin7.getProductBySku(sku);
    if (product?.UOM) units.set(sku.toUpperCase(), product.UOM);
  }
  return units;
}
