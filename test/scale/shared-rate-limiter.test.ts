import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { TransientError } from '../../src/core/errors.js';
import type { BudgetStore } from '../../src/http/shared-rate-limiter.js';
import { allocateSlots, createSharedRateLimiter, type ReservationReport } from '../../src/http/shared-rate-limiter.js';
import { memoryBudgetStore, peakInWindow, virtualClock } from './budget-support.js';

const windowMs = 60_000;
const tolerance = 1_000;
const skew = 500;
const span = windowMs + tolerance + skew;

describe('allocateSlots', () => {
  it('when the row holds the limit within the span, then the next slot is one span after the oldest of them', () => {
    const { granted } = allocateSlots({ slots: [100, 200, 300], pausedUntil: 0 }, 2, 1_000, 3, 10_000);
    expect(granted).toEqual([10_100, 10_200]);
  });

  it('when slots are older than the span, then they are dropped and the slot is now', () => {
    const { state, granted } = allocateSlots({ slots: [100, 200, 300], pausedUntil: 0 }, 1, 20_000, 3, 10_000);
    expect(granted).toEqual([20_000]);
    expect(state.slots).toEqual([20_000]);
  });

  it('when the row is paused, then no slot starts before the pause ends', () => {
    const { granted } = allocateSlots({ slots: [], pausedUntil: 5_000 }, 1, 1_000, 3, 10_000);
    expect(granted).toEqual([5_000]);
  });
});

describe('createSharedRateLimiter', () => {
  it('when three processes share one row and make 200 calls, then no window holds more than the limit and storage is hit less than once per call', async () => {
    const clock = virtualClock();
    const store = memoryBudgetStore();
    const reports: ReservationReport[] = [];
    const limiters = Array.from({ length: 3 }, () =>
      createSharedRateLimiter({
        store,
        limit: 60,
        windowMs,
        slotToleranceMs: tolerance,
        clockSkewMs: skew,
        name: 'Cin7',
        clock,
        onReservation: (r) => reports.push(r),
      }),
    );
    const granted: number[] = [];
    const calls = Array.from({ length: 200 }, async (_, i) => {
      await (limiters[i % 3]?.acquire() ?? Promise.resolve());
      granted.push(clock.now());
    });
    await clock.run();
    await Promise.all(calls);

    expect(granted).toHaveLength(200);
    expect(peakInWindow(granted, span)).toBeLessThanOrEqual(60);
    expect(peakInWindow(granted, windowMs)).toBe(60);
    expect(store.calls / granted.length).toBeLessThanOrEqual(1);
    expect(reports.reduce((n, r) => n + r.storageCalls, 0)).toBe(store.calls);
  });

  it('when another process wrote since our last write, then the reservation reads the row once more and keeps within the limit', async () => {
    const clock = virtualClock();
    const store = memoryBudgetStore();
    const reports: ReservationReport[] = [];
    const limiter = createSharedRateLimiter({
      store,
      limit: 2,
      windowMs,
      name: 'Cin7',
      clock,
      onReservation: (r) => reports.push(r),
    });
    const first = limiter.acquire();
    await clock.run();
    (await first)();
    store.writeAsOther({ slots: [...(store.current()?.slots ?? []), clock.now()], pausedUntil: 0 });

    const second = limiter.acquire().then(() => clock.now());
    await clock.run();
    expect(await second).toBeGreaterThanOrEqual(1_000_000 + span);
    expect(reports[1]).toEqual({ slots: 1, storageCalls: 3, conflicts: 1 });
  });

  it('when a caller is still in its call, then the next reservation takes a slot for it too', async () => {
    const clock = virtualClock();
    const store = memoryBudgetStore();
    const reports: ReservationReport[] = [];
    const limiter = createSharedRateLimiter({
      store,
      limit: 60,
      windowMs,
      name: 'Cin7',
      clock,
      onReservation: (r) => reports.push(r),
    });
    const first = limiter.acquire();
    await clock.run();
    await first;
    const second = limiter.acquire();
    await clock.run();
    await second;
    expect(reports.map((r) => r.slots)).toEqual([1, 2]);
  });

  it('when storage is down, then nothing is granted until it answers again', async () => {
    const clock = virtualClock();
    const store = memoryBudgetStore();
    const failures: Error[] = [];
    const limiter = createSharedRateLimiter({
      store,
      limit: 60,
      windowMs,
      name: 'Cin7',
      clock,
      onStorageFailure: (e) => failures.push(e),
    });
    store.failNext(3);
    const at = limiter.acquire().then(() => clock.now());
    await clock.run();
    expect(failures).toHaveLength(3);
    expect(await at).toBeGreaterThan(1_000_000);
    expect(store.current()?.slots).toEqual([await at]);
  });

  it('when storage stays down longer than maxWaitMs, then the caller gets a TransientError and nothing is granted', async () => {
    const clock = virtualClock();
    const store = memoryBudgetStore();
    const limiter = createSharedRateLimiter({ store, limit: 60, windowMs, name: 'Cin7', clock, maxWaitMs: 30_000 });
    store.failNext(1_000);
    const outcome = limiter.acquire().then(
      () => 'granted',
      (error: unknown) => error,
    );
    await clock.run(1_000_000 + 120_000);
    const error = await outcome;
    expect(error).toBeInstanceOf(TransientError);
    expect(String((error as Error).message)).toContain('Cin7 call budget unavailable');
    expect(store.current()).toBeUndefined();
  });

  it('when a storage call hangs, then it is abandoned after storageTimeoutMs and the next attempt succeeds', async () => {
    const inner = memoryBudgetStore();
    let hang = true;
    const store: BudgetStore = {
      read: (signal) => (hang ? new Promise(() => undefined) : inner.read(signal)),
      write: (state, etag, signal) => inner.write(state, etag, signal),
    };
    const failures: Error[] = [];
    const limiter = createSharedRateLimiter({
      store,
      limit: 60,
      windowMs,
      name: 'Cin7',
      clock: { ...systemClock, random: () => 0 },
      storageTimeoutMs: 20,
      onStorageFailure: (e) => {
        failures.push(e);
        hang = false;
      },
    });
    await limiter.acquire();
    expect(failures.map((e) => e.message)).toEqual(['Cin7 call budget: storage did not answer within 20 ms']);
    expect(inner.current()?.slots).toHaveLength(1);
  });

  it('when one process is throttled, then another process reserving afterwards starts after the pause', async () => {
    const clock = virtualClock();
    const store = memoryBudgetStore();
    const a = createSharedRateLimiter({ store, limit: 60, windowMs, name: 'Cin7', clock });
    const b = createSharedRateLimiter({ store, limit: 60, windowMs, name: 'Cin7', clock });
    const first = a.acquire();
    await clock.run();
    await first;
    a.pauseUntil(clock.now() + 10_000);
    const pausedA = a.acquire();
    await clock.run(clock.now());
    const atB = b.acquire().then(() => clock.now());
    await clock.run();
    await pausedA;
    expect(await atB).toBeGreaterThanOrEqual(1_000_000 + 10_000);
  });
});
