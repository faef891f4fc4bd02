import { isServiceBusError, ServiceBusError, type ServiceBusErrorCode } from '@azure/service-bus';
import { describe, expect, it } from 'vitest';
import {
  createJobQueueOverSender,
  createServiceBusJobQueue,
  deliveryCountOf,
  fromServiceBusMessage,
  toServiceBusMessage,
  translateServiceBusError,
  type JobSender,
  type JobServiceBusMessage,
  type SenderConnection,
} from '../../src/queue/service-bus-queue.js';
import type { JobEnvelope } from '../../src/core/ports/jobs.js';
import { AuthError, NotFoundError, ThrottledError, TransientError, ValidationError } from '../../src/core/errors.js';

function buildEnvelope(overrides: Partial<JobEnvelope> = {}): JobEnvelope {
  return {
    job: { type: 'cin7-purchase', orderNumber: 'PO-00042', taskId: 'task-1' },
    trigger: 'webhook',
    sessionId: 'cin7-purchase:ORDER:PO-00042',
    messageId: 'cin7-purchase:ORDER:PO-00042@2026-11-28T10:00:00Z',
    attempt: 1,
    correlationId: 'corr-42',
    receivedAt: '2026-11-28T10:00:01.000Z',
    ...overrides,
  };
}

/** The Functions library lower-cases the first letter of every binding-data key, recursively (reference §1.2). */
function lowerFirst(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowerFirst);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key.charAt(0).toLowerCase() + key.slice(1), lowerFirst(inner)]),
  );
}

/** What the Service Bus extension puts in binding data for a message we sent, as the Node worker sees it. */
function hostView(
  message: JobServiceBusMessage,
  deliveryCount = 1,
): { body: unknown; triggerMetadata: Record<string, unknown> } {
  const bindingData = {
    MessageId: message.messageId,
    SessionId: message.sessionId,
    CorrelationId: message.correlationId,
    DeliveryCount: deliveryCount,
    ContentType: message.contentType,
    Label: message.subject,
    EnqueuedTimeUtc: '2026-11-28T10:00:02Z',
    ApplicationProperties: message.applicationProperties,
  };
  return {
    body: JSON.parse(JSON.stringify(message.body)) as unknown,
    triggerMetadata: lowerFirst(bindingData) as Record<string, unknown>,
  };
}

describe('toServiceBusMessage', () => {
  it('when an envelope is converted, then ids are broker properties and the rest are application properties', () => {
    expect(toServiceBusMessage(buildEnvelope())).toEqual({
      body: { type: 'cin7-purchase', orderNumber: 'PO-00042', taskId: 'task-1' },
      messageId: 'cin7-purchase:ORDER:PO-00042@2026-11-28T10:00:00Z',
      sessionId: 'cin7-purchase:ORDER:PO-00042',
      correlationId: 'corr-42',
      subject: 'cin7-purchase',
      contentType: 'application/json',
      applicationProperties: {
        attempt: 1,
        trigger: 'webhook',
        receivedAt: '2026-11-28T10:00:01.000Z',
        correlationId: 'corr-42',
      },
    });
  });

  it('when the envelope has no session id, then it throws ValidationError naming the field', () => {
    expect(() => toServiceBusMessage(buildEnvelope({ sessionId: '' }))).toThrow(/envelope\.sessionId/);
  });

  it('when the message id is longer than 128 characters, then it throws ValidationError', () => {
    expect(() => toServiceBusMessage(buildEnvelope({ messageId: 'm'.repeat(129) }))).toThrow(ValidationError);
  });
});

describe('fromServiceBusMessage', () => {
  it('when the host delivers a message we sent, then the envelope round-trips exactly', () => {
    const envelope = buildEnvelope({ attempt: 3, trigger: 'retry' });
    const { body, triggerMetadata } = hostView(toServiceBusMessage(envelope));
    expect(fromServiceBusMessage(body, triggerMetadata)).toEqual(envelope);
  });

  it.each<[string, JobEnvelope['job']]>([
    ['cin7-supplier', { type: 'cin7-supplier', supplierId: 's-1' }],
    ['bc-vendor', { type: 'bc-vendor', vendorId: 'v-1' }],
    ['bc-item', { type: 'bc-item', itemId: 'i-1' }],
    ['bc-collection', { type: 'bc-collection', resource: 'items', since: '2026-11-28T10:00:00Z' }],
  ])('when the job is %s, then it round-trips', (_type, job) => {
    const envelope = buildEnvelope({ job });
    const { body, triggerMetadata } = hostView(toServiceBusMessage(envelope));
    expect(fromServiceBusMessage(body, triggerMetadata)).toEqual(envelope);
  });

  it('when the body arrives as a JSON string or as bytes, then it is parsed', () => {
    const envelope = buildEnvelope();
    const { triggerMetadata } = hostView(toServiceBusMessage(envelope));
    expect(fromServiceBusMessage(JSON.stringify(envelope.job), triggerMetadata)).toEqual(envelope);
    expect(fromServiceBusMessage(Buffer.from(JSON.stringify(envelope.job)), triggerMetadata)).toEqual(envelope);
  });

  it('when the host hands the attempt over as a string, then it is read as a number', () => {
    const { body, triggerMetadata } = hostView(toServiceBusMessage(buildEnvelope()));
    const metadata = {
      ...triggerMetadata,
      applicationProperties: { ...(triggerMetadata['applicationProperties'] as object), attempt: '2' },
    };
    expect(fromServiceBusMessage(body, metadata).attempt).toBe(2);
  });

  it('when the application properties lack a correlation id, then the broker correlation id is used', () => {
    const { body, triggerMetadata } = hostView(toServiceBusMessage(buildEnvelope()));
    const properties = { ...(triggerMetadata['applicationProperties'] as Record<string, unknown>) };
    delete properties['correlationId'];
    expect(fromServiceBusMessage(body, { ...triggerMetadata, applicationProperties: properties }).correlationId).toBe(
      'corr-42',
    );
  });

  it('when the body and the metadata are both invalid, then one ValidationError names every bad field', () => {
    const { triggerMetadata } = hostView(toServiceBusMessage(buildEnvelope()));
    const metadata = {
      ...triggerMetadata,
      applicationProperties: { ...(triggerMetadata['applicationProperties'] as object), attempt: 0 },
    };
    let message = '';
    try {
      fromServiceBusMessage({ type: 'bc-item' }, metadata);
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      message = (error as Error).message;
    }
    expect(message).toContain('body.itemId');
    expect(message).toContain('triggerMetadata.applicationProperties.attempt');
  });

  it('when the job type is unknown, then it throws ValidationError', () => {
    const { triggerMetadata } = hostView(toServiceBusMessage(buildEnvelope()));
    expect(() => fromServiceBusMessage({ type: 'delete-everything' }, triggerMetadata)).toThrow(ValidationError);
  });

  it('when the body is not JSON, then it throws ValidationError', () => {
    const { triggerMetadata } = hostView(toServiceBusMessage(buildEnvelope()));
    expect(() => fromServiceBusMessage('{not json', triggerMetadata)).toThrow(/not JSON/);
  });

  it('when there is no trigger metadata, then it throws ValidationError', () => {
    expect(() => fromServiceBusMessage({ type: 'bc-item', itemId: 'x' }, undefined)).toThrow(ValidationError);
  });

  it('when the delivery count is in the metadata, then deliveryCountOf reads it', () => {
    expect(deliveryCountOf(hostView(toServiceBusMessage(buildEnvelope()), 4).triggerMetadata)).toBe(4);
    expect(deliveryCountOf(undefined)).toBeUndefined();
  });
});

describe('translateServiceBusError', () => {
  it.each<[ServiceBusErrorCode, new (...args: never[]) => Error]>([
    ['UnauthorizedAccess', AuthError],
    ['ServiceBusy', ThrottledError],
    ['QuotaExceeded', ThrottledError],
    ['MessagingEntityNotFound', NotFoundError],
    ['MessagingEntityDisabled', NotFoundError],
    ['MessageSizeExceeded', ValidationError],
    ['ServiceTimeout', TransientError],
    ['ServiceCommunicationProblem', TransientError],
  ])('when Service Bus reports %s, then it becomes %o naming the queue', (code, expected) => {
    const translated = translateServiceBusError(new ServiceBusError('failed', code), 'sync-jobs', isServiceBusError);
    expect(translated).toBeInstanceOf(expected);
    expect(translated.message).toContain('sync-jobs');
  });

  it('when the managed identity cannot get a token, then it is an auth error', () => {
    const error = new Error('no identity');
    error.name = 'CredentialUnavailableError';
    expect(translateServiceBusError(error, 'sync-jobs', isServiceBusError)).toBeInstanceOf(AuthError);
  });

  it('when the socket is refused, then it is transient', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(translateServiceBusError(error, 'sync-jobs', isServiceBusError)).toBeInstanceOf(TransientError);
  });

  it('when the error is a programming error, then it passes through unchanged', () => {
    const bug = new TypeError('undefined is not a function');
    expect(translateServiceBusError(bug, 'sync-jobs', isServiceBusError)).toBe(bug);
  });
});

/** A sender that records what it is asked to send; batches hold at most `batchLimit` messages. */
function fakeSender(
  batchLimit = 100,
): JobSender & { sent: JobServiceBusMessage[][]; scheduled: Array<[unknown, Date]> } {
  const sent: JobServiceBusMessage[][] = [];
  const scheduled: Array<[unknown, Date]> = [];
  const sender = {
    sent,
    scheduled,
    createMessageBatch: () => {
      const messages: JobServiceBusMessage[] = [];
      return Promise.resolve({
        get count() {
          return messages.length;
        },
        sizeInBytes: 0,
        maxSizeInBytes: 262_144,
        tryAddMessage: (message: unknown) => {
          const typed = message as JobServiceBusMessage;
          if (typed.correlationId === 'too-big' || messages.length >= batchLimit) return false;
          messages.push(typed);
          return true;
        },
        messages,
      });
    },
    sendMessages: (batch: unknown) => {
      sent.push([...(batch as { messages: JobServiceBusMessage[] }).messages]);
      return Promise.resolve();
    },
    scheduleMessages: (message: unknown, at: Date) => {
      scheduled.push([message, at]);
      return Promise.resolve([]);
    },
  };
  return sender;
}

function connectionTo(sender: JobSender): SenderConnection {
  return { sender, isServiceBusError, close: () => Promise.resolve() };
}

describe('createJobQueueOverSender', () => {
  it('when envelopes for several sessions are enqueued, then each sendMessages call holds one session, in order', async () => {
    const sender = fakeSender();
    const queue = createJobQueueOverSender('sync-jobs', () => Promise.resolve(connectionTo(sender)));
    await queue.enqueue([
      buildEnvelope({ sessionId: 'a', messageId: 'a1' }),
      buildEnvelope({ sessionId: 'b', messageId: 'b1' }),
      buildEnvelope({ sessionId: 'a', messageId: 'a2' }),
    ]);
    expect(sender.sent.map((batch) => batch.map((message) => message.messageId))).toEqual([['a1', 'a2'], ['b1']]);
  });

  it('when a session has more messages than fit in one batch, then they go in several batches in order', async () => {
    const sender = fakeSender(2);
    const queue = createJobQueueOverSender('sync-jobs', () => Promise.resolve(connectionTo(sender)));
    await queue.enqueue(['1', '2', '3', '4', '5'].map((id) => buildEnvelope({ messageId: id })));
    expect(sender.sent.map((batch) => batch.map((message) => message.messageId))).toEqual([
      ['1', '2'],
      ['3', '4'],
      ['5'],
    ]);
  });

  it('when one message can never fit a batch, then enqueue rejects with ValidationError', async () => {
    const queue = createJobQueueOverSender('sync-jobs', () => Promise.resolve(connectionTo(fakeSender())));
    await expect(queue.enqueue([buildEnvelope({ correlationId: 'too-big' })])).rejects.toBeInstanceOf(ValidationError);
  });

  it('when an envelope is invalid, then nothing is sent and the sender is never created', async () => {
    let connects = 0;
    const queue = createJobQueueOverSender('sync-jobs', () => {
      connects += 1;
      return Promise.resolve(connectionTo(fakeSender()));
    });
    await expect(queue.enqueue([buildEnvelope(), buildEnvelope({ attempt: 0 })])).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect(connects).toBe(0);
  });

  it('when the queue is probed, then it opens its own sender once, sends nothing and says which queue answered', async () => {
    let connects = 0;
    const sender = fakeSender();
    const queue = createJobQueueOverSender('sync-jobs', () => {
      connects += 1;
      return Promise.resolve(connectionTo(sender));
    });
    await expect(queue.probe()).resolves.toBe('queue sync-jobs accepts a sender');
    await queue.enqueue([buildEnvelope()]);
    expect(connects).toBe(1);
    expect(sender.sent).toHaveLength(1);
    expect(sender.scheduled).toEqual([]);
  });

  it('when the namespace refuses the sender, then the probe fails with our error, not the SDK one', async () => {
    const sender = {
      ...fakeSender(),
      createMessageBatch: () =>
        Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    };
    const queue = createJobQueueOverSender('sync-jobs', () => Promise.resolve(connectionTo(sender)));
    await expect(queue.probe()).rejects.toBeInstanceOf(TransientError);
  });

  it('when several sends happen, then the connection is made once, on the first send', async () => {
    let connects = 0;
    const sender = fakeSender();
    const queue = createJobQueueOverSender('sync-jobs', () => {
      connects += 1;
      return Promise.resolve(connectionTo(sender));
    });
    expect(connects).toBe(0);
    await Promise.all([queue.enqueue([buildEnvelope()]), queue.enqueue([buildEnvelope({ messageId: 'm2' })])]);
    await queue.schedule(buildEnvelope({ messageId: 'm3' }), new Date('2026-11-28T10:05:00Z'));
    expect(connects).toBe(1);
  });

  it('when connecting fails once, then the next send connects again', async () => {
    let connects = 0;
    const queue = createJobQueueOverSender('sync-jobs', () => {
      connects += 1;
      return connects === 1 ? Promise.reject(new Error('no route')) : Promise.resolve(connectionTo(fakeSender()));
    });
    await expect(queue.enqueue([buildEnvelope()])).rejects.toThrow('no route');
    await queue.enqueue([buildEnvelope()]);
    expect(connects).toBe(2);
  });

  it('when a message is scheduled, then scheduleMessages gets the converted message and the time', async () => {
    const sender = fakeSender();
    const queue = createJobQueueOverSender('sync-jobs', () => Promise.resolve(connectionTo(sender)));
    const at = new Date('2026-11-28T10:05:00Z');
    await queue.schedule(buildEnvelope({ attempt: 2, trigger: 'retry' }), at);
    expect(sender.scheduled).toEqual([[toServiceBusMessage(buildEnvelope({ attempt: 2, trigger: 'retry' })), at]]);
  });

  it('when Service Bus is busy, then the send rejects with ThrottledError', async () => {
    const sender = fakeSender();
    const busy: JobSender = {
      ...sender,
      sendMessages: () => Promise.reject(new ServiceBusError('busy', 'ServiceBusy')),
    };
    const queue = createJobQueueOverSender('sync-jobs', () => Promise.resolve(connectionTo(busy)));
    await expect(queue.enqueue([buildEnvelope()])).rejects.toBeInstanceOf(ThrottledError);
  });

  it('when closed, then the connection is closed once and a queue never used closes quietly', async () => {
    let closes = 0;
    const queue = createJobQueueOverSender('sync-jobs', () =>
      Promise.resolve({ ...connectionTo(fakeSender()), close: () => Promise.resolve(void (closes += 1)) }),
    );
    await queue.close();
    expect(closes).toBe(0);
    await queue.enqueue([buildEnvelope()]);
    await queue.close();
    expect(closes).toBe(1);
  });
});

describe('createServiceBusJobQueue', () => {
  it('when neither a connection string nor a namespace with a credential is given, then it throws ValidationError', () => {
    expect(() =>
      createServiceBusJobQueue({ queueName: 'sync-jobs', fullyQualifiedNamespace: 'x.servicebus.windows.net' }),
    ).toThrow(ValidationError);
  });

  it('when the queue name is blank, then it throws ValidationError', () => {
    expect(() =>
      createServiceBusJobQueue({
        queueName: ' ',
        connectionString: 'Endpoint=sb://x/;SharedAccessKeyName=k;SharedAccessKey=v',
      }),
    ).toThrow(ValidationError);
  });

  it('when created but never used, then nothing connects and close resolves', async () => {
    const queue = createServiceBusJobQueue({
      queueName: 'sync-jobs',
      connectionString: 'Endpoint=sb://127.0.0.1/;SharedAccessKeyName=k;SharedAccessKey=v',
    });
    await expect(queue.close()).resolves.toBeUndefined();
  });
});
