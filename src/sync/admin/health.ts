/**
 * Health checks for the admin API: shallow (the process answers and settings loaded) and deep (each
 * dependency proven with a real call, each with its own outcome and duration).
 */
import type { SyncDeps } from '../deps.js';
import { ConflictError, ensureError, isConnectorError } from '../../core/errors.js';

export interface HealthCheck {
  name: string;
  ok: boolean;
  durationMs: number;
  /** What was proven, e.g. the company name. */
  detail?: string;
  /** One line: what failed. Never a secret (error messages are written not to carry one). */
  error?: string;
}

export interface DeepHealth {
  ok: boolean;
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

export async function checkDeepHealth(
  deps: Pick<SyncDeps, 'bc' | 'cin7' | 'stores' | 'queue' | 'clock'>,
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
  const cin7 = timed('cin7', deps.clock, async () => {
    const me = await deps.cin7.getMe();
    return me.Company ?? 'credentials accepted';
  });
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
  const [bc, ...rest] = await Promise.all([bcChecks(), cin7, storage, queue]);
  const checks = [...bc, ...rest];
  return { ok: checks.every((c) => c.ok), checks };
}
