/**
 * The sandbox plus what the master-data flows need: the real BC notification function behind a local
 * server (so the BC simulator's subscriptions call it), Cin7 and BC reference data that match, and the
 * `CIN7_DEFAULT_*` settings Cin7 requires on new suppliers and products.
 */
import { inject } from 'vitest';
import { Secret } from '../../src/config/secret.js';
import { createBcNotificationHandler } from '../../src/functions/bc-notification.js';
import { bcNotificationUrl, ensureBcSubscriptions } from '../../src/sync/subscriptions/bc-subscriptions.js';
import type { JobQueue, SyncJob } from '../../src/core/ports/jobs.js';
import { serveFunction } from '../sandbox/serve-function.js';
import { sandboxSecrets, startSandbox, type Sandbox, type SandboxOptions } from '../sandbox/sandbox.js';
import { seedMatchingReference } from '../support/seed.js';

export interface MasterSandbox extends Sandbox {
  /** `http://127.0.0.1:<port>`: `${base}/api/notifications/bc` is the notification function. */
  publicBaseUrl: string;
  notificationUrl: string;
  /** What the notification endpoint answers (tests make it fail to see BC's retry). */
  notificationQueue: { failNext: number };
  /** The clientState the notification endpoint expects now; `rotateClientState` replaces it. */
  clientState: Secret;
  /** What rotating the `bc-client-state` secret in Key Vault does: the endpoint expects `value` from now on. */
  rotateClientState(value: string): void;
  /** Creates the `vendors` and `items` subscriptions through the real use case. */
  subscribe(): Promise<void>;
  /** Registers a Cin7 `Supplier/Updated` webhook pointing at the webhook function. */
  registerSupplierWebhook(): void;
  /** Delivers BC notifications and Cin7 webhooks and drains the queue until nothing moves. */
  settleEchoes(options?: { supplierIds?: string[] }): Promise<void>;
  /** Job types the queue received, in order (from `enqueue`). */
  enqueuedJobs: SyncJob[];
}

export const masterEnv: Record<string, string> = {
  CIN7_DEFAULT_ACCOUNT_PAYABLE: '800',
  CIN7_DEFAULT_TAX_RULE: 'Tax on Purchases',
  CIN7_DEFAULT_PAYMENT_TERM: '30 days',
  CIN7_DEFAULT_CATEGORY: 'General',
};

export async function startMasterSandbox(options: SandboxOptions = {}): Promise<MasterSandbox> {
  const sandbox = await startSandbox({
    azuriteConnectionString: inject('azuriteConnectionString'),
    ...options,
    env: { ...masterEnv, ...options.env },
  });
  seedMatchingReference(sandbox);
  sandbox.bc.addPaymentTerm('30 DAYS', { displayName: '30 days', dueDateCalculation: '30D' });
  sandbox.bc.addPaymentTerm('14 DAYS', { displayName: '14 days', dueDateCalculation: '14D' });
  sandbox.bc.addUnitOfMeasure('PCS', 'Pieces');

  const enqueuedJobs: SyncJob[] = [];
  const realEnqueue = sandbox.queue.enqueue.bind(sandbox.queue);
  sandbox.queue.enqueue = (envelopes) => {
    enqueuedJobs.push(...envelopes.map((e) => e.job));
    return realEnqueue(envelopes);
  };

  const notificationQueue = { failNext: 0 };
  const failingQueue: JobQueue = {
    enqueue: (envelopes) => {
      if (notificationQueue.failNext > 0) {
        notificationQueue.failNext -= 1;
        return Promise.reject(new Error('simulated queue outage'));
      }
      return sandbox.queue.enqueue(envelopes);
    },
    schedule: (envelope, at) => sandbox.queue.schedule(envelope, at),
    probe: () => sandbox.queue.probe(),
  };
  const handler = createBcNotificationHandler({
    getClientState: () => Promise.resolve(master.clientState),
    getQueue: () => Promise.resolve(failingQueue),
    clock: { now: () => Date.now() },
    logger: () => sandbox.deps.logger,
    maxBodyBytes: sandbox.settings.webhooks.maxBodyBytes,
    companyId: sandbox.bc.companyId,
  });
  const server = await serveFunction(handler, 'bc-notification');
  const publicBaseUrl = server.url;
  const notificationUrl = bcNotificationUrl(publicBaseUrl);
  const close = sandbox.close.bind(sandbox);

  const master: MasterSandbox = Object.assign(sandbox, {
    publicBaseUrl,
    notificationUrl,
    notificationQueue,
    clientState: new Secret(sandboxSecrets.clientState),
    rotateClientState(value: string) {
      master.clientState = new Secret(value);
    },
    enqueuedJobs,
    async subscribe() {
      await ensureBcSubscriptions(sandbox.deps, {
        notificationUrl,
        clientState: master.clientState,
        companyId: sandbox.bc.companyId,
      });
    },
    registerSupplierWebhook() {
      sandbox.cin7.addWebhook({
        Type: 'Supplier/Updated',
        ExternalURL: sandbox.webhookUrl,
        ExternalAuthorizationType: 'bearerauth',
        ExternalBearerToken: sandboxSecrets.webhookSecret,
        IsActive: true,
      });
    },
    async settleEchoes(settleOptions: { supplierIds?: string[] } = {}) {
      // Three rounds: a write, its echo on the other side, and the echo's echo (which must write nothing).
      for (let round = 0; round < 3; round++) {
        await sandbox.settle();
        await sandbox.bc.flushNotifications();
        await sandbox.settle();
        if (settleOptions.supplierIds && settleOptions.supplierIds.length > 0) {
          await sandbox.cin7.deliverWebhooks({ type: 'Supplier/Updated', supplierIds: settleOptions.supplierIds });
          await sandbox.settle();
        }
      }
    },
    async close() {
      await server.close();
      await close();
    },
  });
  return master;
}

/** BC writes to vendors (POST and PATCH) seen by the simulator. */
export function bcVendorWrites(sandbox: Sandbox): number {
  return sandbox.faults.requests.filter(
    (r) =>
      r.system === 'bc' && (r.method === 'PATCH' || r.method === 'POST') && /\/vendors/.test(r.path) && r.status < 300,
  ).length;
}

/** Cin7 writes to suppliers (POST and PUT) seen by the simulator. */
export function cin7SupplierWrites(sandbox: Sandbox): number {
  return sandbox.faults.requests.filter(
    (r) =>
      r.system === 'cin7' &&
      (r.method === 'PUT' || r.method === 'POST') &&
      /\/supplier/i.test(r.path) &&
      r.status < 300,
  ).length;
}

/** The `id` of a simulator row. */
export function idOf(row: Record<string, unknown>): string {
  if (typeof row['id'] !== 'string') throw new Error('simulator row without a string id');
  return row['id'];
}
