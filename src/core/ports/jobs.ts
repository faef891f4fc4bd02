/**
 * What travels on the session queue, and the queue contract (`src/queue` implements it).
 */

export type JobTrigger = 'webhook' | 'poll' | 'replay' | 'retry' | 'notification' | 'cli';

export type SyncJob =
  /** Process a Cin7 purchase: each eligible invoice on it becomes (at most) one BC invoice. */
  | {
      type: 'cin7-purchase';
      /** The purchase ID, when known and trusted (poll, replay). */
      purchaseId?: string;
      /** Webhook hints: the TaskID is unreliable, so the order number is kept to resolve the purchase. */
      taskId?: string;
      orderNumber?: string;
      /** Replay one invoice only. */
      invoiceTaskId?: string;
    }
  /** Align a BC vendor with a Cin7 supplier. */
  | { type: 'cin7-supplier'; supplierId: string }
  /** Push a BC vendor into Cin7. */
  | { type: 'bc-vendor'; vendorId: string }
  /** Push a BC item into Cin7. */
  | { type: 'bc-item'; itemId: string }
  /** A BC `collection` notification: poll the resource from this time. */
  | { type: 'bc-collection'; resource: 'vendors' | 'items'; since?: string };

export interface JobEnvelope {
  job: SyncJob;
  trigger: JobTrigger;
  /** Serialises work on one source record (Service Bus session). */
  sessionId: string;
  /** Deterministic per record version so duplicate detection absorbs repeats (DESIGN §4 Messages). */
  messageId: string;
  /** 1 for the first try; carried across scheduled retries. */
  attempt: number;
  correlationId: string;
  /** ISO time the trigger was received: start of end-to-end latency. */
  receivedAt: string;
}

export interface JobQueue {
  /** Sends now. A message whose `messageId` was seen within the duplicate window is dropped silently. */
  enqueue(envelopes: JobEnvelope[]): Promise<void>;
  /** Sends so that it becomes visible at `at`. */
  schedule(envelope: JobEnvelope, at: Date): Promise<void>;
  /** Proves the queue would accept a send, without sending anything; says what it checked (deep health). */
  probe(): Promise<string>;
}
