/**
 * Worker crashes for the chaos suite. A crash is what a dying Functions host does to a message: the
 * invocation stops between two steps (before a BC or storage call, or after it took effect but before the
 * worker learned so) and never finishes; Service Bus lets the lock lapse and redelivers the message with
 * `deliveryCount + 1`.
 *
 * The sandbox's queue is restarted with a worker that runs the real Service Bus function over deps whose BC
 * port and stores are wrapped per delivery. When the wrapper "crashes", the use case is left hanging forever
 * (a dead process writes nothing more) and the delivery is abandoned, which the session queue turns into an
 * immediate redelivery, first in its session.
 */
import { createSyncJobHandler } from '../../src/functions/sync-job.js';
import type { SyncDeps } from '../../src/sync/deps.js';
import type { BcPort } from '../../src/core/ports/bc.js';
import type { Stores } from '../../src/core/ports/stores.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { invokeSyncJob } from '../sandbox/serve-function.js';

/** The BC calls the purchase flow makes itself (reference data goes through the cache, never crashed). */
const crashableBcMethods = [
  'findPurchaseInvoices',
  'getPurchaseInvoice',
  'createPurchaseInvoice',
  'postPurchaseInvoiceAndRead',
  'findVendors',
  'createVendor',
] as const satisfies ReadonlyArray<keyof BcPort>;

export interface CrashRecord {
  /** e.g. `bc.createPurchaseInvoice (after)`. */
  where: string;
  deliveryCount: number;
}

export interface WorkerCrashOptions {
  random: () => number;
  /** Chance that a delivery crashes at some step (default 0.08). */
  probability?: number;
  /** Deliveries after this many crash no more (keeps a message far from `maxDeliveryCount`). */
  maxCrashesPerMessage?: number;
}

class Crashed extends Error {
  override readonly name = 'WorkerCrashed';
}

interface Delivery {
  /** The wrapped call that crashes (1-based), or 0 for none. */
  crashAt: number;
  calls: number;
  crash(where: string): void;
  crashed: Promise<never>;
}

/** A promise that never settles: the caller is abandoned, as in a dead process. */
function never<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}

function wrap<T extends object>(
  target: T,
  prefix: string,
  delivery: Delivery,
  random: () => number,
  only?: ReadonlySet<string>,
): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || (only !== undefined && !only.has(property)))
        return value;
      const fn = value as (...args: unknown[]) => unknown;
      return async (...args: unknown[]): Promise<unknown> => {
        delivery.calls += 1;
        if (delivery.calls !== delivery.crashAt) return fn.apply(object, args);
        if (random() < 0.5) {
          delivery.crash(`${prefix}.${property} (before)`);
          return never();
        }
        // The call takes effect (a BC create commits, a ledger row is written); the worker dies before it learns.
        await Promise.resolve(fn.apply(object, args)).catch(() => undefined);
        delivery.crash(`${prefix}.${property} (after)`);
        return never();
      };
    },
  });
}

/**
 * Replaces the sandbox queue's worker with one that crashes deliveries at random. Call before anything is
 * enqueued. Returns the crashes as they happen.
 */
export async function installCrashingWorker(sandbox: Sandbox, options: WorkerCrashOptions): Promise<CrashRecord[]> {
  const crashes: CrashRecord[] = [];
  const crashesByMessage = new Map<string, number>();
  const probability = options.probability ?? 0.08;
  const maxCrashes = options.maxCrashesPerMessage ?? 3;
  const bcMethods = new Set<string>(crashableBcMethods);
  await sandbox.queue.stop();
  sandbox.queue.start(async (envelope, meta) => {
    const previous = crashesByMessage.get(meta.messageId) ?? 0;
    let fail: (error: Error) => void = () => undefined;
    const crashed = new Promise<never>((_, reject) => {
      fail = reject;
    });
    const delivery: Delivery = {
      // About 20 wrapped calls per purchase invoice: crash somewhere among them.
      crashAt: previous < maxCrashes && options.random() < probability ? 1 + Math.floor(options.random() * 20) : 0,
      calls: 0,
      crashed,
      crash(where) {
        crashes.push({ where, deliveryCount: meta.deliveryCount });
        crashesByMessage.set(meta.messageId, previous + 1);
        fail(new Crashed(`worker crashed at ${where}`));
      },
    };
    const stores: Stores = {
      ...sandbox.deps.stores,
      ledger: wrap(sandbox.deps.stores.ledger, 'ledger', delivery, options.random),
      audit: wrap(sandbox.deps.stores.audit, 'audit', delivery, options.random),
      mappings: wrap(sandbox.deps.stores.mappings, 'mappings', delivery, options.random),
    };
    const deps: SyncDeps = {
      ...sandbox.deps,
      bc: wrap(sandbox.deps.bc, 'bc', delivery, options.random, bcMethods),
      stores,
    };
    const syncJob = createSyncJobHandler({ getDeps: () => Promise.resolve(deps), logger: () => sandbox.deps.logger });
    const run = invokeSyncJob(syncJob, envelope, meta);
    // A crash abandons the delivery (the queue redelivers it); the hung invocation is left behind.
    await Promise.race([run, crashed]);
  });
  return crashes;
}
