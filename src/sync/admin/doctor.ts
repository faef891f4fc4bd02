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
  'BC gives vendors created through its API posting groups only from a vendor template chosen by a Config. Template Selection Rule (Table = Vendor): set one up whose template fills Gen. Bus., VAT Bus. and Vendor Posting Group before turning AUTO_CREATE_VENDORS on';
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

export async function runDoctor(
  deps: Pick<SyncDeps, 'bc' | 'cin7' | 'stores' | 'settings' | 'clock'>,
  options: { companyId: string; progress?: Progress },
): Promise<DoctorReport> {
  const progress = options.progress ?? (() => undefined);
  const report: DoctorReport = {
    connected: false,
    bc: { ok: false, companies: [], configuredCompany: { id: options.companyId, found: false } },
    cin7: { ok: false },
    counts: undefined,
    gaps: { accounts: [], taxRules: [], suppliers: [], locations: [], categories: [] },
    stuckRecords: { thresholdMinutes: Math.round(deps.settings.stuckAfterMs / 60_000), records: [] },
    gapCount: 0,
  };

  // The ledger is read even when a connection fails: stuck records need a person either way.
  progress('looking for records stuck in creating/created');
  report.stuckRecords = await findStuckRecords(deps);

  progress('connecting to Business Central');
  try {
    const companies = await deps.bc.listCompanies();
    report.bc.companies = companies.map((c) => ({ id: c.id, name: c.displayName ?? c.name }));
    const configured = companies.find((c) => c.id.toLowerCase() === options.companyId.toLowerCase());
    report.bc.configuredCompany = {
      id: options.companyId,
      found: configured !== undefined,
      ...(configured ? { name: configured.displayName ?? configured.name } : {}),
    };
    if (configured) {
      const info = await deps.bc.getCompanyInformation();
      report.bc.localCurrency = info.currencyCode;
      report.bc.ok = true;
    } else {
      report.bc.error = `BC_COMPANY_ID ${options.companyId} is not among the ${companies.length} companies this app registration sees: set it to one of them`;
      report.bc.kind = 'config';
    }
  } catch (error) {
    Object.assign(report.bc, failure(error));
  }

  progress('connecting to Cin7 Core');
  try {
    const me = await deps.cin7.getMe();
    report.cin7 = {
      ok: true,
      ...(me.Company !== undefined ? { company: me.Company } : {}),
      ...(me.Currency !== undefined ? { currency: me.Currency } : {}),
    };
  } catch (error) {
    report.cin7 = failure(error);
  }

  report.connected = report.bc.ok && report.cin7.ok;
  if (!report.connected) return report;

  let cin7: Cin7Side;
  let bc: BcSide;
  let items: number;
  try {
    [cin7, bc, items] = await Promise.all([
      readCin7Side(deps, progress),
      readBcSide(deps),
      countAll(deps.bc.listItems()),
    ]);
  } catch (error) {
    // A list failed after the connection worked (permissions on one entity, throttling that did not clear).
    const failed = failure(error);
    if (isConnectorError(error) && error.system === 'cin7') report.cin7 = failed;
    else report.bc = { ...report.bc, ...failed };
    report.connected = false;
    return report;
  }
  const mappings = await deps.stores.mappings.list();
  report.counts = {
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

  progress('checking every Cin7 value against mappings and BC');
  const resolver = new Resolver({ cin7, bc, mappings });
  for (const account of activeAccounts(cin7.accounts)) {
    const reason = resolver.accountGap(account.Code);
    if (reason) report.gaps.accounts.push({ source: account.Code, name: account.Name, reason, fix: 'account' });
  }
  for (const rule of purchaseTaxRules(cin7.taxRules)) {
    const reason = resolver.taxGap(rule.Name);
    if (reason) report.gaps.taxRules.push({ source: rule.Name, reason, fix: 'tax' });
  }
  for (const supplier of cin7.suppliers) {
    if ((supplier.Status ?? 'Active').toLowerCase() === 'deprecated') continue;
    const found = resolver.vendorFor(supplier);
    if (found.vendor !== undefined) continue;
    const autoCreate = deps.settings.autoCreateVendors && found.gap.startsWith('no mapping');
    if (!autoCreate)
      report.gaps.suppliers.push({
        source: supplier.ID.toLowerCase(),
        name: supplier.Name,
        reason: found.gap,
        fix: 'supplier',
      });
  }
  for (const location of cin7.locations) {
    if (!resolver.locationMapped(location.Name)) {
      report.gaps.locations.push({
        source: location.Name,
        reason: 'no dimension rule for this location',
        fix: 'dimension-location',
      });
    }
  }
  for (const category of cin7.categories) {
    if (!resolver.categoryMapped(category.Name)) {
      report.gaps.categories.push({
        source: category.Name,
        reason: 'no dimension rule or BC item category mapping for this category',
        fix: 'dimension-category or category',
      });
    }
  }
  if (deps.settings.autoCreateVendors) {
    progress('checking that BC can post to vendors the connector creates');
    report.vendorSetup = await vendorSetupCheck(deps);
  }
  const g = report.gaps;
  report.gapCount =
    g.accounts.length +
    g.taxRules.length +
    g.suppliers.length +
    g.locations.length +
    g.categories.length +
    (report.vendorSetup?.refusedVendors.length ?? 0);
  return report;
}
