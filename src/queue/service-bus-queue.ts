/**
 * The sync job queue over Azure Service Bus (DESIGN §4 Messages). Sends with `ServiceBusSender`, because
 * the Functions output binding cannot set `sessionId` or `messageId` (reference/azure-platform.md §1.6).
 * The receiving side is the Functions Service Bus trigger; `fromServiceBusMessage` turns what it hands over
 * back into a `JobEnvelope`.
 */
import type { TokenCredential } from '@azure/core-auth';
import type * as ServiceBusSdk from '@azure/service-bus';
import type { ServiceBusMessageBatch, ServiceBusSender } from '@azure/service-bus';
import { z } from 'zod';
import type { JobEnvelope, JobQueue, JobTrigger, SyncJob } from '../core/ports/jobs.js';
import {
  AuthError,
  ensureError,
  isConnectorError,
  NotFoundError,
  ThrottledError,
  TransientError,
  ValidationError,
} from '../core/errors.js';
import { JobEnvelopeSchema, jobTriggers } from './job-schema.js';
import { SyncJobSchema } from '../core/jobs/job-types.js';
import { describeIssues } from '../core/zod-issues.js';
import { MAX_SERVICE_BUS_ID_LENGTH } from '../core/job-ids.js';
import { isCredentialFailure, isNetworkFailure, stringProperty } from '../http/failure-kinds.js';

export interface CreateServiceBusJobQueueOptions {
  /** `<namespace>.servicebus.windows.net`, used with `credential` (identity-based, in Azure). */
  fullyQualifiedNamespace?: string;
  /** A connection string (the Docker emulator, or a namespace without identity). */
  connectionString?: string;
  credential?: TokenCredential;
  /** `SYNC_QUEUE_NAME` (DESIGN §5). */
  queueName: string;
}

/** Application properties we set. Lower-camel names, because the Functions host lower-cases the first letter. */
export type JobApplicationProperties = {
  attempt: number;
  trigger: JobTrigger;
  receivedAt: string;
  correlationId: string;
};

/** The `ServiceBusMessage` we send for one envelope. */
export type JobServiceBusMessage = {
  body: SyncJob;
  messageId: string;
  sessionId: string;
  correlationId: string;
  subject: SyncJob['type'];
  contentType: 'application/json';
  applicationProperties: JobApplicationProperties;
};

function validateEnvelope(envelope: JobEnvelope): JobEnvelope {
  const parsed = JobEnvelopeSchema.safeParse(envelope);
  if (!parsed.success)
    throw new ValidationError(
      `Job message is invalid: ${describeIssues(parsed.error, { under: 'envelope' }).join('; ')}`,
      {
        system: 'queue',
      },
    );
  return parsed.data;
}

/**
 * The Service Bus message for `envelope`: the job as the JSON body, ids as broker properties (so session
 * ordering and duplicate detection work), the rest as application properties. Throws `ValidationError`
 * for an invalid envelope.
 */
export function toServiceBusMessage(envelope: JobEnvelope): JobServiceBusMessage {
  const valid = validateEnvelope(envelope);
  return {
    body: valid.job,
    messageId: valid.messageId,
    sessionId: valid.sessionId,
    correlationId: valid.correlationId,
    subject: valid.job.type,
    contentType: 'application/json',
    applicationProperties: {
      attempt: valid.attempt,
      trigger: valid.trigger,
      receivedAt: valid.receivedAt,
      correlationId: valid.correlationId,
    },
  };
}

const serviceBusId = z.string().min(1).max(MAX_SERVICE_BUS_ID_LENGTH);
/** The host may hand numbers over as strings; only whole positive numbers are attempts. */
const attemptValue = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).pipe(z.number().int().min(1));

const TriggerMetadataSchema = z.object({
  messageId: serviceBusId,
  sessionId: serviceBusId,
  correlationId: z.string().min(1).optional(),
  applicationProperties: z.object({
    attempt: attemptValue,
    trigger: z.enum(jobTriggers),
    receivedAt: z.iso.datetime({ offset: true }),
    correlationId: z.string().min(1).optional(),
  }),
});

function decodeBody(body: unknown): unknown {
  const text =
    typeof body === 'string' ? body : body instanceof Uint8Array ? Buffer.from(body).toString('utf8') : undefined;
  if (text === undefined) return body;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ValidationError('Job message body is not JSON', { system: 'queue' });
  }
}

/**
 * Rebuilds the envelope from what the Functions Service Bus trigger provides: the body (already parsed
 * JSON, a string or bytes) and `context.triggerMetadata` (camelCased keys: `messageId`, `sessionId`,
 * `correlationId`, `applicationProperties`). Throws `ValidationError` naming every invalid field.
 */
export function fromServiceBusMessage(
  body: unknown,
  triggerMetadata: Record<string, unknown> | undefined,
): JobEnvelope {
  if (triggerMetadata === undefined)
    throw new ValidationError('Job message has no trigger metadata', { system: 'queue' });
  const job = SyncJobSchema.safeParse(decodeBody(body));
  const metadata = TriggerMetadataSchema.safeParse(triggerMetadata);
  if (!job.success || !metadata.success) {
    const problems = [
      ...(job.success ? [] : describeIssues(job.error, { under: 'body' })),
      ...(metadata.success ? [] : describeIssues(metadata.error, { under: 'triggerMetadata' })),
    ];
    throw new ValidationError(`Job message is invalid: ${problems.join('; ')}`, { system: 'queue' });
  }
  const properties = metadata.data.applicationProperties;
  const correlationId = properties.correlationId ?? metadata.data.correlationId;
  if (correlationId === undefined) {
    throw new ValidationError('Job message is invalid: triggerMetadata.correlationId: missing', { system: 'queue' });
  }
  return {
    job: job.data,
    trigger: properties.trigger,
    sessionId: metadata.data.sessionId,
    messageId: metadata.data.messageId,
    attempt: properties.attempt,
    correlationId,
    receivedAt: properties.receivedAt,
  };
}

/** `triggerMetadata.deliveryCount`: 1 on the first delivery, +1 per abandon; undefined when absent. */
export function deliveryCountOf(triggerMetadata: Record<string, unknown> | undefined): number | undefined {
  const parsed = attemptValue.safeParse(triggerMetadata?.['deliveryCount']);
  return parsed.success ? parsed.data : undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Errors

function isRetryable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'retryable' in error && error.retryable === true;
}

/**
 * The one place Service Bus failures become our errors. `isServiceBusError` comes from the SDK, which is
 * loaded lazily, so the caller passes it in. Errors that are none of ours (programming errors) are returned
 * unchanged so they are not retried as if transient.
 */
export function translateServiceBusError(
  error: unknown,
  queueName: string,
  isServiceBusError: (value: unknown) => value is ServiceBusSdk.ServiceBusError,
): Error {
  if (isConnectorError(error)) return error;
  const where = `sending to queue ${queueName}`;
  if (isServiceBusError(error)) {
    const options = { system: 'queue' as const, code: error.code, cause: error };
    switch (error.code) {
      case 'UnauthorizedAccess':
        return new AuthError(
          `Service Bus refused access ${where}; check the Azure Service Bus Data Sender role`,
          options,
        );
      case 'ServiceBusy':
      case 'QuotaExceeded':
        return new ThrottledError(`Service Bus is throttling or full (${error.code}) ${where}`, undefined, options);
      case 'MessagingEntityNotFound':
      case 'MessagingEntityDisabled':
        return new NotFoundError(`Service Bus queue ${queueName} is missing or disabled (${error.code})`, options);
      case 'MessageSizeExceeded':
        return new ValidationError(`Job message is too large ${where}`, options);
      default:
        return new TransientError(`Service Bus failed (${error.code}) ${where}`, options);
    }
  }
  const code = stringProperty(error, 'code');
  const base = { system: 'queue' as const, cause: error, ...(code === undefined ? {} : { code }) };
  if (isCredentialFailure(error) || code === 'UnauthorizedError') {
    return new AuthError(`Service Bus credential could not get a token ${where}; check the managed identity`, base);
  }
  if (isNetworkFailure(error) || isRetryable(error)) {
    return new TransientError(`Service Bus unreachable${code === undefined ? '' : ` (${code})`} ${where}`, base);
  }
  return ensureError(error);
}

// ---------------------------------------------------------------------------------------------------------
// The queue

/** The part of `ServiceBusSender` the queue uses, so tests can pass a fake. */
export type JobSender = Pick<ServiceBusSender, 'createMessageBatch' | 'sendMessages' | 'scheduleMessages'>;

export interface SenderConnection {
  sender: JobSender;
  isServiceBusError: (value: unknown) => value is ServiceBusSdk.ServiceBusError;
  close(): Promise<void>;
}

/** Messages grouped by session in first-seen order: one `sendMessages` call must share one session id. */
function bySession(messages: JobServiceBusMessage[]): JobServiceBusMessage[][] {
  const groups = new Map<string, JobServiceBusMessage[]>();
  for (const message of messages) {
    const group = groups.get(message.sessionId);
    if (group === undefined) groups.set(message.sessionId, [message]);
    else group.push(message);
  }
  return [...groups.values()];
}

async function sendGroup(sender: JobSender, group: JobServiceBusMessage[]): Promise<void> {
  let batch: ServiceBusMessageBatch = await sender.createMessageBatch();
  for (const message of group) {
    if (batch.tryAddMessage(message)) continue;
    if (batch.count === 0)
      throw new ValidationError(`Job message ${message.messageId} is larger than the queue accepts`, {
        system: 'queue',
      });
    await sender.sendMessages(batch);
    batch = await sender.createMessageBatch();
    if (!batch.tryAddMessage(message)) {
      throw new ValidationError(`Job message ${message.messageId} is larger than the queue accepts`, {
        system: 'queue',
      });
    }
  }
  if (batch.count > 0) await sender.sendMessages(batch);
}

/**
 * The queue over an already-made (or lazily made) sender connection. Exported for tests, which pass a fake
 * sender; production code calls {@link createServiceBusJobQueue}.
 */
export function createJobQueueOverSender(
  queueName: string,
  connect: () => Promise<SenderConnection>,
): JobQueue & { close(): Promise<void> } {
  let connection: Promise<SenderConnection> | undefined;
  const connected = (): Promise<SenderConnection> => {
    // A failed connect is forgotten so the next send tries again.
    connection ??= connect().catch((error: unknown) => {
      connection = undefined;
      throw error;
    });
    return connection;
  };

  async function withSender(call: (sender: JobSender) => Promise<void>): Promise<void> {
    const current = await connected();
    try {
      await call(current.sender);
    } catch (error) {
      throw translateServiceBusError(error, queueName, current.isServiceBusError);
    }
  }

  return {
    async enqueue(envelopes) {
      const messages = envelopes.map(toServiceBusMessage);
      if (messages.length === 0) return;
      // Groups already sent stay sent if a later one fails; re-sending them is safe, because their ids are
      // deterministic and duplicate detection drops the copies.
      await withSender(async (sender) => {
        for (const group of bySession(messages)) await sendGroup(sender, group);
      });
    },
    async schedule(envelope, at) {
      const message = toServiceBusMessage(envelope);
      await withSender(async (sender) => {
        await sender.scheduleMessages(message, at);
      });
    },
    async probe() {
      // Creating a batch needs the sender link, so it proves the namespace answers and the identity may send;
      // it reuses the queue's own client, so a probe costs no extra connection.
      await withSender(async (sender) => {
        await sender.createMessageBatch();
      });
      return `queue ${queueName} accepts a sender`;
    },
    async close() {
      const current = connection;
      connection = undefined;
      if (current === undefined) return;
      const open = await current.catch(() => undefined);
      await open?.close();
    },
  };
}

/**
 * The sync job queue over Service Bus. Pass `fullyQualifiedNamespace` and `credential` in Azure
 * (identity-based, DESIGN §4 Identity) or `connectionString` elsewhere. The SDK is imported, and one client
 * and sender are created, on the first send: a cold start that never sends does not pay for them
 * (DESIGN §4 Start-up cost). Call `close()` on shutdown.
 */
export function createServiceBusJobQueue(
  options: CreateServiceBusJobQueueOptions,
): JobQueue & { close(): Promise<void> } {
  const { queueName, connectionString, fullyQualifiedNamespace, credential } = options;
  if (queueName.trim() === '')
    throw new ValidationError('The Service Bus queue name is empty (SYNC_QUEUE_NAME)', { system: 'config' });
  type Sdk = typeof ServiceBusSdk;
  const makeClient: ((sdk: Sdk) => ServiceBusSdk.ServiceBusClient) | undefined =
    connectionString !== undefined
      ? (sdk) => new sdk.ServiceBusClient(connectionString)
      : fullyQualifiedNamespace !== undefined && credential !== undefined
        ? (sdk) => new sdk.ServiceBusClient(fullyQualifiedNamespace, credential)
        : undefined;
  if (makeClient === undefined) {
    throw new ValidationError(
      'Service Bus needs a connection string, or a fully qualified namespace and a credential',
      { system: 'config' },
    );
  }
  return createJobQueueOverSender(queueName, async () => {
    const sdk = await import('@azure/service-bus');
    const client = makeClient(sdk);
    const sender = client.createSender(queueName);
    return {
      sender,
      isServiceBusError: sdk.isServiceBusError,
      close: async () => {
        await sender.close();
        await client.close();
      },
    };
  });
}
