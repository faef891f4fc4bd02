/**
 * BC reference data reused across records so one invoice costs a handful of BC calls, not dozens
 * (DESIGN §4 Rate limits). Entries expire after a TTL, and a miss can force one refresh so a record
 * added in BC a minute ago is found without waiting for the TTL.
 */
import type { BcReferenceData, DefaultDimensions } from '../mapping/reference-data.js';
import type { BcDefaultDimension, BcItem, BcVendor } from '../bc/schemas.js';
import type { BcPort } from '../core/ports/bc.js';
import type { Clock } from '../core/clock.js';

export interface ReferenceCache {
  /** Reference data, loaded at most once per TTL (concurrent callers share one load). */
  get(): Promise<BcReferenceData>;
  /** Drops the cache so the next `get` reloads from BC (after a miss, or when BC rejected a reference). */
  invalidate(): void;
  /** Drops the cache only if it was loaded more than `ms` ago, so a burst of misses reloads once, not per record. */
  invalidateIfOlderThan(ms: number): void;
  /** Records a vendor created or changed by this process without a reload. */
  rememberVendor(vendor: BcVendor): void;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) result.push(item);
  return result;
}

type CachedReferenceData = BcReferenceData & { vendors: Map<string, BcVendor> };

export function createReferenceCache(options: {
  bc: BcPort;
  clock: Clock;
  ttlMs: number;
  loadItems: boolean;
}): ReferenceCache {
  const { bc, clock, ttlMs } = options;
  let cached: { data: CachedReferenceData; loadedAt: number } | undefined;
  let loading: Promise<CachedReferenceData> | undefined;
  return {
    async get() {
      if (cached && clock.now() - cached.loadedAt < ttlMs) return cached.data;
      if (!loading) {
        loading = loadReferenceData(bc, options.loadItems)
          .then((data) => {
            cached = { data, loadedAt: clock.now() };
            return data;
          })
          .finally(() => {
            loading = undefined;
          });
      }
      return loading;
    },
    invalidate() {
      cached = undefined;
    },
    invalidateIfOlderThan(ms) {
      if (cached && clock.now() - cached.loadedAt > ms) cached = undefined;
    },
    rememberVendor(vendor) {
      cached?.data.vendors.set(vendor.number, vendor);
    },
  };
}

/** Reads every reference list at once and indexes it by the keys the mapping looks up (upper-cased codes). */
async function loadReferenceData(bc: BcPort, loadItems: boolean): Promise<CachedReferenceData> {
  const [company, accounts, items, taxGroups, currencies, dimensions, dimensionValues, vendors, defaults, units] =
    await Promise.all([
      bc.getCompanyInformation(),
      collect(bc.listAccounts()),
      loadItems ? collect(bc.listItems()) : Promise.resolve([]),
      collect(bc.listTaxGroups()),
      collect(bc.listCurrencies()),
      collect(bc.listDimensions()),
      collect(bc.listDimensionValues()),
      collect(bc.listVendors()),
      collect(bc.listDefaultDimensions()),
      loadItems ? collect(bc.listUnitsOfMeasure()) : Promise.resolve([]),
    ]);
  const dimensionCodeById = new Map(dimensions.map((d) => [d.id, d.code.toUpperCase()]));
  const dimensionMap = new Map<string, Set<string>>(dimensions.map((d) => [d.code.toUpperCase(), new Set<string>()]));
  for (const value of dimensionValues) {
    const code = dimensionCodeById.get(value.dimensionId);
    if (code !== undefined) dimensionMap.get(code)?.add(value.code.toUpperCase());
  }
  return {
    localCurrencyCode: company.currencyCode.toUpperCase(),
    accounts: new Map(accounts.map((a) => [a.number, a])),
    items: new Map(items.map((i) => [i.number.toUpperCase(), i])),
    taxCodes: new Map(taxGroups.map((t) => [t.code.toUpperCase(), { code: t.code, displayName: t.displayName }])),
    currencies: new Set(currencies.map((c) => c.code.toUpperCase())),
    dimensions: dimensionMap,
    vendors: new Map(vendors.map((v) => [v.number, v])),
    defaultDimensions: groupDefaultDimensions(defaults, vendors, items),
    unitsOfMeasure: new Map(units.map((u) => [u.code.toUpperCase(), { code: u.code, displayName: u.displayName }])),
  };
}

/** Default dimension rows by the vendor or item number they belong to; the rest only by dimension code. */
function groupDefaultDimensions(
  rows: readonly BcDefaultDimension[],
  vendors: readonly BcVendor[],
  items: readonly BcItem[],
): DefaultDimensions {
  const vendorById = new Map(vendors.map((v) => [v.id.toLowerCase(), v.number]));
  const itemById = new Map(items.map((i) => [i.id.toLowerCase(), i.number.toUpperCase()]));
  const byVendor = new Map<string, Map<string, string>>();
  const byItem = new Map<string, Map<string, string>>();
  const unattributed = new Set<string>();
  const add = (into: Map<string, Map<string, string>>, owner: string, row: BcDefaultDimension) => {
    let values = into.get(owner);
    if (!values) into.set(owner, (values = new Map<string, string>()));
    values.set(row.dimensionCode.toUpperCase(), (row.dimensionValueCode ?? '').toUpperCase());
  };
  for (const row of rows) {
    // A default with a blank value ("Code Mandatory" without a value) puts nothing on the line.
    if ((row.dimensionValueCode ?? '') === '') continue;
    const parentId = (row.parentId ?? '').toLowerCase();
    const vendor = row.parentType === 'Vendor' ? vendorById.get(parentId) : undefined;
    const item = row.parentType === 'Item' ? itemById.get(parentId) : undefined;
    if (vendor !== undefined) add(byVendor, vendor, row);
    else if (item !== undefined) add(byItem, item, row);
    else if (
      row.parentType !== 'Customer' &&
      row.parentType !== 'Employee' &&
      row.parentType !== 'Vendor' &&
      row.parentType !== 'Item'
    ) {
      unattributed.add(row.dimensionCode.toUpperCase());
    }
  }
  return { vendors: byVendor, items: byItem, unattributed };
}
