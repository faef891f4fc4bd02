/**
 * An in-process stand-in for the session-enabled Service Bus queue (Service Bus has no emulator without
 * Docker, DESIGN §2), for local runs and tests. It keeps the broker behaviours the use cases rely on
 * (reference/azure-platform.md §1.3, §3.2–3.4):
 *
 * - FIFO and one message at a time per session; up to `maxConcurrentSessions` sessions in parallel
 *   (host.json `maxConcurrentSessions`, default 8).
 * - Duplicate detection by `messageId` for a window fixed from first sight: a repeat is counted and
 *   dropped silently, even after the original was consumed, and even when scheduled.
 * - A handler that throws abandons the message: it is redelivered at once, first in its session, with
 *   `deliveryCount + 1`, until `maxDeliveryCount` (default 10); then it is dead-lettered.
 * - A scheduled message becomes visible at its time (by the injected clock) and joins the end of its
 *   session.
 * - Messages are serialised to JSON on send and parsed per delivery, as a broker would.
 *
 * Tests await `idle()` instead of sleeping (STYLE, anchor 6).
 */
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import type { JobEnvelope, JobQueue } from '../core/ports/jobs.js';
import { ensureError, ValidationError } from '../core/errors.js';
import { JobEnvelopeSchema } from './job-schema.js';
import { describeIssues } from '../core/zod-issues.js';

/** What the receiving side learns about a delivery besides the body (Functions `triggerMetadata`). */
export interface DeliveryMeta {
  /** 1 on the first delivery; +1 per abandon. */
  deliveryCount: number;
  messageId: string;
  sessionId: string;
  /** When the message became visible (for a scheduled one, its scheduled time). */
  enqueuedAt: Date;
}

export type JobHandler = (envelope: JobEnvelope, meta: DeliveryMeta) => Promise<void>;

export interface DeadLetter {
  envelope: JobEnvelope;
  messageId: string;
  sessionId: string;
  /** `MaxDeliveryCountExceeded`, as Service Bus names it. */
  reason: string;
  /** The last handler error's message. */
  description: string;
  deliveryCount: number;
  deadLetteredAt: Date;
}

export interface MemorySessionQueueStats {
  /** Messages accepted (not counting dropped duplicates). */
  sent: number;
  /** Messages dropped because their id was seen inside the duplicate window. */
  duplicatesDropped: number;
  /** Deliveries to the handler, redeliveries included. */
  delivered: number;
  /** Deliveries whose handler resolved. */
  completed: number;
  /** Deliveries whose handler threw. */
  abandoned: number;
  deadLettered: number;
}

export interface MemorySessionQueueOptions {
  /** Time and sleeping; `systemClock` by default. */
  clock?: Clock;
  /** Sessions processed in parallel (host.json default 8). */
  maxConcurrentSessions?: number;
  /** Duplicate detection window, fixed from first sight (default 1 hour). */
  duplicateWindowMs?: number;
  /** Deliveries before a message is dead-lettered (queue default 10). */
  maxDeliveryCount?: number;
  /** Largest serialised message accepted (Standard tier: 256 KB, reference §3.5). */
  maxMessageBytes?: number;
}

export interface IdleOptions {
  /** Also wait for messages scheduled in the future (default true). */
  includeScheduled?: boolean;
}

export interface MemorySessionQueue extends JobQueue {
  /** Starts delivering to `handler`. Throws if already started. */
  start(handler: JobHandler): void;
  /** Stops delivering; resolves when deliveries in flight have finished. Queued messages stay queued. */
  stop(): Promise<void>;
  /**
   * Resolves once nothing is queued or in flight, and (unless `includeScheduled: false`) nothing is
   * scheduled. Scheduled messages only become due as the clock advances, and queued ones are only
   * delivered while started, so await this after `start()` and with a clock that moves.
   */
  idle(options?: IdleOptions): Promise<void>;
  /** Dead-lettered messages, oldest first. */
  readonly deadLetters: readonly DeadLetter[];
  stats(): MemorySessionQueueStats;
}

interface QueuedMessage {
  /** The envelope as the broker holds it: JSON text, parsed afresh for every delivery. */
  body: string;
  messageId: string;
  sessionId: string;
  visibleAt: number;
  sequence: number;
  deliveryCount: number;
}

const HOUR_MS = 60 * 60 * 1000;
const STANDARD_TIER_MAX_MESSAGE_BYTES = 256 * 1024;

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1)
    throw new ValidationError(`${name} must be a positive integer`, { system: 'queue' });
  return value;
}

/** Creates an empty in-process session queue. Call `start(handler)` to begin delivering. */
export function createMemorySessionQueue(options: MemorySessionQueueOptions = {}): MemorySessionQueue {
  const clock = options.clock ?? systemClock;
  const maxConcurrentSessions = positiveInteger(options.maxConcurrentSessions ?? 8, 'maxConcurrentSessions');
  const duplicateWindowMs = options.duplicateWindowMs ?? HOUR_MS;
  const maxDeliveryCount = positiveInteger(options.maxDeliveryCount ?? 10, 'maxDeliveryCount');
  const maxMessageBytes = options.maxMessageBytes ?? STANDARD_TIER_MAX_MESSAGE_BYTES;

  /** Visible messages per session, FIFO. A session exists while it holds a message (reference §3.3). */
  const sessions = new Map<string, QueuedMessage[]>();
  /** Messages not yet visible, ordered by visibility time then send order. */
  const scheduled: QueuedMessage[] = [];
  /** messageId → first-sight time; insertion order is first-sight order, so expiry trims from the front. */
  const seen = new Map<string, number>();
  const activeSessions = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  const idleWaiters: Array<{ includeScheduled: boolean; resolve: () => void }> = [];
  /** Timers of the default clock, cancelled on stop so a stopped queue does not keep the process alive. */
  const systemTimers = new Set<NodeJS.Timeout>();
  const deadLetters: DeadLetter[] = [];
  const counters: MemorySessionQueueStats = {
    sent: 0,
    duplicatesDropped: 0,
    delivered: 0,
    completed: 0,
    abandoned: 0,
    deadLettered: 0,
  };
  let handler: JobHandler | undefined;
  let sequence = 0;

  function wakeAt(visibleAt: number): void {
    const delay = Math.max(0, visibleAt - clock.now());
    // Timers run on a monotonic clock and may fire a millisecond before `clock.now()` reaches `visibleAt`;
    // a message still not due then would never be delivered, so the wake is armed again until it is.
    const wake = (): void => {
      pump();
      if (scheduled.some((message) => message.visibleAt === visibleAt)) wakeAt(visibleAt);
    };
    if (options.clock === undefined) {
      const timer = setTimeout(() => {
        systemTimers.delete(timer);
        wake();
      }, delay);
      systemTimers.add(timer);
      return;
    }
    // An injected clock's sleep cannot be cancelled; waking a stopped queue only re-checks its state.
    void clock.sleep(delay).then(wake);
  }

  function forgetExpiredIds(now: number): void {
    for (const [messageId, firstSeen] of seen) {
      if (firstSeen + duplicateWindowMs > now) break;
      seen.delete(messageId);
    }
  }

  function makeVisible(message: QueuedMessage): void {
    const queue = sessions.get(message.sessionId);
    if (queue === undefined) sessions.set(message.sessionId, [message]);
    else queue.push(message);
  }

  function promoteDue(): void {
    const now = clock.now();
    while (scheduled.length > 0 && (scheduled[0]?.visibleAt ?? Infinity) <= now) {
      const message = scheduled.shift();
      if (message !== undefined) makeVisible(message);
    }
  }

  function hasVisible(): boolean {
    for (const queue of sessions.values()) if (queue.length > 0) return true;
    return false;
  }

  function isIdle(includeScheduled: boolean): boolean {
    return activeSessions.size === 0 && !hasVisible() && (!includeScheduled || scheduled.length === 0);
  }

  function settleIdleWaiters(): void {
    for (let i = idleWaiters.length - 1; i >= 0; i--) {
      const waiter = idleWaiters[i];
      if (waiter !== undefined && isIdle(waiter.includeScheduled)) {
        idleWaiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  function pump(): void {
    promoteDue();
    const current = handler;
    if (current !== undefined) {
      for (const [sessionId, queue] of sessions) {
        if (activeSessions.size >= maxConcurrentSessions) break;
        if (activeSessions.has(sessionId) || queue.length === 0) continue;
        activeSessions.add(sessionId);
        const run = runSession(sessionId, queue, current);
        inFlight.add(run);
        void run.finally(() => inFlight.delete(run));
      }
    }
    settleIdleWaiters();
  }

  /** Holds the session lock and delivers its messages one at a time until it is empty or the queue stops. */
  async function runSession(sessionId: string, queue: QueuedMessage[], current: JobHandler): Promise<void> {
    try {
      while (handler === current) {
        const message = queue[0];
        if (message === undefined) break;
        message.deliveryCount += 1;
        counters.delivered += 1;
        const envelope = JSON.parse(message.body) as JobEnvelope;
        try {
          await current(envelope, {
            deliveryCount: message.deliveryCount,
            messageId: message.messageId,
            sessionId,
            enqueuedAt: new Date(message.visibleAt),
          });
          queue.shift();
          counters.completed += 1;
        } catch (error) {
          counters.abandoned += 1;
          if (message.deliveryCount >= maxDeliveryCount) {
            queue.shift();
            counters.deadLettered += 1;
            deadLetters.push({
              envelope: JSON.parse(message.body) as JobEnvelope,
              messageId: message.messageId,
              sessionId,
              reason: 'MaxDeliveryCountExceeded',
              description: ensureError(error).message,
              deliveryCount: message.deliveryCount,
              deadLetteredAt: new Date(clock.now()),
            });
          }
          // Otherwise the message stays first in its session: abandon redelivers it at once, with no backoff.
        }
      }
    } finally {
      activeSessions.delete(sessionId);
      if (queue.length === 0 && sessions.get(sessionId) === queue) sessions.delete(sessionId);
      pump();
    }
  }

  /** Validates and serialises every envelope first, so a bad one rejects the whole send like a batch would. */
  function prepare(envelopes: JobEnvelope[]): Array<{ body: string; envelope: JobEnvelope }> {
    return envelopes.map((envelope) => {
      const parsed = JobEnvelopeSchema.safeParse(envelope);
      if (!parsed.success) {
        throw new ValidationError(
          `Job message is invalid: ${describeIssues(parsed.error, { under: 'envelope' }).join('; ')}`,
          {
            system: 'queue',
          },
        );
      }
      const body = JSON.stringify(parsed.data);
      if (Buffer.byteLength(body, 'utf8') > maxMessageBytes) {
        throw new ValidationError(`Job message ${parsed.data.messageId} is larger than ${maxMessageBytes} bytes`, {
          system: 'queue',
        });
      }
      return { body, envelope: parsed.data };
    });
  }

  function accept(body: string, envelope: JobEnvelope, visibleAt: number): void {
    // Anything due goes first, so a message sent now lands behind one whose scheduled time has passed.
    promoteDue();
    const now = clock.now();
    forgetExpiredIds(now);
    if (seen.has(envelope.messageId)) {
      counters.duplicatesDropped += 1;
      return;
    }
    seen.set(envelope.messageId, now);
    counters.sent += 1;
    sequence += 1;
    const message: QueuedMessage = {
      body,
      messageId: envelope.messageId,
      sessionId: envelope.sessionId,
      visibleAt: Math.max(now, visibleAt),
      sequence,
      deliveryCount: 0,
    };
    if (visibleAt <= now) {
      makeVisible(message);
      return;
    }
    const index = scheduled.findIndex((other) => other.visibleAt > visibleAt);
    scheduled.splice(index === -1 ? scheduled.length : index, 0, message);
    if (handler !== undefined) wakeAt(visibleAt);
  }

  return {
    enqueue(envelopes) {
      try {
        for (const { body, envelope } of prepare(envelopes)) accept(body, envelope, clock.now());
      } catch (error) {
        return Promise.reject(ensureError(error));
      }
      pump();
      return Promise.resolve();
    },

    schedule(envelope, at) {
      try {
        const [prepared] = prepare([envelope]);
        if (prepared !== undefined) accept(prepared.body, prepared.envelope, at.getTime());
      } catch (error) {
        return Promise.reject(ensureError(error));
      }
      pump();
      return Promise.resolve();
    },

    probe() {
      return Promise.resolve('in-process session queue');
    },

    start(newHandler) {
      if (handler !== undefined) throw new Error('The memory session queue is already started');
      handler = newHandler;
      for (const message of scheduled) wakeAt(message.visibleAt);
      pump();
    },

    async stop() {
      handler = undefined;
      for (const timer of systemTimers) clearTimeout(timer);
      systemTimers.clear();
      await Promise.all([...inFlight]);
      settleIdleWaiters();
    },

    idle(idleOptions = {}) {
      const includeScheduled = idleOptions.includeScheduled ?? true;
      return new Promise<void>((resolve) => {
        idleWaiters.push({ includeScheduled, resolve });
        pump();
      });
    },

    get deadLetters() {
      return deadLetters;
    },

    stats() {
      return { ...counters };
    },
  };
}
