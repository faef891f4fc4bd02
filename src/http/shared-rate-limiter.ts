/**
 * A rate limiter whose budget is shared by every process that calls the same API (all Function instances,
 * the CLI), kept in one small storage row guarded by its ETag.
 *
 * The row holds the time of every slot handed out within the last span. A process that needs to call
 * reserves a batch of slots (one per caller waiting or still in a call, up to `maxBatch`) in one conditional
 * write, then hands them to its callers locally: storage is touched once per batch, not once per call.
 * The write reuses the ETag of the process's own last write, so when nobody else wrote in between a
 * reservation is a single round trip; a conflict costs a read and another write.
 *
 * Slots are instants, not permissions to call "some time this minute". A caller may use a slot from its
 * instant until `slotToleranceMs` later, and the allocator enforces the limit over a span widened by that
 * tolerance and by `clockSkewMs` (each process reads its own clock), so calls that go out late or from a
 * clock that runs a little ahead still never put more than `limit` calls into any window. A slot not used
 * in time is dropped: wasted, never borrowed.
 *
 * When storage is slow or down, nothing is granted: storage calls are abandoned after `storageTimeoutMs`,
 * the reservation is retried with backoff, and a caller that waited `maxWaitMs` gets a `TransientError`
 * (nothing was sent). It fails closed because the budget must hold whatever happens, and costs little:
 * the app's ledger lives in the same storage account, so no sync can progress without it anyway.
 */
import type { Clock } from '../core/clock.js';
import { ConflictError, ensureError, TransientError } from '../core/errors.js';
import { drainLoop, type RateLimiter } from './rate-limiter.js';

/** What the shared row holds. */
export interface BudgetState {
  /** Epoch ms of every slot handed out within the last span, ascending. */
  slots: number[];
  /** No slot starts before this (epoch ms): a throttle answer seen by any process pauses all of them. */
  pausedUntil: number;
}

/** The one storage row behind a shared budget. */
export interface BudgetStore {
  /** The state and its ETag; undefined when the row does not exist yet. */
  read(signal: AbortSignal): Promise<{ state: BudgetState; etag: string } | undefined>;
  /**
   * Replaces the state if `etag` still matches, or creates the row when `etag` is undefined; throws
   * `ConflictError` when another process wrote first. Returns the new ETag.
   */
  write(state: BudgetState, etag: string | undefined, signal: AbortSignal): Promise<string>;
}

/** One successful reservation, for telemetry and for the tests that count storage round trips. */
export interface ReservationReport {
  /** Slots reserved. */
  slots: number;
  /** Storage round trips it took (reads and writes, failed ones included). */
  storageCalls: number;
  /** Writes refused because another process wrote first. */
  conflicts: number;
}

export interface SharedRateLimiterOptions {
  store: BudgetStore;
  /** Calls allowed per window, across every process. */
  limit: number;
  /** Window length in ms, including any margin for network delay. */
  windowMs: number;
  /** How late a reserved slot may still be used. Default 1 000 ms. */
  slotToleranceMs?: number;
  /** Largest clock difference between processes the budget allows for. Default 500 ms. */
  clockSkewMs?: number;
  /** Most slots one reservation takes. Default 10. */
  maxBatch?: number;
  /** Real-time limit on each storage call. Default 5 000 ms. */
  storageTimeoutMs?: number;
  /** How long a caller waits for a budget that storage cannot give before it fails. Default 120 000 ms. */
  maxWaitMs?: number;
  /** What the budget is for, in error messages (e.g. `Cin7`). */
  name: string;
  clock: Clock;
  onReservation?: (report: ReservationReport) => void;
  /** Told when a reservation failed (storage slow or down); the limiter keeps trying. */
  onStorageFailure?: (error: Error) => void;
}

/**
 * Appends `count` slots to `state` at the earliest instants at or after `now` that keep every window of
 * `spanMs` at `limit` slots or fewer. Slots are only ever appended after the last one, so the row stays
 * sorted and a new slot's only neighbours are the `limit - 1` slots before it.
 */
export function allocateSlots(
  state: BudgetState,
  count: number,
  now: number,
  limit: number,
  spanMs: number,
): { state: BudgetState; granted: number[] } {
  // A slot at or before now - span can no longer share a window with a slot at or after now.
  const slots = state.slots.filter((s) => s > now - spanMs);
  const granted: number[] = [];
  let t = Math.max(now, state.pausedUntil, slots[slots.length - 1] ?? 0);
  for (let i = 0; i < count; i += 1) {
    const limiting = slots[slots.length - limit];
    if (limiting !== undefined) t = Math.max(t, limiting + spanMs);
    slots.push(t);
    granted.push(t);
  }
  return { state: { slots, pausedUntil: state.pausedUntil }, granted };
}

interface Waiter {
  since: number;
  grant: () => void;
  fail: (error: Error) => void;
}

const MAX_CONFLICTS_PER_RESERVATION = 8;

export function createSharedRateLimiter(options: SharedRateLimiterOptions): RateLimiter {
  const { store, limit, clock, name } = options;
  const tolerance = options.slotToleranceMs ?? 1_000;
  const spanMs = options.windowMs + tolerance + (options.clockSkewMs ?? 500);
  const maxBatch = Math.max(1, Math.min(options.maxBatch ?? 10, limit));
  const storageTimeoutMs = options.storageTimeoutMs ?? 5_000;
  const maxWaitMs = options.maxWaitMs ?? 120_000;

  const waiters: Waiter[] = [];
  let held: number[] = [];
  let known: { state: BudgetState; etag: string } | undefined;
  let pausedUntil = 0;
  /** The pause the row holds as far as this process knows. */
  let published = 0;
  let failures = 0;
  /** Callers granted a slot whose call has not finished yet. */
  let inFlight = 0;

  /** Runs one storage call with a real-time limit: storage I/O takes wall-clock time whatever the clock. */
  async function withTimeout<T>(call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new TransientError(`${name} call budget: storage did not answer within ${storageTimeoutMs} ms`));
      }, storageTimeoutMs);
    });
    try {
      return await Promise.race([call(controller.signal), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function reserve(count: number): Promise<void> {
    let storageCalls = 0;
    let conflicts = 0;
    for (;;) {
      if (known === undefined) {
        storageCalls += 1;
        known = await withTimeout((signal) => store.read(signal));
      }
      const base = known?.state ?? { slots: [], pausedUntil: 0 };
      const next = allocateSlots(
        { slots: base.slots, pausedUntil: Math.max(base.pausedUntil, pausedUntil) },
        count,
        clock.now(),
        limit,
        spanMs,
      );
      try {
        storageCalls += 1;
        const etag = await withTimeout((signal) => store.write(next.state, known?.etag, signal));
        known = { state: next.state, etag };
        pausedUntil = Math.max(pausedUntil, next.state.pausedUntil);
        published = next.state.pausedUntil;
        held = [...held, ...next.granted];
        options.onReservation?.({ slots: count, storageCalls, conflicts });
        return;
      } catch (error) {
        known = undefined;
        if (!(error instanceof ConflictError) || conflicts >= MAX_CONFLICTS_PER_RESERVATION) throw error;
        conflicts += 1;
      }
    }
  }

  function failStaleWaiters(now: number, cause: Error): void {
    for (let i = waiters.length - 1; i >= 0; i -= 1) {
      const waiter = waiters[i];
      if (waiter && now - waiter.since >= maxWaitMs) {
        waiters.splice(i, 1);
        waiter.fail(
          new TransientError(
            `${name} call budget unavailable for ${Math.round((now - waiter.since) / 1000)} s (storage: ${cause.message}); nothing was sent, try again later`,
            { cause },
          ),
        );
      }
    }
  }

  const pump = drainLoop(
    () => waiters.length > 0,
    async () => {
      const now = clock.now();
      held = held.filter((s) => s + tolerance >= now);
      const first = held[0];
      if (first !== undefined && first <= now && pausedUntil <= now) {
        held.shift();
        waiters.shift()?.grant();
        return 'again';
      }
      // A pause this process has not yet written is published at once: a reservation carries it, and
      // its slots start after it.
      if (first !== undefined && pausedUntil <= published) {
        await clock.sleep(Math.max(first, pausedUntil) - now);
        return 'again';
      }
      try {
        // Callers still in a call usually come straight back for another slot (a list's next page, the
        // next record): reserving for them too keeps batches large, and a slot nobody uses only expires.
        await reserve(Math.min(maxBatch, waiters.length + inFlight));
        failures = 0;
      } catch (error) {
        const cause = ensureError(error);
        failures += 1;
        options.onStorageFailure?.(cause);
        failStaleWaiters(clock.now(), cause);
        // Exponential backoff with jitter, capped: many instances must not hammer a struggling account in step.
        const capMs = Math.min(15_000, 500 * 2 ** Math.min(failures, 5));
        if (waiters.length > 0) await clock.sleep(capMs / 2 + (clock.random() * capMs) / 2);
      }
      return 'again';
    },
  );

  return {
    acquire() {
      return new Promise((resolve, reject) => {
        waiters.push({
          since: clock.now(),
          // A slot is spent when it is granted, whatever the call does; the release only ends the call.
          grant: () => {
            inFlight += 1;
            let released = false;
            resolve(() => {
              if (released) return;
              released = true;
              inFlight -= 1;
            });
          },
          fail: reject,
        });
        void pump();
      });
    },
    pauseUntil(untilMs) {
      // The next reservation writes it to the row, so every process that reserves after it waits too.
      pausedUntil = Math.max(pausedUntil, untilMs);
    },
  };
}
