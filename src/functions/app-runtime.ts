/**
 * The one runtime of this Functions worker, built on first use from the app settings. Module load does no
 * work, so a cold start pays only for what the invoked function touches (DESIGN §4 Start-up cost).
 */
import type { InvocationContext } from '@azure/functions';
import { loadSettings } from '../config/settings.js';
import { createRuntime, type Runtime } from '../compose/runtime.js';
import { consoleSink, contextSink, createLogger } from '../telemetry/logger.js';
import { createTelemetry } from '../telemetry/telemetry.js';
import type { Logger, Telemetry } from '../core/ports/telemetry.js';
import type { AdminDeps } from './admin-http.js';

let runtime: Runtime | undefined;

/** Application Insights starts in the background; events raised before it is ready are kept (bounded). */
function deferredTelemetry(ready: Promise<Telemetry>): Telemetry {
  let target: Telemetry | undefined;
  const early: Array<(t: Telemetry) => void> = [];
  void ready.then((t) => {
    target = t;
    for (const replay of early.splice(0)) replay(t);
  });
  const call = (use: (t: Telemetry) => void) => {
    if (target) use(target);
    else if (early.length < 1000) early.push(use);
  };
  return {
    event: (name, properties) => call((t) => t.event(name, properties)),
    metric: (name, value, properties) => call((t) => t.metric(name, value, properties)),
    dependency: (dependency) => call((t) => t.dependency(dependency)),
  };
}

export const processLogger: Logger = createLogger(consoleSink, { app: 'cin7-bc-connector' });

export function appRuntime(): Runtime {
  runtime ??= createRuntime(loadSettings(), {
    logger: processLogger,
    telemetry: deferredTelemetry(createTelemetry({ logger: processLogger })),
  });
  return runtime;
}

/** A logger that writes through the invocation, so the host ties lines to it in Application Insights. */
export function invocationLogger(context: InvocationContext): Logger {
  return createLogger(contextSink(context), { invocationId: context.invocationId, functionName: context.functionName });
}

/** What the key-protected admin routes run on: this worker's runtime, logging through each invocation. */
export const appAdminDeps: AdminDeps = { getDeps: () => appRuntime().getDeps(), logger: invocationLogger };

/** What the two webhook functions run on; every value is read from the runtime when a delivery comes in. */
export const appWebhookDeps = {
  getWebhookSecret: () => appRuntime().getWebhookSecret(),
  getClientState: () => appRuntime().getClientState(),
  getQueue: () => appRuntime().getQueue(),
  clock: { now: () => Date.now() },
  logger: invocationLogger,
  get maxBodyBytes() {
    return appRuntime().settings.webhooks.maxBodyBytes;
  },
  get companyId() {
    return appRuntime().settings.bc.companyId;
  },
};
