/** Test doubles for the shared call budget: a virtual clock with a timer queue and an in-memory budget row. */
import { ConflictError, TransientError } from '../../src/core/errors.js';
import type { Clock } from '../../src/core/clock.js';
import type { BudgetState, BudgetStore } from '../../src/http/shared-rate-limiter.js';

export interface VirtualClock extends Clock {
  /** Runs every sleeper in time order until nothing is left to wake (or `untilMs` is reached). */
  run(untilMs?: number): Promise<void>;
}

/** A clock whose sleepers wake in time order when `run` advances it; several limiters can share it. */
export function virtualClock(start = 1_000_000): VirtualClock {
  let now = start;
  const sleepers: Array<{ at: number; wake: () => void }> = [];
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
  };
  return {
    now: () => now,
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        sleepers.push({ at: now + Math.max(0, ms), wake: resolve });
      }),
    random: () => 0.5,
    async run(untilMs = Number.POSITIVE_INFINITY) {
      await settle();
      while (sleepers.length > 0) {
        sleepers.sort((a, b) => a.at - b.at);
        const next = sleepers[0];
        if (!next || next.at > untilMs) return;
        sleepers.shift();
        now = Math.max(now, next.at);
        next.wake();
        await settle();
      }
    },
  };
}

export interface MemoryBudgetStore extends BudgetStore {
  calls: number;
  current(): BudgetState | undefined;
  /** The next `n` calls fail as an unreachable storage account would. */
  failNext(n: number): void;
  /** Writes a state as another process would (the ETag changes). */
  writeAsOther(state: BudgetState): void;
}

export function memoryBudgetStore(): MemoryBudgetStore {
  let row: { state: BudgetState; etag: string } | undefined;
  let version = 0;
  let failures = 0;
  const copy = (state: BudgetState): BudgetState => ({ slots: [...state.slots], pausedUntil: state.pausedUntil });
  const failure = (): Error | undefined => {
    if (failures === 0) return undefined;
    failures -= 1;
    return new TransientError('Storage unreachable (ECONNREFUSED) during call budget', { system: 'storage' });
  };
  return {
    calls: 0,
    current: () => (row ? copy(row.state) : undefined),
    failNext(n) {
      failures = n;
    },
    writeAsOther(state) {
      version += 1;
      row = { state: copy(state), etag: `v${version}` };
    },
    read() {
      this.calls += 1;
      const error = failure();
      if (error) return Promise.reject(error);
      return Promise.resolve(row ? { state: copy(row.state), etag: row.etag } : undefined);
    },
    write(state, etag) {
      this.calls += 1;
      const error = failure();
      if (error) return Promise.reject(error);
      if (row?.etag !== etag) return Promise.reject(new ConflictError('Concurrent change detected: call budget'));
      version += 1;
      row = { state: copy(state), etag: `v${version}` };
      return Promise.resolve(row.etag);
    },
  };
}

/** The most calls in any window of `windowMs` (half-open, as Cin7 and the simulator count). */
export function peakInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end += 1) {
    while ((sorted[start] ?? 0) <= (sorted[end] ?? 0) - windowMs) start += 1;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}
