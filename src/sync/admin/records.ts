/**
 * Operator use cases over the ledger: list records by state and type, read one with its audit trail, and
 * replay one or many (DESIGN §3.4: every record is visible and replayable). The admin API and the CLI both
 * call these.
 */
import { z } from 'zod';
import type { SyncDeps } from '../deps.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import {
  ledgerStates,
  recordTypes,
  type AuditEntry,
  type LedgerEntry,
  type LedgerPage,
  type LedgerState,
  type RecordType,
} from '../../core/ports/stores.js';
import { replayRecord } from '../jobs/replay.js';
import { parseWith, type Parsed } from './validation.js';

export { ledgerStates, recordTypes };

/** States an operator must act on: the CLI exits with 1 when a run leaves a record in one of them. */
export const attentionStates: ReadonlySet<LedgerState> = new Set<LedgerState>([
  'needs-mapping',
  'failed',
  'amount-mismatch',
  'diverged',
]);

export const RecordTypeSchema = z.enum(recordTypes);
export const LedgerStateSchema = z.enum(ledgerStates);

/** The most records one bulk replay queues; a larger backlog is replayed in several calls. */
export const maxReplayBatch = 200;

export const ListRecordsQuery = z.object({
  type: RecordTypeSchema.optional(),
  state: LedgerStateSchema.optional(),
  pageSize: z.coerce.number().int().min(1).max(500).optional(),
  continuationToken: z.string().min(1).optional(),
});
export type ListRecordsQuery = z.infer<typeof ListRecordsQuery>;

export async function listRecords(deps: Pick<SyncDeps, 'stores'>, query: ListRecordsQuery): Promise<LedgerPage> {
  return deps.stores.ledger.list({
    ...(query.type !== undefined ? { recordType: query.type } : {}),
    ...(query.state !== undefined ? { state: query.state } : {}),
    pageSize: query.pageSize ?? 100,
    ...(query.continuationToken !== undefined ? { continuationToken: query.continuationToken } : {}),
  });
}

/** Every record matching the filter, page by page, up to `limit`. */
export async function collectRecords(
  deps: Pick<SyncDeps, 'stores'>,
  filter: { type?: RecordType | undefined; state?: LedgerState | undefined },
  limit: number,
): Promise<{ items: LedgerEntry[]; truncated: boolean }> {
  const items: LedgerEntry[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await listRecords(deps, {
      ...(filter.type !== undefined ? { type: filter.type } : {}),
      ...(filter.state !== undefined ? { state: filter.state } : {}),
      pageSize: Math.min(500, Math.max(1, limit - items.length)),
      ...(continuationToken !== undefined ? { continuationToken } : {}),
    });
    items.push(...page.items);
    continuationToken = page.continuationToken;
  } while (continuationToken !== undefined && items.length < limit);
  return { items: items.slice(0, limit), truncated: continuationToken !== undefined || items.length > limit };
}

export interface RecordWithAudit {
  entry: LedgerEntry;
  /** Newest first. */
  audit: AuditEntry[];
}

/** The ledger entry and its whole audit trail; undefined when the record was never seen. */
export async function getRecord(
  deps: Pick<SyncDeps, 'stores'>,
  recordType: RecordType,
  recordId: string,
): Promise<RecordWithAudit | undefined> {
  const found = await deps.stores.ledger.get(recordType, recordId);
  if (!found) return undefined;
  const audit = await deps.stores.audit.list(recordType, recordId);
  const newestFirst = [...audit].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return { entry: found.value, audit: newestFirst };
}

const RecordRef = z.object({ type: RecordTypeSchema, id: z.string().trim().min(1, 'must not be empty') });

const ReplayRecordsRequest = z
  .object({
    records: z
      .array(RecordRef)
      .min(1, 'must list at least one record')
      .max(maxReplayBatch, `must list at most ${maxReplayBatch} records`),
  })
  .strict();
const ReplayStateRequest = z
  .object({
    state: LedgerStateSchema,
    type: RecordTypeSchema.optional(),
    limit: z.number().int().min(1).max(maxReplayBatch).optional(),
  })
  .strict();

/** `{ records: [{type, id}] }` replays those; `{ state, type?, limit? }` replays every record in a state (bounded). */
export type ReplayRequest = z.infer<typeof ReplayRecordsRequest> | z.infer<typeof ReplayStateRequest>;

/** Picks the form by its `records` key, so the problems listed are those of the form the caller meant. */
export function parseReplayRequest(body: unknown): Parsed<ReplayRequest> {
  const wantsRecords = typeof body === 'object' && body !== null && 'records' in body;
  return wantsRecords ? parseWith(ReplayRecordsRequest, body) : parseWith(ReplayStateRequest, body);
}

export interface ReplayResult {
  queued: Array<{ type: RecordType; id: string; state: LedgerState; messageId: string; correlationId: string }>;
  notFound: Array<{ type: RecordType; id: string }>;
  rejected: Array<{ type: RecordType; id: string; reason: string }>;
  /** More records were in the state than one call replays; call again. */
  truncated: boolean;
}

type RecordKey = { type: RecordType; id: string };

/**
 * The records a bulk request names: its own list, or up to `limit` (default {@link maxReplayBatch}) records
 * in a state, and whether more were left out.
 */
export async function selectRecords(
  deps: Pick<SyncDeps, 'stores'>,
  request: { records: RecordKey[] } | { state: LedgerState; type?: RecordType | undefined; limit?: number | undefined },
): Promise<{ targets: RecordKey[]; truncated: boolean }> {
  if ('records' in request) return { targets: request.records, truncated: false };
  const found = await collectRecords(
    deps,
    { type: request.type, state: request.state },
    request.limit ?? maxReplayBatch,
  );
  return { targets: found.items.map((e) => ({ type: e.recordType, id: e.recordId })), truncated: found.truncated };
}

/** Queues a replay for each record; unknown ids are reported, not thrown, so one typo does not stop the rest. */
export async function replayRecords(
  deps: Pick<SyncDeps, 'stores' | 'queue' | 'clock' | 'logger'>,
  request: ReplayRequest,
): Promise<ReplayResult> {
  const { targets, truncated } = await selectRecords(deps, request);
  const result: ReplayResult = { queued: [], notFound: [], rejected: [], truncated };
  for (const target of targets) {
    const current = await deps.stores.ledger.get(target.type, target.id);
    if (!current) {
      result.notFound.push(target);
      continue;
    }
    try {
      const envelope = await replayRecord(target.type, target.id, deps);
      result.queued.push({
        ...target,
        state: current.value.state,
        messageId: envelope.messageId,
        correlationId: envelope.correlationId,
      });
    } catch (error) {
      if (error instanceof NotFoundError) result.notFound.push(target);
      else if (error instanceof ValidationError) result.rejected.push({ ...target, reason: error.message });
      else throw error;
    }
  }
  return result;
}
