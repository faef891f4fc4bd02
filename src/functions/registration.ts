/**
 * What `src/main.ts` needs to register the triggers without loading them: a handler that imports its module on
 * the first invocation, and the few settings a registration reads. Nothing here may import zod, the settings
 * catalogue, a use case or an SDK, since this module is part of every cold start (DESIGN §4 Start-up cost;
 * `test/functions/entry-point.test.ts` checks the bundle's entry chunk).
 */
import type { HttpFunctionOptions, HttpHandler } from '@azure/functions';

/**
 * Documented defaults of the settings trigger registration reads (`SYNC_QUEUE_NAME` and the timer schedules).
 * They repeat the catalogue's (`src/config/settings/catalogue.ts`) because the catalogue is built with zod;
 * `test/functions/registration.test.ts` fails when the two disagree.
 */
export const registrationDefaults = {
  SYNC_QUEUE_NAME: 'sync-jobs',
  POLL_CIN7_SCHEDULE: '0 */15 * * * *',
  POLL_BC_SCHEDULE: '0 */15 * * * *',
  RENEW_SUBSCRIPTIONS_SCHEDULE: '0 0 */6 * * *',
  CHECK_WEBHOOKS_SCHEDULE: '0 30 * * * *',
  OPEN_RECORDS_SNAPSHOT_SCHEDULE: '0 */15 * * * *',
} as const;

export type RegistrationSettingName = keyof typeof registrationDefaults;

/**
 * A setting's value for trigger registration, which happens at module load before settings are validated:
 * the environment's value, else the documented default (a `%NAME%` binding expression would ignore it).
 */
export function registrationSetting(
  name: RegistrationSettingName,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  const value = env[name]?.trim();
  return value ? value : registrationDefaults[name];
}

/**
 * A handler that loads the real one on its first invocation and keeps it: `load` is a dynamic `import()` of
 * the function's module, which esbuild splits into its own chunk, and `pick` takes the wired handler from it.
 * A failed load is not kept, so the next invocation tries again instead of failing for the life of the worker.
 */
export function lazyHandler<M, A extends unknown[], R>(
  load: () => Promise<M>,
  pick: (module: M) => (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  let loading: Promise<M> | undefined;
  return async (...args) => {
    loading ??= load().catch((error: unknown): Promise<M> => {
      loading = undefined;
      throw error;
    });
    return pick(await loading)(...args);
  };
}

/**
 * The registration of an admin route: one method, and a function (or host) key required. Routes sit under
 * `/api/admin/…` (the host's own `/admin` API stays clear through the `api` prefix).
 */
export function adminRoute(
  route: string,
  method: 'GET' | 'PUT' | 'POST' | 'DELETE',
  handler: HttpHandler,
): HttpFunctionOptions {
  return { route, methods: [method], authLevel: 'function', handler };
}
