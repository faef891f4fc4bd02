/**
 * Cin7 suppliers read in bulk (one `supplier` page of up to 1,000 per call) and reused, so matching a
 * supplier to a BC vendor does not cost a Cin7 call per invoice: Cin7 allows 60 calls a minute in all
 * (reference/cin7-core-api.md §1.4), and each invoice already needs one to read its purchase back.
 */
import type { Cin7Supplier } from '../../cin7/schemas.js';
import type { Cin7Port } from '../../core/ports/cin7.js';
import type { Clock } from '../../core/clock.js';

export interface SupplierDirectory {
  /** The supplier, from the bulk read while it is fresh; one that appeared since is read on its own. */
  get(id: string): Promise<Cin7Supplier | undefined>;
  /** Forgets everything (after a Cin7 supplier changed). */
  invalidate(): void;
}

export function createSupplierDirectory(options: {
  cin7: Pick<Cin7Port, 'listSuppliers' | 'getSupplier'>;
  clock: Pick<Clock, 'now'>;
  ttlMs: number;
}): SupplierDirectory {
  const { cin7, clock, ttlMs } = options;
  let cached: { byId: Map<string, Cin7Supplier>; loadedAt: number } | undefined;
  let loading: Promise<Map<string, Cin7Supplier>> | undefined;

  async function load(): Promise<Map<string, Cin7Supplier>> {
    const byId = new Map<string, Cin7Supplier>();
    for await (const supplier of cin7.listSuppliers()) byId.set(supplier.ID.toLowerCase(), supplier);
    cached = { byId, loadedAt: clock.now() };
    return byId;
  }

  async function directory(): Promise<Map<string, Cin7Supplier>> {
    if (cached && clock.now() - cached.loadedAt < ttlMs) return cached.byId;
    loading ??= load().finally(() => {
      loading = undefined;
    });
    return loading;
  }

  return {
    async get(id) {
      const key = id.toLowerCase();
      const byId = await directory();
      const known = byId.get(key);
      if (known) return known;
      const single = await cin7.getSupplier(id);
      if (single) byId.set(key, single);
      return single;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
