/**
 * The BC and operator data a translation is checked against. Built by the use case from cached BC lists and
 * the mapping table; the translation itself never does I/O.
 */
import type { BcAccount, BcItem, BcVendor } from '../bc/schemas.js';
import type { Mapping, MappingKind } from '../core/ports/stores.js';

export interface BcReferenceData {
  /** BC's local currency (LCY); a Cin7 currency equal to it is sent blank. */
  localCurrencyCode: string;
  /** By account number. */
  accounts: ReadonlyMap<string, BcAccount>;
  /** By item number (upper-cased, as BC stores Code fields). */
  items: ReadonlyMap<string, BcItem>;
  /** Tax codes (tax groups / VAT product posting groups) by upper-cased code, with their display names. */
  taxCodes: ReadonlyMap<string, { code: string; displayName?: string | undefined }>;
  /** Currency codes known to BC, upper-cased (LCY is not in the list). */
  currencies: ReadonlySet<string>;
  /** Dimension code → value codes, all upper-cased. */
  dimensions: ReadonlyMap<string, ReadonlySet<string>>;
  /** By vendor number. */
  vendors: ReadonlyMap<string, BcVendor>;
  /** What BC puts on a new line by itself; absent when not loaded (then nothing is assumed defaulted). */
  defaultDimensions?: DefaultDimensions;
  /** BC units of measure by upper-cased code, with their display names. */
  unitsOfMeasure?: ReadonlyMap<string, { code: string; displayName?: string | undefined }>;
}

/** Dimension code → value, both upper-cased. */
export type DimensionValues = ReadonlyMap<string, string>;

/**
 * BC's default dimensions as the API shows them (APIV2DefaultDimensions.Page.al): a vendor's reach every
 * line through the header, an item's reach its lines; a G/L account's are listed without saying whose.
 */
export interface DefaultDimensions {
  /** By vendor number. */
  vendors: ReadonlyMap<string, DimensionValues>;
  /** By upper-cased item number. */
  items: ReadonlyMap<string, DimensionValues>;
  /** Dimension codes some record outside vendors and items defaults (G/L accounts among them). */
  unattributed: ReadonlySet<string>;
}

/** The operator's mappings grouped for look-up; dimension rules keep every row. */
export class MappingIndex {
  private readonly single = new Map<MappingKind, Map<string, string>>();
  private readonly dimensionRules: Mapping[] = [];

  constructor(mappings: readonly Mapping[]) {
    for (const mapping of mappings) {
      if (mapping.kind.startsWith('dimension-')) {
        this.dimensionRules.push(mapping);
        continue;
      }
      let byKind = this.single.get(mapping.kind);
      if (!byKind) this.single.set(mapping.kind, (byKind = new Map<string, string>()));
      byKind.set(normaliseSource(mapping.kind, mapping.source), mapping.target);
    }
  }

  /** The mapped target for a source value, if the operator set one. */
  get(kind: MappingKind, source: string): string | undefined {
    return this.single.get(kind)?.get(normaliseSource(kind, source));
  }

  /** The source of the row whose target is this value (case-insensitive): `unit` rows run BC code → Cin7 name. */
  sourceOf(kind: MappingKind, target: string): string | undefined {
    const wanted = target.trim().toUpperCase();
    for (const [source, mapped] of this.single.get(kind) ?? []) {
      if (mapped.trim().toUpperCase() === wanted) return source;
    }
    return undefined;
  }

  /** Dimension rules of one kind whose source matches (case-insensitive); `*` for defaults. */
  dimensions(
    kind: Extract<MappingKind, `dimension-${string}`>,
    source: string,
  ): Array<{ code: string; value: string }> {
    const wanted = source.trim().toUpperCase();
    return this.dimensionRules
      .filter((rule) => rule.kind === kind && rule.source.trim().toUpperCase() === wanted)
      .map((rule) => parseDimensionTarget(rule.target))
      .filter((d): d is { code: string; value: string } => d !== undefined);
  }

  get hasCategoryRules(): boolean {
    return this.dimensionRules.some((rule) => rule.kind === 'dimension-category');
  }
}

/** Names and codes compare case-insensitively; ids (supplier GUIDs) too, since Cin7 varies GUID case. */
function normaliseSource(_kind: MappingKind, source: string): string {
  return source.trim().toUpperCase();
}

/** `AREA=NORTH` → `{ code: 'AREA', value: 'NORTH' }`. */
export function parseDimensionTarget(target: string): { code: string; value: string } | undefined {
  const index = target.indexOf('=');
  if (index <= 0) return undefined;
  const code = target.slice(0, index).trim().toUpperCase();
  const value = target
    .slice(index + 1)
    .trim()
    .toUpperCase();
  return code && value ? { code, value } : undefined;
}
