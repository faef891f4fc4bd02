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
  const limiter = new SharedLimiter(options);
  return { acquire: () => limiter.acquire(), pauseUntil: (untilMs) => limiter.pauseUntil(untilMs) };
}

/** Runs one storage call with a real-time limit: storage I/O takes wall-clock time whatever the clock. */
async function withTimeout<T>(call: (signal: AbortSignal) => Promise<T>, timeoutMs: number, name: string): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new TransientError(`${name} call budget: storage did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([call(controller.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The limiter's state for one process; private, reached through the `RateLimiter` interface only. */
class SharedLimiter {
  private readonly tolerance: number;
  private readonly spanMs: number;
  private readonly maxBatch: number;
  private readonly storageTimeoutMs: number;
  private readonly maxWaitMs: number;
  private readonly waiters: Waiter[] = [];
  private held: number[] = [];
  private known: { state: BudgetState; etag: string } | undefined;
  private paused = 0;
  /** The pause the row holds as far as this process knows. */
  private published = 0;
  private failures = 0;
  /** Callers granted a slot whose call has not finished yet. */
  private inFlight = 0;
  private readonly pump: () => Promise<void>;

  constructor(private readonly options: SharedRateLimiterOptions) {
    this.tolerance = options.slotToleranceMs ?? 1_000;
    this.spanMs = options.windowMs + this.tolerance + (options.clockSkewMs ?? 500);
    this.maxBatch = Math.max(1, Math.min(options.maxBatch ?? 10, options.limit));
    this.storageTimeoutMs = options.storageTimeoutMs ?? 5_000;
    this.maxWaitMs = options.maxWaitMs ?? 120_000;
    this.pump = drainLoop(
      () => this.waiters.length > 0,
      () => this.step(),
    );
  }

  acquire(): Promise<() => void> {
    return new Promise((resolve, reject) => {
      this.waiters.push({
        since: this.options.clock.now(),
        // A slot is spent when it is granted, whatever the call does; the release only ends the call.
        grant: () => {
          this.inFlight += 1;
          let released = false;
          resolve(() => {
            if (released) return;
            released = true;
            this.inFlight -= 1;
          });
        },
        fail: reject,
      });
      void this.pump();
    });
  }

  pauseUntil(untilMs: number): void {
    // The next reservation writes it to the row, so every process that reserves after it waits too.
    this.paused = Math.max(this.paused, untilMs);
  }

  /** One turn of the loop: grant a held slot that is due, wait for one, or reserve more. */
  private async step(): Promise<'again'> {
    const now = this.options.clock.now();
    this.held = this.held.filter((s) => s + this.tolerance >= now);
    const first = this.held[0];
    if (first !== undefined && first <= now && this.paused <= now) {
      this.held.shift();
      this.waiters.shift()?.grant();
      return 'again';
    }
    // A pause this process has not yet written is published at once: a reservation carries it, and
    // its slots start after it.
    if (first !== undefined && this.paused <= this.published) {
      await this.options.clock.sleep(Math.max(first, this.paused) - now);
      return 'again';
    }
    try {
      // Callers still in a call usually come straight back for another slot (a list's next page, the
      // next record): reserving for them too keeps batches large, and a slot nobody uses only expires.
      await this.reserve(Math.min(this.maxBatch, this.waiters.length + this.inFlight));
      this.failures = 0;
    } catch (error) {
      await this.backOff(ensureError(error));
    }
    return 'again';
  }

  private async reserve(count: number): Promise<void> {
    const { store, clock } = this.options;
    let storageCalls = 0;
    let conflicts = 0;
    for (;;) {
      if (this.known === undefined) {
        storageCalls += 1;
        this.known = await this.timed((signal) => store.read(signal));
      }
      const base = this.known?.state ?? { slots: [], pausedUntil: 0 };
      const pausedUntil = Math.max(base.pausedUntil, this.paused);
      const next = allocateSlots(
        { slots: base.slots, pausedUntil },
        count,
        clock.now(),
        this.options.limit,
        this.spanMs,
      );
      try {
        storageCalls += 1;
        const etag = await this.timed((signal) => store.write(next.state, this.known?.etag, signal));
        this.known = { state: next.state, etag };
        this.paused = Math.max(this.paused, next.state.pausedUntil);
        this.published = next.state.pausedUntil;
        this.held = [...this.held, ...next.granted];
        this.options.onReservation?.({ slots: count, storageCalls, conflicts });
        return;
      } catch (error) {
        this.known = undefined;
        if (!(error instanceof ConflictError) || conflicts >= MAX_CONFLICTS_PER_RESERVATION) throw error;
        conflicts += 1;
      }
    }
  }

  private timed<T>(call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return withTimeout(call, this.storageTimeoutMs, this.options.name);
  }

  /** A reservation failed: callers past `maxWaitMs` fail, the rest wait out a jittered backoff. */
  private async backOff(cause: Error): Promise<void> {
    const { clock } = this.options;
    this.failures += 1;
    this.options.onStorageFailure?.(cause);
    this.failStaleWaiters(clock.now(), cause);
    // Exponential backoff with jitter, capped: many instances must not hammer a struggling account in step.
    const capMs = Math.min(15_000, 500 * 2 ** Math.min(this.failures, 5));
    if (this.waiters.length > 0) await clock.sleep(capMs / 2 + (clock.random() * capMs) / 2);
  }

  private failStaleWaiters(now: number, cause: Error): void {
    for (let i = this.waiters.length - 1; i >= 0; i -= 1) {
      const waiter = this.waiters[i];
      if (waiter && now - waiter.since >= this.maxWaitMs) {
        this.waiters.splice(i, 1);
        waiter.fail(
          new TransientError(
            `${this.options.name} call budget unavailable for ${Math.round((now - waiter.since) / 1000)} s ` +
              `(storage: ${cause.message}); nothing was sent, try again later`,
            { cause },
          ),
        );
      }
    }
  }
}
