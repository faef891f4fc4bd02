import { describe, expect, it } from 'vitest';
import { createMemorySessionQueue, type DeliveryMeta } from '../../src/queue/memory-session-queue.js';
import { retryMessageId } from '../../src/core/job-ids.js';
import type { JobEnvelope } from '../../src/core/ports/jobs.js';
import { ValidationError } from '../../src/core/errors.js';
import { manualClock } from './manual-clock.js';

function buildEnvelope(overrides: Partial<JobEnvelope> = {}): JobEnvelope {
  return {
    job: { type: 'bc-item', itemId: 'item-1' },
    trigger: 'poll',
    sessionId: 'bc-item:item-1',
    messageId: 'bc-item:item-1@v1',
    attempt: 1,
    correlationId: 'corr-1',
    receivedAt: '2026-11-28T10:00:00.000Z',
    ...overrides,
  };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('createMemorySessionQueue', () => {
  it('when a session has several messages, then they are delivered in order and never two at once', async () => {
    const queue = createMemorySessionQueue({ clock: manualClock() });
    const seen: string[] = [];
    let running = 0;
    let maxRunning = 0;
    queue.start(async (envelope) => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(envelope.messageId);
      running -= 1;
    });

    await queue.enqueue(['m1', 'm2', 'm3', 'm4'].map((messageId) => buildEnvelope({ messageId })));
    await queue.idle();

    expect(seen).toEqual(['m1', 'm2', 'm3', 'm4']);
    expect(maxRunning).toBe(1);
  });

  it('when many sessions have work, then at most maxConcurrentSessions run in parallel', async () => {
    const queue = createMemorySessionQueue({ clock: manualClock(), maxConcurrentSessions: 3 });
    const gate = deferred();
    let running = 0;
    let maxRunning = 0;
    queue.start(async () => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await gate.promise;
      running -= 1;
    });

    await queue.enqueue(Array.from({ length: 6 }, (_, i) => buildEnvelope({ sessionId: `s${i}`, messageId: `m${i}` })));
    await new Promise((resolve) => setImmediate(resolve));
    expect(running).toBe(3);
    gate.resolve();
    await queue.idle();

    expect(maxRunning).toBe(3);
    expect(queue.stats().completed).toBe(6);
  });

  it('when the same messageId is sent twice inside the window, then the copy is dropped silently and counted', async () => {
    const queue = createMemorySessionQueue({ clock: manualClock() });
    const seen: string[] = [];
    queue.start(async (envelope) => {
      seen.push(envelope.trigger);
      return Promise.resolve();
    });

    await queue.enqueue([buildEnvelope({ trigger: 'webhook' })]);
    await queue.enqueue([buildEnvelope({ trigger: 'poll' })]);
    await queue.idle();

    expect(seen).toEqual(['webhook']);
    expect(queue.stats()).toMatchObject({ sent: 1, duplicatesDropped: 1, delivered: 1 });
  });

  it('when the original was already consumed, then a copy inside the window is still dropped', async () => {
    const clock = manualClock();
    const queue = createMemorySessionQueue({ clock, duplicateWindowMs: 10 * 60_000 });
    let deliveries = 0;
    queue.start(async () => {
      deliveries += 1;
      return Promise.resolve();
    });

    await queue.enqueue([buildEnvelope()]);
    await queue.idle();
    await clock.advance(9 * 60_000);
    await queue.enqueue([buildEnvelope()]);
    await queue.idle();

    expect(deliveries).toBe(1);
  });

  it('when the window measured from first sight has passed, then the same messageId is accepted again', async () => {
    const clock = manualClock();
    const queue = createMemorySessionQueue({ clock, duplicateWindowMs: 10 * 60_000 });
    let deliveries = 0;
    queue.start(async () => {
      deliveries += 1;
      return Promise.resolve();
    });

    await queue.enqueue([buildEnvelope()]);
    await clock.advance(5 * 60_000);
    await queue.enqueue([buildEnvelope()]);
    await clock.advance(5 * 60_000);
    await queue.enqueue([buildEnvelope()]);
    await queue.idle();

    expect(deliveries).toBe(2);
    expect(queue.stats().duplicatesDropped).toBe(1);
  });

  it('when the handler throws once, then the message is redelivered at once with deliveryCount 2, before later messages', async () => {
    const queue = createMemorySessionQueue({ clock: manualClock() });
    const deliveries: Array<[string, number]> = [];
    queue.start(async (envelope, meta: DeliveryMeta) => {
      deliveries.push([envelope.messageId, meta.deliveryCount]);
      if (envelope.messageId === 'm1' && meta.deliveryCount === 1) throw new Error('BC answered 503');
      return Promise.resolve();
    });

    await queue.enqueue([buildEnvelope({ messageId: 'm1' }), buildEnvelope({ messageId: 'm2' })]);
    await queue.idle();

    expect(deliveries).toEqual([
      ['m1', 1],
      ['m1', 2],
      ['m2', 1],
    ]);
    expect(queue.stats()).toMatchObject({ delivered: 3, completed: 2, abandoned: 1, deadLettered: 0 });
  });

  it('when the handler always throws, then after maxDeliveryCount deliveries the message is dead-lettered and the session moves on', async () => {
    const queue = createMemorySessionQueue({ clock: manualClock(), maxDeliveryCount: 3 });
    const completed: string[] = [];
    queue.start(async (envelope) => {
      if (envelope.messageId === 'poison') throw new Error('cannot parse purchase');
      completed.push(envelope.messageId);
      return Promise.resolve();
    });

    await queue.enqueue([buildEnvelope({ messageId: 'poison' }), buildEnvelope({ messageId: 'next' })]);
    await queue.idle();

    expect(completed).toEqual(['next']);
    expect(queue.deadLetters).toHaveLength(1);
    expect(queue.deadLetters[0]).toMatchObject({
      messageId: 'poison',
      reason: 'MaxDeliveryCountExceeded',
      description: 'cannot parse purchase',
      deliveryCount: 3,
    });
    expect(queue.deadLetters[0]?.envelope).toEqual(buildEnvelope({ messageId: 'poison' }));
    expect(queue.stats()).toMatchObject({ delivered: 4, deadLettered: 1 });
  });

  it('when a message is scheduled, then it is delivered only once the clock reaches its time', async () => {
    const clock = manualClock();
    const queue = createMemorySessionQueue({ clock });
    const deliveries: DeliveryMeta[] = [];
    queue.start(async (_envelope, meta) => {
      deliveries.push(meta);
      return Promise.resolve();
    });
    const at = new Date(clock.now() + 30_000);

    await queue.schedule(buildEnvelope(), at);
    await queue.idle({ includeScheduled: false });
    expect(deliveries).toHaveLength(0);

    await clock.advance(29_999);
    await queue.idle({ includeScheduled: false });
    expect(deliveries).toHaveLength(0);

    await clock.advance(1);
    await queue.idle();
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]?.enqueuedAt).toEqual(at);
  });

  it('when idle is awaited with a scheduled message pending, then it resolves only after that message is handled', async () => {
    const clock = manualClock();
    const queue = createMemorySessionQueue({ clock });
    let handled = false;
    queue.start(async () => {
      handled = true;
      return Promise.resolve();
    });
    await queue.schedule(buildEnvelope(), new Date(clock.now() + 1000));

    const idle = queue.idle().then(() => handled);
    await clock.advance(1000);

    expect(await idle).toBe(true);
  });

  it('when a retry is scheduled with the original messageId, then it is lost; with retryMessageId, then it is delivered', async () => {
    const clock = manualClock();
    const queue = createMemorySessionQueue({ clock });
    const attempts: number[] = [];
    queue.start(async (envelope) => {
      attempts.push(envelope.attempt);
      return Promise.resolve();
    });
    const original = buildEnvelope();
    await queue.enqueue([original]);
    await queue.idle();

    await queue.schedule({ ...original, attempt: 2, trigger: 'retry' }, new Date(clock.now() + 1000));
    await queue.schedule(
      { ...original, attempt: 2, trigger: 'retry', messageId: retryMessageId(original.messageId, 2) },
      new Date(clock.now() + 1000),
    );
    await clock.advance(1000);
    await queue.idle();

    expect(attempts).toEqual([1, 2]);
    expect(queue.stats().duplicatesDropped).toBe(1);
  });

  it('when a scheduled message becomes visible, then it joins the end of its session', async () => {
    const clock = manualClock();
    const queue = createMemorySessionQueue({ clock });
    await queue.schedule(buildEnvelope({ messageId: 'scheduled' }), new Date(clock.now() + 1000));
    await clock.advance(1000);
    await queue.enqueue([buildEnvelope({ messageId: 'later' })]);
    const order: string[] = [];
    queue.start(async (envelope) => {
      order.push(envelope.messageId);
      return Promise.resolve();
    });
    await queue.idle();
    expect(order).toEqual(['scheduled', 'later']);
  });

  it('when the handler or the sender mutates an envelope, then the broker copy is unaffected', async () => {
    const queue = createMemorySessionQueue({ clock: manualClock() });
    const seenItemIds: string[] = [];
    queue.start(async (envelope, meta) => {
      if (envelope.job.type === 'bc-item') seenItemIds.push(envelope.job.itemId);
      if (envelope.job.type === 'bc-item') envelope.job.itemId = 'mutated-by-handler';
      if (meta.deliveryCount === 1) throw new Error('retry me');
      return Promise.resolve();
    });
    const sent = buildEnvelope();

    await queue.enqueue([sent]);
    if (sent.job.type === 'bc-item') sent.job.itemId = 'mutated-by-sender';
    await queue.idle();

    expect(seenItemIds).toEqual(['item-1', 'item-1']);
  });

  it('when an envelope is invalid, then enqueue rejects with ValidationError and sends none of the batch', async () => {
    const queue = createMemorySessionQueue({ clock: manualClock() });
    const error = await queue
      .enqueue([buildEnvelope({ messageId: 'ok' }), buildEnvelope({ messageId: 'x'.repeat(129), sessionId: '' })])
      .then(
        () => undefined,
        (reason: unknown) => reason,
      );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain('envelope.messageId');
    expect((error as Error).message).toContain('envelope.sessionId');
    expect(queue.stats().sent).toBe(0);
  });

  it('when a message is larger than the tier allows, then enqueue rejects with ValidationError', async () => {
    const queue = createMemorySessionQueue({ clock: manualClock(), maxMessageBytes: 1024 });
    await expect(queue.enqueue([buildEnvelope({ correlationId: 'c'.repeat(2000) })])).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it('when stopped, then in-flight work finishes, nothing new is delivered, and a restart picks up the rest', async () => {
    const queue = createMemorySessionQueue({ clock: manualClock() });
    const gate = deferred();
    const seen: string[] = [];
    queue.start(async (envelope) => {
      seen.push(envelope.messageId);
      await gate.promise;
    });
    await queue.enqueue([buildEnvelope({ messageId: 'm1' }), buildEnvelope({ messageId: 'm2' })]);

    const stopped = queue.stop();
    gate.resolve();
    await stopped;
    expect(seen).toEqual(['m1']);

    queue.start(async (envelope) => {
      seen.push(envelope.messageId);
      return Promise.resolve();
    });
    await queue.idle();
    expect(seen).toEqual(['m1', 'm2']);
  });

  it('when the handler enqueues a follow-up in its own session, then it runs after the current message', async () => {
    const queue = createMemorySessionQueue({ clock: manualClock() });
    const order: string[] = [];
    queue.start(async (envelope) => {
      order.push(envelope.messageId);
      if (envelope.messageId === 'first') await queue.enqueue([buildEnvelope({ messageId: 'follow-up' })]);
    });
    await queue.enqueue([buildEnvelope({ messageId: 'first' }), buildEnvelope({ messageId: 'second' })]);
    await queue.idle();
    expect(order).toEqual(['first', 'second', 'follow-up']);
  });

  it('when nothing was ever sent, then idle resolves at once', async () => {
    const queue = createMemorySessionQueue({ clock: manualClock() });
    await expect(queue.idle()).resolves.toBeUndefined();
  });

  it('when the default system clock is used and the queue stops, then a far-future schedule does not keep timers alive', async () => {
    const queue = createMemorySessionQueue();
    queue.start(() => Promise.resolve());
    await queue.schedule(buildEnvelope(), new Date(Date.now() + 60 * 60_000));
    await queue.stop();
    await expect(queue.idle({ includeScheduled: false })).resolves.toBeUndefined();
  });
});

describe('scheduled delivery when a timer fires early', () => {
  it('when the wake-up comes before the clock reaches the scheduled time, then the message is still delivered', async () => {
    // A clock whose sleeps end 1 ms "early": Node timers (monotonic) can fire before Date.now() catches up.
    let now = 1_000;
    const earlyClock = {
      now: () => now,
      sleep: async (ms: number) => {
        await new Promise((resolve) => setImmediate(resolve));
        now += Math.max(0, ms - 1) + (ms <= 1 ? 1 : 0);
      },
      random: () => 0.5,
    };
    const queue = createMemorySessionQueue({ clock: earlyClock });
    const delivered: string[] = [];
    queue.start((envelope) => {
      delivered.push(envelope.messageId);
      return Promise.resolve();
    });
    await queue.schedule(
      {
        job: { type: 'bc-item', itemId: 'i-1' },
        trigger: 'retry',
        sessionId: 's-1',
        messageId: 'm-1',
        attempt: 2,
        correlationId: 'c-1',
        receivedAt: new Date(0).toISOString(),
      },
      new Date(now + 50),
    );
    await queue.idle();
    expect(delivered).toEqual(['m-1']);
    await queue.stop();
  });
});
