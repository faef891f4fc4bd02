/**
 * Replay: re-runs one record from its current state (DESIGN §3.4). The message id is new each time so
 * duplicate detection never swallows a replay; the session is the record's, so it queues behind any other
 * work on the same record.
 */
import { randomUUID } from 'node:crypto';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import type { SyncDeps } from '../deps.js';
import { envelopeFor } from './intake.js';
import type { JobEnvelope } from '../../core/ports/jobs.js';
import { jobForRecord } from '../../core/jobs/job-types.js';
import {
  recordTypes,
  type LedgerEntry,
  type LedgerState,
  type ListLedgerOptions,
  type RecordType,
} from '../../core/ports/stores.js';

export async function replayRecord(
  recordType: RecordType,
  recordId: string,
  deps: Pick<SyncDeps, 'stores' | 'queue' | 'clock' | 'logger'>,
): Promise<JobEnvelope> {
  const found = await deps.stores.ledger.get(recordType, recordId);
  if (!found) throw new NotFoundError(`No ${recordType} record ${recordId} in the ledger; list records to find its id`);
  if (recordId.startsWith('collection:'))
    throw new ValidationError(`${recordId} is a collection marker, not a record; run the poll instead`);
  const entry = found.value;
  const job = jobForRecord(entry);
  if (job === undefined) throw new ValidationError(`No job type replays ${recordType} records`);
  const envelope = envelopeFor(job, `replay:${randomUUID()}`, 'replay', deps.clock, entry.correlationId);
  await deps.queue.enqueue([envelope]);
  deps.logger.info(`replay queued for ${recordType} ${entry.label ?? recordId} (state ${entry.state})`, {
    correlationId: entry.correlationId,
  });
  return envelope;
}

/** Which records a bulk replay takes: one operator reference, or every record in a state. */
export type ReplaySelection =
  | {
      /** A record id, a short id (see {@link shortRecordId}), a Cin7 PO number or a Cin7 invoice number. */
      reference: string;
      recordType?: RecordType | undefined;
    }
  | { state: LedgerState; recordType?: RecordType | undefined };

/** The records labelled `<PO> / <document number>`: a Cin7 invoice or credit note of a purchase. */
const purchaseDocumentTypes: readonly RecordType[] = ['purchase-invoice', 'purchase-credit-note'];

/**
 * What an operator reads on a ledger row: Cin7's PO number and the invoice (or credit note) number of a
 * purchase document's record.
 */
export interface Cin7Numbers {
  orderNumber?: string;
  invoiceNumber?: string;
}

/**
 * The Cin7 numbers of a purchase-invoice record: the order number recorded from the first sight, and the
 * invoice number from the label the purchase flow writes (`<OrderNumber> / <InvoiceNumber or TaskID>`).
 */
export function cin7NumbersOf(entry: Pick<LedgerEntry, 'recordType' | 'label' | 'sourceNumber'>): Cin7Numbers {
  if (!purchaseDocumentTypes.includes(entry.recordType)) return {};
  const separator = entry.label?.indexOf(' / ') ?? -1;
  const orderNumber = entry.sourceNumber ?? (separator > 0 ? entry.label?.slice(0, separator) : undefined);
  const invoiceNumber = separator > 0 ? entry.label?.slice(separator + 3) : undefined;
  return { ...(orderNumber ? { orderNumber } : {}), ...(invoiceNumber ? { invoiceNumber } : {}) };
}

/** Fewest characters per id segment in a short id: short enough to type, long enough to stay unique. */
const shortIdSegmentLength = 8;

/**
 * True when `short` names `recordId`: each `/`-separated segment of `short` starts that segment of the id
 * (a short id of the purchase part alone names every invoice of the purchase).
 */
export function matchesShortId(short: string, recordId: string): boolean {
  const wanted = short.toLowerCase().split('/');
  const segments = recordId.toLowerCase().split('/');
  return wanted.length <= segments.length && wanted.every((part, i) => (segments[i] ?? '').startsWith(part));
}

/**
 * The shortest id (each segment cut to 8 characters or more) that names `recordId` and none of `others`,
 * so a purchase's several invoices get short ids that differ in their invoice part.
 */
export function shortRecordId(recordId: string, others: readonly string[]): string {
  const segments = recordId.split('/');
  const longest = Math.max(...segments.map((s) => s.length));
  for (let length = shortIdSegmentLength; length < longest; length += 1) {
    const candidate = segments.map((s) => s.slice(0, length)).join('/');
    if (!others.some((other) => other !== recordId && matchesShortId(candidate, other))) return candidate;
  }
  return recordId;
}

/**
 * The ledger records a replay selection names, for the CLI to replay one by one. A reference is tried as a
 * record id, then a short id (several matches are an error: the operator meant one), then a Cin7 PO number
 * (every invoice of the purchase), then a Cin7 invoice number. Nothing matching is a `NotFoundError`.
 */
export async function selectRecordsForReplay(
  deps: Pick<SyncDeps, 'stores'>,
  selection: ReplaySelection,
): Promise<LedgerEntry[]> {
  const types = selection.recordType ? [selection.recordType] : recordTypes;
  if ('state' in selection) return listEvery(deps, types, { state: selection.state });
  const reference = selection.reference.trim();
  const exact = await byRecordId(deps, types, reference);
  if (exact.length > 0) return exact;
  const short = await byShortId(deps, types, reference);
  if (short.length > 1)
    throw new ValidationError(
      `${reference} is the start of ${short.length} record ids ` +
        `(${short.map((e) => e.recordId).join(', ')}); give more characters`,
    );
  if (short.length === 1) return short;
  const byNumber = await byCin7Number(deps, types, reference);
  if (byNumber.length > 0) return byNumber;
  throw new NotFoundError(
    `No record has the id, short id, Cin7 PO number or invoice number ${reference}; list records to find it`,
  );
}

async function byRecordId(
  deps: Pick<SyncDeps, 'stores'>,
  types: readonly RecordType[],
  recordId: string,
): Promise<LedgerEntry[]> {
  const found = await Promise.all(types.map((type) => deps.stores.ledger.get(type, recordId)));
  return found.flatMap((f) => (f ? [f.value] : []));
}

async function byShortId(
  deps: Pick<SyncDeps, 'stores'>,
  types: readonly RecordType[],
  short: string,
): Promise<LedgerEntry[]> {
  const [first = ''] = short.toLowerCase().split('/');
  if (first.length < minimumShortIdLength) return [];
  const candidates = await listEvery(deps, types, { recordIdPrefix: first });
  return candidates.filter((e) => matchesShortId(short, e.recordId));
}

/** A short id of fewer characters would match by accident more often than an operator means it to. */
const minimumShortIdLength = 4;

async function byCin7Number(
  deps: Pick<SyncDeps, 'stores'>,
  types: readonly RecordType[],
  number: string,
): Promise<LedgerEntry[]> {
  const documentTypes = purchaseDocumentTypes.filter((type) => types.includes(type));
  if (documentTypes.length === 0) return [];
  const wanted = number.toUpperCase();
  const invoices = await listEvery(deps, documentTypes, {});
  const numbers = invoices.map((entry) => ({ entry, ...cin7NumbersOf(entry) }));
  const ofOrder = numbers.filter((n) => n.orderNumber?.toUpperCase() === wanted);
  const matches = ofOrder.length > 0 ? ofOrder : numbers.filter((n) => n.invoiceNumber?.toUpperCase() === wanted);
  return matches.map((n) => n.entry);
}

/** Every ledger record of the given types matching the filter, page by page. */
async function listEvery(
  deps: Pick<SyncDeps, 'stores'>,
  types: readonly RecordType[],
  filter: Pick<ListLedgerOptions, 'state' | 'recordIdPrefix'>,
): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  for (const recordType of types) {
    let continuationToken: string | undefined;
    do {
      const page = await deps.stores.ledger.list({
        ...filter,
        recordType,
        pageSize: 500,
        ...(continuationToken !== undefined ? { continuationToken } : {}),
      });
      entries.push(...page.items.filter((e) => !e.recordId.startsWith('collection:')));
      continuationToken = page.continuationToken;
    } while (continuationToken !== undefined);
  }
  return entries;
}
