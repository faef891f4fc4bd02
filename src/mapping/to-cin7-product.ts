/**
 * Pure translation of a BC item into the Cin7 product body (reference/cin7-core-api.md §5), matched by
 * exact SKU = item number (DESIGN §1).
 *
 * - Type: Inventory → Stock; Service and Non-Inventory → Service (Cin7's Type is read-only on PUT, so it is
 *   sent on create only).
 * - Unit: a `unit` mapping (BC code → Cin7 unit), else the Cin7 unit of the same name; `CIN7_DEFAULT_UOM`
 *   when the item has none.
 * - Category: a `category` mapping (BC code → Cin7 category), else the Cin7 category of the same name;
 *   `CIN7_DEFAULT_CATEGORY` when the item has none. A category Cin7 lacks is created when
 *   `AUTO_CREATE_CATEGORIES` is on, else it is a gap.
 * - Barcode from the GTIN, price tier 1 from the unit price, status from `blocked`, costing method from
 *   `CIN7_DEFAULT_COSTING_METHOD` on create (an existing product keeps its own: Cin7 refuses to change it
 *   once stock moved).
 */
import type { BcItem } from '../bc/schemas.js';
import type { Cin7Product, Cin7ProductInput } from '../cin7/schemas.js';
import type { MasterDataSettings } from '../core/settings.js';
import type { Mapping } from '../core/ports/stores.js';

export interface ProductReferences {
  /** Cin7 unit names (ref/unit). */
  units: readonly string[];
  /** Cin7 category names (ref/category). */
  categories: readonly string[];
  /** `unit` and `category` mappings. */
  mappings: readonly Mapping[];
  settings: Pick<MasterDataSettings, 'autoCreateCategories' | 'cin7Defaults'>;
}

export type ProductTranslation =
  | {
      ok: true;
      input: Cin7ProductInput;
      /** A category to create in Cin7 first (AUTO_CREATE_CATEGORIES). */ createCategory?: string;
    }
  | { ok: false; missing: string[] };

function text(value: string | undefined | null): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function findName(names: readonly string[], wanted: string): string | undefined {
  return names.find((n) => n.trim().toLowerCase() === wanted.trim().toLowerCase());
}

function mapped(mappings: readonly Mapping[], kind: 'unit' | 'category', code: string): string | undefined {
  return mappings.find((m) => m.kind === kind && m.source.trim().toUpperCase() === code.trim().toUpperCase())?.target;
}

export function cin7ProductType(itemType: string | undefined): 'Stock' | 'Service' {
  return itemType === 'Service' || itemType === 'Non-Inventory' ? 'Service' : 'Stock';
}

/** The Cin7 unit of the item's base unit (mapped, else the same name), or CIN7_DEFAULT_UOM; a gap when none. */
function unitFor(item: BcItem, refs: ProductReferences, missing: string[]): string | undefined {
  const defaults = refs.settings.cin7Defaults;
  const unitCode = text(item.baseUnitOfMeasureCode);
  if (unitCode === undefined) {
    const uom = findName(refs.units, defaults.uom);
    if (uom === undefined) missing.push(`unit:${defaults.uom} (CIN7_DEFAULT_UOM is not a Cin7 unit)`);
    return uom;
  }
  const wanted = mapped(refs.mappings, 'unit', unitCode) ?? unitCode;
  const uom = findName(refs.units, wanted);
  if (uom === undefined) missing.push(`unit:${unitCode}${wanted === unitCode ? '' : ` (mapped to ${wanted})`}`);
  return uom;
}

/**
 * The Cin7 category of the item's category (mapped, else the same name), or CIN7_DEFAULT_CATEGORY; one Cin7
 * lacks is created with AUTO_CREATE_CATEGORIES, a gap otherwise.
 */
function categoryFor(
  item: BcItem,
  refs: ProductReferences,
  missing: string[],
): { category?: string; createCategory?: string } {
  const categoryCode = text(item.itemCategoryCode);
  const wanted =
    categoryCode === undefined
      ? text(refs.settings.cin7Defaults.category)
      : (mapped(refs.mappings, 'category', categoryCode) ?? categoryCode);
  if (wanted === undefined) {
    missing.push('setting:CIN7_DEFAULT_CATEGORY (the item has no category)');
    return {};
  }
  const category = findName(refs.categories, wanted);
  if (category !== undefined) return { category };
  if (refs.settings.autoCreateCategories) return { category: wanted, createCategory: wanted };
  const mappedTo = categoryCode !== undefined && wanted !== categoryCode ? ` (mapped to ${wanted})` : '';
  missing.push(`category:${categoryCode ?? wanted}${mappedTo}`);
  return {};
}

/** The POST (no `existing`) or PUT body for the item, or every gap at once. */
export function toCin7ProductInput(
  item: BcItem,
  sku: string,
  existing: Cin7Product | undefined,
  refs: ProductReferences,
): ProductTranslation {
  const missing: string[] = [];
  const defaults = refs.settings.cin7Defaults;
  const uom = unitFor(item, refs, missing);
  const { category, createCategory } = categoryFor(item, refs, missing);
  if (missing.length > 0 || uom === undefined || category === undefined) return { ok: false, missing };

  const gtin = text(item.gtin);
  const input: Cin7ProductInput = {
    ...(existing ? { ID: existing.ID } : { Type: cin7ProductType(item.type) }),
    SKU: sku,
    Name: item.displayName.trim(),
    Category: category,
    CostingMethod: text(existing?.CostingMethod) ?? defaults.costingMethod,
    UOM: uom,
    Status: item.blocked === true ? 'Deprecated' : 'Active',
    ...(gtin !== undefined
      ? { Barcode: gtin }
      : existing && text(existing.Barcode) !== undefined
        ? { Barcode: '' }
        : {}),
    ...(typeof item.unitPrice === 'number' ? { PriceTier1: item.unitPrice } : {}),
  };
  return createCategory === undefined ? { ok: true, input } : { ok: true, input, createCategory };
}
