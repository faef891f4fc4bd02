/**
 * What travels on the session queue, and the queue contract (`src/queue` implements it).
 */
import type { SyncJob } from '../jobs/job-types.js';

export type JobTrigger = 'webhook' | 'poll' | 'replay' | 'retry' | 'notification' | 'cli';

/** One sync job; each type is described in `src/core/jobs/` (schema, session key, record). */
export type { SyncJob };

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
