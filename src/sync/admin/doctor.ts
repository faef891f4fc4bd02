/**
 * `doctor`: proves both connections with real credentials and reports fit (issue 5): BC companies and the
 * configured one, Cin7's account, counts on both sides, and every Cin7 account code, purchase tax rule,
 * supplier, location and category that has no mapping or default match yet, and the records stuck in
 * creating/created. Reads only.
 */
import type { SyncDeps } from '../deps.js';
import { ensureError, isConnectorError } from '../../core/errors.js';
import {
  Resolver,
  activeAccounts,
  purchaseTaxRules,
  readBcSide,
  readCin7Side,
  type BcSide,
  type Cin7Side,
  type Progress,
} from './landscape.js';
import { findStuckRecords, type StuckRecords } from './stuck-records.js';

export interface DoctorGap {
  /** The Cin7 value as a mapping's `source` takes it (account code, tax rule name, supplier ID, name). */
  source: string;
  /** A readable name, when the source is a code or an id. */
  name?: string;
  reason: string;
  /** The mapping kind that closes the gap. */
  fix: string;
  /** True when invoices using this value park as needs-mapping; false when they post without it. */
  blocking: boolean;
}

export interface ConnectionCheck {
  ok: boolean;
  /** One line: what failed and what to do. */
  error?: string;
  /** `auth`, `transient`, …: what kind of failure it was. */
  kind?: string;
}

export interface DoctorReport {
  /** Both connections work and the configured BC company exists. */
  connected: boolean;
  bc: ConnectionCheck & {
    companies: Array<{ id: string; name: string }>;
    configuredCompany: { id: string; found: boolean; name?: string };
    localCurrency?: string;
  };
  cin7: ConnectionCheck & { company?: string; currency?: string };
  counts:
    | {
        cin7: { suppliers: number; accounts: number; taxRules: number; locations: number; categories: number };
        bc: {
          vendors: number;
          items: number;
          accounts: number;
          dimensions: number;
          dimensionValues: number;
          taxGroups: number;
        };
      }
    | undefined;
  gaps: {
    accounts: DoctorGap[];
    taxRules: DoctorGap[];
    suppliers: DoctorGap[];
    locations: DoctorGap[];
    categories: DoctorGap[];
  };
  /**
   * With AUTO_CREATE_VENDORS on: whether BC can post to vendors the connector creates. BC's API shows no
   * posting groups, so this is the set-up to check in BC plus every vendor BC already refused for it.
   */
  vendorSetup?: VendorSetupCheck;
  /** Records in creating/created for longer than STUCK_RECORD_MINUTES, oldest first: they need a person. */
  stuckRecords: StuckRecords;
  /** Total number of gaps. */
  gapCount: number;
  /** Gaps that park invoices (refused vendors included); only these make doctor ask for attention. */
  blockingGapCount: number;
}

export interface VendorSetupCheck {
  /** What the partner sets up in BC first, in one line. */
  advice: string;
  /** Invoices BC refused because their vendor has no posting groups (each one counts as a gap). */
  refusedVendors: Array<{ vendorNumber: string; record: string; reason: string }>;
}

/**
 * A vendor created through the API gets posting groups only from a vendor template picked by a
 * Config. Template Selection Rule; without one BC refuses the vendor's invoices with "Gen. Bus. Posting Group
 * (or Vendor Posting Group) must have a value in Vendor: No.=…".
 */
const vendorTemplateAdvice =
  'BC gives vendors created through its API posting groups only from a vendor template chosen by ' +
  'a Config. Template Selection Rule (Table = Vendor): set one up whose template fills Gen. Bus., VAT Bus. ' +
  'and Vendor Posting Group before turning AUTO_CREATE_VENDORS on';
const missingPostingGroup = /(Gen\. Bus\.|Vendor|VAT Bus\.) Posting Group must have a value in Vendor: No\.=([^.\s]+)/;

async function vendorSetupCheck(deps: Pick<SyncDeps, 'stores'>): Promise<VendorSetupCheck> {
  const refusedVendors: VendorSetupCheck['refusedVendors'] = [];
  let continuationToken: string | undefined;
  do {
    const page = await deps.stores.ledger.list({
      recordType: 'purchase-invoice',
      state: 'failed',
      pageSize: 500,
      ...(continuationToken ? { continuationToken } : {}),
    });
    for (const entry of page.items) {
      const match = missingPostingGroup.exec(entry.reason ?? '');
      if (match?.[2]) {
        refusedVendors.push({
          vendorNumber: match[2],
          record: entry.label ?? entry.recordId,
          reason: entry.reason ?? '',
        });
      }
    }
    continuationToken = page.continuationToken;
  } while (continuationToken);
  return { advice: vendorTemplateAdvice, refusedVendors };
}

function failure(error: unknown): ConnectionCheck {
  const err = ensureError(error);
  return { ok: false, error: err.message, kind: isConnectorError(err) ? err.kind : 'unexpected' };
}

async function countAll<T>(items: AsyncIterable<T>): Promise<number> {
  let n = 0;
  const iterator = items[Symbol.asyncIterator]();
  while (!(await iterator.next()).done) n += 1;
  return n;
}

type DoctorDeps = Pick<SyncDeps, 'bc' | 'cin7' | 'stores' | 'settings' | 'clock'>;

export async function runDoctor(
  deps: DoctorDeps,
  options: { companyId: string; progress?: Progress },
): Promise<DoctorReport> {
  const progress = options.progress ?? (() => undefined);
  // The ledger is read even when a connection fails: stuck records need a person either way.
  progress('looking for records stuck in creating/created');
  const report = emptyReport(options.companyId, await findStuckRecords(deps));
  progress('connecting to Business Central');
  report.bc = await checkBc(deps, options.companyId);
  progress('connecting to Cin7 Core');
  report.cin7 = await checkCin7(deps);
  report.connected = report.bc.ok && report.cin7.ok;
  if (!report.connected) return report;

  let landscape: { cin7: Cin7Side; bc: BcSide; items: number };
  try {
    const [cin7, bc, items] = await Promise.all([
      readCin7Side(deps, progress),
      readBcSide(deps),
      countAll(deps.bc.listItems()),
    ]);
    landscape = { cin7, bc, items };
  } catch (error) {
    // A list failed after the connection worked (permissions on one entity, throttling that did not clear).
    const failed = failure(error);
    if (isConnectorError(error) && error.system === 'cin7') report.cin7 = failed;
    else report.bc = { ...report.bc, ...failed };
    report.connected = false;
    return report;
  }
  report.counts = countsOf(landscape);
  progress('checking every Cin7 value against mappings and BC');
  const resolver = new Resolver({
    cin7: landscape.cin7,
    bc: landscape.bc,
    mappings: await deps.stores.mappings.list(),
  });
  report.gaps = findGaps(resolver, landscape.cin7, deps.settings.autoCreateVendors);
  if (deps.settings.autoCreateVendors) {
    progress('checking that BC can post to vendors the connector creates');
    report.vendorSetup = await vendorSetupCheck(deps);
  }
  const refused = report.vendorSetup?.refusedVendors.length ?? 0;
  const all = Object.values(report.gaps).flat();
  report.gapCount = all.length + refused;
  report.blockingGapCount = all.filter((gap) => gap.blocking).length + refused;
  return report;
}

function emptyReport(companyId: string, stuckRecords: StuckRecords): DoctorReport {
  return {
    connected: false,
    bc: { ok: false, companies: [], configuredCompany: { id: companyId, found: false } },
    cin7: { ok: false },
    counts: undefined,
    gaps: { accounts: [], taxRules: [], suppliers: [], locations: [], categories: [] },
    stuckRecords,
    gapCount: 0,
    blockingGapCount: 0,
  };
}

async function checkBc(deps: DoctorDeps, companyId: string): Promise<DoctorReport['bc']> {
  const bc: DoctorReport['bc'] = { ok: false, companies: [], configuredCompany: { id: companyId, found: false } };
  try {
    const companies = await deps.bc.listCompanies();
    bc.companies = companies.map((c) => ({ id: c.id, name: c.displayName ?? c.name }));
    const configured = companies.find((c) => c.id.toLowerCase() === companyId.toLowerCase());
    bc.configuredCompany = {
      id: companyId,
      found: configured !== undefined,
      ...(configured ? { name: configured.displayName ?? configured.name } : {}),
    };
    if (!configured) {
      bc.error =
        `BC_COMPANY_ID ${companyId} is not among the ${companies.length} companies this app registration sees: ` +
        'set it to one of them';
      bc.kind = 'config';
      return bc;
    }
    bc.localCurrency = (await deps.bc.getCompanyInformation()).currencyCode;
    bc.ok = true;
    return bc;
  } catch (error) {
    return { ...bc, ...failure(error) };
  }
}

async function checkCin7(deps: DoctorDeps): Promise<DoctorReport['cin7']> {
  try {
    const me = await deps.cin7.getMe();
    return {
      ok: true,
      ...(me.Company !== undefined ? { company: me.Company } : {}),
      ...(me.Currency !== undefined ? { currency: me.Currency } : {}),
    };
  } catch (error) {
    return failure(error);
  }
}

function countsOf({ cin7, bc, items }: { cin7: Cin7Side; bc: BcSide; items: number }): DoctorReport['counts'] {
  return {
    cin7: {
      suppliers: cin7.suppliers.length,
      accounts: cin7.accounts.length,
      taxRules: cin7.taxRules.length,
      locations: cin7.locations.length,
      categories: cin7.categories.length,
    },
    bc: {
      vendors: bc.vendors.length,
      items,
      accounts: bc.accounts.length,
      dimensions: bc.dimensions.length,
      dimensionValues: bc.dimensionValues.length,
      taxGroups: bc.taxGroups.length,
    },
  };
}

/**
 * Every Cin7 value with no mapping or default match. Accounts, tax rules and suppliers are blocking: an
 * invoice that uses one parks as needs-mapping. A location or category without a dimension rule is optional:
 * its invoices post, only without that dimension.
 */
function findGaps(resolver: Resolver, cin7: Cin7Side, autoCreateVendors: boolean): DoctorReport['gaps'] {
  const blocking = (gap: Omit<DoctorGap, 'blocking'>): DoctorGap => ({ ...gap, blocking: true });
  const optional = (gap: Omit<DoctorGap, 'blocking'>): DoctorGap => ({ ...gap, blocking: false });
  const accounts = activeAccounts(cin7.accounts).flatMap((account) => {
    const reason = resolver.accountGap(account.Code);
    return reason ? [blocking({ source: account.Code, name: account.Name, reason, fix: 'account' })] : [];
  });
  const taxRules = purchaseTaxRules(cin7.taxRules).flatMap((rule) => {
    const reason = resolver.taxGap(rule.Name);
    return reason ? [blocking({ source: rule.Name, reason, fix: 'tax' })] : [];
  });
  const suppliers = cin7.suppliers.flatMap((supplier) => {
    if ((supplier.Status ?? 'Active').toLowerCase() === 'deprecated') return [];
    const found = resolver.vendorFor(supplier);
    // With AUTO_CREATE_VENDORS a supplier no vendor matches gets one created: not a gap.
    if (found.vendor !== undefined || (autoCreateVendors && found.gap.startsWith('no mapping'))) return [];
    return [blocking({ source: supplier.ID.toLowerCase(), name: supplier.Name, reason: found.gap, fix: 'supplier' })];
  });
  const locations = cin7.locations
    .filter((location) => !resolver.locationMapped(location.Name))
    .map((location) =>
      optional({ source: location.Name, reason: 'no dimension rule for this location', fix: 'dimension-location' }),
    );
  const categories = cin7.categories
    .filter((category) => !resolver.categoryMapped(category.Name))
    .map((category) =>
      optional({
        source: category.Name,
        reason: 'no dimension rule or BC item category mapping for this category',
        fix: 'dimension-category or category',
      }),
    );
  return { accounts, taxRules, suppliers, locations, categories };
}
