/**
 * Health checks for the admin API: shallow (the process answers and settings loaded) and deep (each
 * dependency proven with a real call, each with its own outcome and duration).
 */
import type { SyncDeps } from '../deps.js';
import { ConflictError, ensureError, isConnectorError } from '../../core/errors.js';
import { describeStuckRecords, findStuckRecords } from './stuck-records.js';

export interface HealthCheck {
  name: string;
  ok: boolean;
  durationMs: number;
  /** What was proven, e.g. the company name. */
  detail?: string;
  /** One line: what failed. Never a secret (error messages are written not to carry one). */
  error?: string;
  /** One line: what a person should look at although the check itself worked (e.g. stuck records). */
  attention?: string;
}

export interface DeepHealth {
  /** Every dependency answered. */
  ok: boolean;
  /** Some check found something for a person to look at (its `attention` says what). */
  attention: boolean;
  checks: HealthCheck[];
}

export interface DeepHealthOptions {
  companyId: string;
}

/** The watermark row a storage round-trip writes and reads back (no other code reads it). */
export const healthProbeWatermark = 'admin-health-probe';

async function timed(name: string, clock: SyncDeps['clock'], check: () => Promise<string>): Promise<HealthCheck> {
  const started = clock.now();
  try {
    const detail = await check();
    return { name, ok: true, durationMs: clock.now() - started, detail };
  } catch (error) {
    const err = ensureError(error);
    const kind = isConnectorError(err) ? `${err.kind}: ` : '';
    return { name, ok: false, durationMs: clock.now() - started, error: `${kind}${err.message}` };
  }
}

function checkCin7(deps: Pick<SyncDeps, 'cin7' | 'clock'>): Promise<HealthCheck> {
  return timed('cin7', deps.clock, async () => {
    const me = await deps.cin7.getMe();
    return me.Company ?? 'credentials accepted';
  });
}

/**
 * Both API connections, proven with one cheap call each (Cin7's `me`, BC's company information), so a run
 * that would only fail on every record stops before it reads or writes anything.
 */
export async function checkConnections(deps: Pick<SyncDeps, 'bc' | 'cin7' | 'clock'>): Promise<HealthCheck[]> {
  const bc = timed('bc', deps.clock, async () => {
    const info = await deps.bc.getCompanyInformation();
    return `${info.displayName ?? 'company'} (local currency ${info.currencyCode})`;
  });
  return Promise.all([checkCin7(deps), bc]);
}

export async function checkDeepHealth(
  deps: Pick<SyncDeps, 'bc' | 'cin7' | 'stores' | 'queue' | 'clock' | 'settings'>,
  options: DeepHealthOptions,
): Promise<DeepHealth> {
  const bcChecks = async (): Promise<HealthCheck[]> => {
    let companyName: string | undefined;
    const token = await timed('bc-token', deps.clock, async () => {
      // Listing companies needs a token and nothing else: it proves the app registration and its secret.
      const companies = await deps.bc.listCompanies();
      const configured = companies.find((c) => c.id.toLowerCase() === options.companyId.toLowerCase());
      companyName = configured?.displayName ?? configured?.name;
      return `${companies.length} compan${companies.length === 1 ? 'y' : 'ies'} visible`;
    });
    const company = await timed('bc-company', deps.clock, async () => {
      const info = await deps.bc.getCompanyInformation();
      return `${info.displayName ?? companyName ?? options.companyId} (local currency ${info.currencyCode})`;
    });
    return [token, company];
  };
  const cin7 = checkCin7(deps);
  const storage = timed('storage', deps.clock, async () => {
    const value = new Date(deps.clock.now()).toISOString();
    const current = await deps.stores.watermarks.get(healthProbeWatermark);
    try {
      await deps.stores.watermarks.set(healthProbeWatermark, value, current?.etag);
    } catch (error) {
      // Another probe wrote first: storage answered, which is what this checks.
      if (error instanceof ConflictError) return 'write and read answered (concurrent probe)';
      throw error;
    }
    const read = await deps.stores.watermarks.get(healthProbeWatermark);
    if (read?.value !== value) throw new Error('the value written was not read back');
    return 'write and read back';
  });
  const queue = timed('queue', deps.clock, () => deps.queue.probe());
  // Records in creating/created past STUCK_RECORD_MINUTES are not a failed dependency but need a person (I4).
  let stuck: string | undefined;
  const stuckRecords = timed('stuck-records', deps.clock, async () => {
    const found = await findStuckRecords(deps);
    stuck = describeStuckRecords(found);
    return stuck ?? `none in creating/created for more than ${found.thresholdMinutes} min`;
  }).then((check): HealthCheck => (check.ok && stuck !== undefined ? { ...check, attention: stuck } : check));
  const [bc, ...rest] = await Promise.all([bcChecks(), cin7, storage, queue, stuckRecords]);
  const checks = [...bc, ...rest];
  return { ok: checks.every((c) => c.ok), attention: checks.some((c) => c.attention !== undefined), checks };
}
