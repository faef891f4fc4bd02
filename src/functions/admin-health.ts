/**
 * `GET admin/health` (shallow) and `GET admin/health/deep` (BC token and company, Cin7, storage, and the
 * queue through its own adapter's probe, plus the records stuck in creating/created).
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { Settings } from '../config/settings.js';
import { checkDeepHealth } from '../sync/admin/health.js';
import type { SyncDeps } from '../sync/deps.js';
import { ensureError } from '../core/errors.js';
import type { Logger } from '../core/ports/telemetry.js';
import { appRuntime, invocationLogger } from './app-runtime.js';
import { errorResponse } from './admin-http.js';

export interface AdminHealthDeps {
  /** The settings, or the error that loading them threw. */
  settings(): Settings;
  getDeps(): Promise<SyncDeps>;
  logger: (context: InvocationContext) => Logger;
}

export function createAdminHealthHandler(deps: Pick<AdminHealthDeps, 'settings'>) {
  return function adminHealth(_request: HttpRequest, _context: InvocationContext): Promise<HttpResponseInit> {
    try {
      deps.settings();
    } catch (error) {
      return Promise.resolve({
        status: 503,
        jsonBody: { status: 'unhealthy', settingsLoaded: false, error: ensureError(error).message },
      });
    }
    return Promise.resolve({
      status: 200,
      // The worker's uptime, not this module's: it is loaded on the first health request.
      jsonBody: { status: 'ok', settingsLoaded: true, uptimeSeconds: Math.round(process.uptime()) },
    });
  };
}

export function createAdminDeepHealthHandler(deps: AdminHealthDeps) {
  return async function adminDeepHealth(_request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    const logger = deps.logger(context);
    try {
      const settings = deps.settings();
      const syncDeps = await deps.getDeps();
      const health = await checkDeepHealth(syncDeps, { companyId: settings.bc.companyId });
      if (!health.ok)
        logger.warn(
          `deep health check failed: ${health.checks
            .filter((c) => !c.ok)
            .map((c) => `${c.name}: ${c.error ?? ''}`)
            .join('; ')}`,
        );
      return {
        status: health.ok ? 200 : 503,
        // Stuck records keep the 200 (every dependency works) but change the status word, so a probe can tell.
        jsonBody: { status: !health.ok ? 'unhealthy' : health.attention ? 'attention' : 'ok', checks: health.checks },
      };
    } catch (error) {
      const response = errorResponse(error, logger, context);
      return { ...response, status: 503 };
    }
  };
}

const settings = () => appRuntime().settings;

/** Registered by src/main.ts as `admin-health`. */
export const adminHealth = createAdminHealthHandler({ settings });

/** Registered by src/main.ts as `admin-health-deep`. */
export const adminDeepHealth = createAdminDeepHealthHandler({
  settings,
  getDeps: () => appRuntime().getDeps(),
  logger: invocationLogger,
});
