/**
 * Both systems' reference data side by side, read once for `doctor` and `suggest`, and the default
 * matching rules of DESIGN §4 applied to it (the same rules `toBcPurchaseInvoice` and `resolveVendor`
 * follow), so a gap reported here is exactly a gap an invoice would hit.
 */
import type { BcAccount, BcCodeEntity, BcDimension, BcDimensionValue, BcVendor } from '../../bc/schemas.js';
import type { Cin7Account, Cin7NamedRef, Cin7Supplier, Cin7TaxRule } from '../../cin7/schemas.js';
import { MappingIndex } from '../../mapping/reference-data.js';
import { matchVendor } from '../../mapping/to-bc-vendor.js';
import type { SyncDeps } from '../deps.js';
import type { Mapping } from '../../core/ports/stores.js';
import { isClaim } from './mappings.js';

export interface Cin7Side {
  accounts: Cin7Account[];
  taxRules: Cin7TaxRule[];
  suppliers: Cin7Supplier[];
  locations: Cin7NamedRef[];
  categories: Cin7NamedRef[];
}

export interface BcSide {
  accounts: BcAccount[];
  taxGroups: BcCodeEntity[];
  vendors: BcVendor[];
  dimensions: BcDimension[];
  dimensionValues: BcDimensionValue[];
}

export interface Landscape {
  cin7: Cin7Side;
  bc: BcSide;
  mappings: Mapping[];
}

export type Progress = (message: string) => void;

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) result.push(item);
  return result;
}

/** Cin7 lists are read one after another: Cin7 allows 60 calls a minute, and the client queues them anyway. */
export async function readCin7Side(
  deps: Pick<SyncDeps, 'cin7'>,
  progress: Progress = () => undefined,
): Promise<Cin7Side> {
  progress('reading Cin7 accounts');
  const accounts = await collect(deps.cin7.listAccounts());
  progress('reading Cin7 tax rules');
  const taxRules = await collect(deps.cin7.listTaxRules());
  progress('reading Cin7 suppliers');
  const suppliers = await collect(deps.cin7.listSuppliers());
  progress('reading Cin7 locations and categories');
  const locations = await collect(deps.cin7.listLocations());
  const categories = await collect(deps.cin7.listCategories());
  return { accounts, taxRules, suppliers, locations, categories };
}

export async function readBcSide(deps: Pick<SyncDeps, 'bc'>, progress: Progress = () => undefined): Promise<BcSide> {
  progress('reading BC accounts, tax groups, vendors and dimensions');
  const [accounts, taxGroups, vendors, dimensions, dimensionValues] = await Promise.all([
    collect(deps.bc.listAccounts()),
    collect(deps.bc.listTaxGroups()),
    collect(deps.bc.listVendors()),
    collect(deps.bc.listDimensions()),
    collect(deps.bc.listDimensionValues()),
  ]);
  return { accounts, taxGroups, vendors, dimensions, dimensionValues };
}

export async function readLandscape(
  deps: Pick<SyncDeps, 'cin7' | 'bc' | 'stores'>,
  progress?: Progress,
): Promise<Landscape> {
  const [cin7, bc, mappings] = await Promise.all([
    readCin7Side(deps, progress),
    readBcSide(deps, progress),
    deps.stores.mappings.list(),
  ]);
  return { cin7, bc, mappings };
}

/** Only active purchase tax rules can appear on a supplier invoice. */
export function purchaseTaxRules(rules: readonly Cin7TaxRule[]): Cin7TaxRule[] {
  return rules.filter((r) => r.IsActive !== false && r.IsTaxForPurchase !== false);
}

/** Only active accounts can be coded on a line. */
export function activeAccounts(accounts: readonly Cin7Account[]): Cin7Account[] {
  return accounts.filter((a) => (a.Status ?? 'ACTIVE').toUpperCase() === 'ACTIVE');
}

/** Why a BC account cannot take a purchase line, or undefined when it can (as `toBcPurchaseInvoice` checks). */
export function accountProblem(account: BcAccount): string | undefined {
  const problems: string[] = [];
  if ((account.accountType ?? 'Posting') !== 'Posting') problems.push(`account type is ${account.accountType ?? ''}`);
  if (account.directPosting === false) problems.push('direct posting is off');
  if (account.blocked === true) problems.push('blocked');
  return problems.length > 0 ? problems.join(', ') : undefined;
}

/** The default and mapped rules, answering "does this Cin7 value resolve in BC, and if not, why". */
export class Resolver {
  readonly index: MappingIndex;
  private readonly accounts: Map<string, BcAccount>;
  private readonly taxByCode: Map<string, BcCodeEntity>;
  private readonly vendorsByNumber: Map<string, BcVendor>;

  constructor(private readonly landscape: Landscape) {
    this.index = new MappingIndex(landscape.mappings.filter((m) => !isClaim(m)));
    this.accounts = new Map(landscape.bc.accounts.map((a) => [a.number, a]));
    this.taxByCode = new Map(landscape.bc.taxGroups.map((t) => [t.code.toUpperCase(), t]));
    this.vendorsByNumber = new Map(landscape.bc.vendors.map((v) => [v.number, v]));
  }

  /** undefined when the code resolves; otherwise the reason. */
  accountGap(code: string): string | undefined {
    const mapped = this.index.get('account', code);
    const number = (mapped ?? code).trim();
    const account = this.accounts.get(number);
    const via =
      mapped === undefined
        ? 'no mapping and no BC G/L account with the same number'
        : `mapped to BC G/L account ${number}, which does not exist`;
    if (!account) return via;
    const problem = accountProblem(account);
    return problem === undefined ? undefined : `BC G/L account ${number} cannot take purchase lines: ${problem}`;
  }

  taxGap(name: string): string | undefined {
    const mapped = this.index.get('tax', name);
    const wanted = (mapped ?? name).trim().toUpperCase();
    if (this.taxByCode.has(wanted)) return undefined;
    if (mapped === undefined && this.landscape.bc.taxGroups.some((t) => t.displayName?.trim().toUpperCase() === wanted))
      return undefined;
    return mapped === undefined
      ? 'no mapping and no BC tax group with the same code or name'
      : `mapped to BC tax group ${mapped}, which does not exist`;
  }

  /** The vendor a supplier resolves to by mapping or default, or the reason it does not. */
  vendorFor(
    supplier: Pick<Cin7Supplier, 'ID' | 'Name' | 'TaxNumber'>,
  ): { vendor: BcVendor; how: string } | { vendor: undefined; gap: string } {
    const mapping = this.landscape.mappings.find(
      (m) => m.kind === 'supplier' && !isClaim(m) && m.source.toLowerCase() === supplier.ID.toLowerCase(),
    );
    if (mapping) {
      const vendor = this.vendorsByNumber.get(mapping.target);
      return vendor
        ? { vendor, how: 'mapping' }
        : { vendor: undefined, gap: `mapped to BC vendor ${mapping.target}, which does not exist` };
    }
    const match = matchVendor(supplier, this.landscape.bc.vendors);
    if (match.kind === 'found')
      return { vendor: match.party, how: `same ${match.by === 'tax-number' ? 'tax number' : 'name'}` };
    if (match.kind === 'ambiguous')
      return {
        vendor: undefined,
        gap: `several BC vendors match (${match.candidates.join(', ')}): add a supplier mapping`,
      };
    return { vendor: undefined, gap: 'no mapping and no BC vendor with the same tax number or name' };
  }

  locationMapped(name: string): boolean {
    return this.index.dimensions('dimension-location', name).length > 0;
  }

  categoryMapped(name: string): boolean {
    const wanted = name.trim().toUpperCase();
    return (
      this.index.dimensions('dimension-category', name).length > 0 ||
      this.landscape.mappings.some((m) => m.kind === 'category' && m.target.trim().toUpperCase() === wanted)
    );
  }
}
