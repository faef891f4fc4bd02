/**
 * `records [--state S] [--type T] [--limit N]` and `replay` (run in this process): by `<type> <id>`, by one
 * reference (an id, a short id from `records`, a Cin7 PO number or invoice number), or by `--state`.
 */
import { attentionStates, collectRecords } from '../sync/admin/records.js';
import { NotFoundError, ValidationError } from '../core/errors.js';
import { jobForRecord } from '../core/jobs/job-types.js';
import type { LedgerEntry, LedgerState, RecordType } from '../core/ports/stores.js';
import {
  cin7NumbersOf,
  replayRecord,
  selectRecordsForReplay,
  shortRecordId,
  type ReplaySelection,
} from '../sync/jobs/replay.js';
import { CliError, exitCodes, drainQueue, writeJson } from './cli-context.js';
import type { CliIo, CliSession, ExitCode } from './cli-context.js';
import { recordTypeOf } from './command-line.js';

export interface RecordsFlags {
  state: LedgerState | undefined;
  type: RecordType | undefined;
  limit: number;
  json: boolean;
}

/** A listed record with what an operator reads and types back: its short id and Cin7 numbers. */
type ListedRecord = LedgerEntry & { shortId: string; orderNumber?: string; invoiceNumber?: string };

export async function recordsCommand(session: CliSession, io: CliIo, flags: RecordsFlags): Promise<ExitCode> {
  const { items, truncated } = await collectRecords(
    session.deps,
    { type: flags.type, state: flags.state },
    flags.limit,
  );
  const ids = items.map((e) => e.recordId);
  const listed: ListedRecord[] = items.map((e) => ({
    ...e,
    shortId: shortRecordId(e.recordId, ids),
    ...cin7NumbersOf(e),
  }));
  if (flags.json) {
    writeJson(io, { command: 'records', items: listed, truncated, exitCode: exitCodes.ok });
    return exitCodes.ok;
  }
  if (listed.length === 0) {
    io.stdout.write('No records match.\n');
    return exitCodes.ok;
  }
  io.stdout.write(table(listed));
  io.stdout.write(`${listed.length} record(s)${truncated ? ` (more exist: raise --limit)` : ''}.\n`);
  return exitCodes.ok;
}

const columns: Array<[header: string, cell: (r: ListedRecord) => string]> = [
  ['ID', (r) => r.shortId],
  ['TYPE', (r) => r.recordType],
  ['STATE', (r) => r.state],
  // A purchase invoice's PO number; a master-data record's name.
  ['SOURCE', (r) => r.orderNumber ?? r.label ?? ''],
  ['INVOICE', (r) => r.invoiceNumber ?? ''],
  ['BC', (r) => r.targetNumber ?? ''],
  ['UPDATED', (r) => r.updatedAt],
  ['REASON', (r) => r.reason ?? ''],
];

/** Columns padded to their widest cell; the last one (the reason) is left as long as it is. */
function table(rows: ListedRecord[]): string {
  const cells = [columns.map(([header]) => header), ...rows.map((r) => columns.map(([, cell]) => cell(r)))];
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const last = columns.length - 1;
  return cells
    .map((row) => `${row.map((cell, i) => (i === last ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')}`.trimEnd())
    .map((line) => `${line}\n`)
    .join('');
}

export interface ReplayFlags {
  /** `<type> <id>`, one reference, or nothing (then `state` is set). */
  args: string[];
  state: LedgerState | undefined;
  type: RecordType | undefined;
  json: boolean;
}

function selectionOf(flags: ReplayFlags): ReplaySelection {
  const [first = '', second] = flags.args;
  if (second !== undefined) return { reference: second, recordType: recordTypeOf(first, '<type>') };
  if (flags.args.length === 1) return { reference: first, recordType: flags.type };
  if (flags.state === undefined) throw new CliError('replay needs a record or --state', exitCodes.usage);
  return { state: flags.state, recordType: flags.type };
}

async function select(session: CliSession, selection: ReplaySelection): Promise<LedgerEntry[]> {
  try {
    return await selectRecordsForReplay(session.deps, selection);
  } catch (error) {
    if (error instanceof NotFoundError) {
      const named = 'state' in selection ? `in state ${selection.state}` : `matches ${selection.reference}`;
      throw new CliError(`no record ${named}; run cin7-bc records to find its id`, exitCodes.usage);
    }
    if (error instanceof ValidationError) throw new CliError(error.message, exitCodes.usage);
    throw error;
  }
}

/**
 * Queues one replay per job: a purchase's several invoices are replayed by one purchase job, so a PO
 * number does not read the same purchase once per invoice. Records no job replays are reported.
 */
async function queueReplays(session: CliSession, records: LedgerEntry[]): Promise<string[]> {
  const queuedJobs = new Set<string>();
  const rejected: string[] = [];
  for (const entry of records) {
    const key = JSON.stringify(jobForRecord(entry) ?? entry.recordId);
    if (queuedJobs.has(key)) continue;
    try {
      await replayRecord(entry.recordType, entry.recordId, session.deps);
      queuedJobs.add(key);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      rejected.push(`${entry.label ?? entry.recordId}: ${error.message}`);
    }
  }
  return rejected;
}

interface Replayed {
  type: RecordType;
  id: string;
  label?: string;
  before: LedgerState;
  after: LedgerEntry | null;
}

export async function replayCommand(session: CliSession, io: CliIo, flags: ReplayFlags): Promise<ExitCode> {
  const selection = selectionOf(flags);
  const records = await select(session, selection);
  const what = 'state' in selection ? `in state ${selection.state}` : `for ${selection.reference}`;
  session.progress(`replaying ${records.length} record(s) ${what}`);
  const rejected = await queueReplays(session, records);
  await drainQueue(session, (_envelope, result) => {
    if (result.status === 'retry-scheduled')
      session.progress(`retry ${result.attempt} at ${result.at}: ${result.reason}`);
  });
  const replayed: Replayed[] = [];
  for (const entry of records) {
    const after = (await session.deps.stores.ledger.get(entry.recordType, entry.recordId))?.value ?? null;
    replayed.push({
      type: entry.recordType,
      id: entry.recordId,
      ...(entry.label !== undefined ? { label: entry.label } : {}),
      before: entry.state,
      after,
    });
  }
  const counts: Partial<Record<LedgerState, number>> = {};
  for (const r of replayed) counts[r.after?.state ?? 'pending'] = (counts[r.after?.state ?? 'pending'] ?? 0) + 1;
  const attention = replayed.some((r) => attentionStates.has(r.after?.state ?? 'pending')) || rejected.length > 0;
  const exitCode = attention ? exitCodes.attention : exitCodes.ok;
  if (flags.json) {
    // One record also keeps the single-record shape (type, id, before, after) scripts already read.
    const [only] = replayed.length === 1 ? replayed : [];
    writeJson(io, { command: 'replay', ...(only ?? {}), records: replayed, counts, rejected, exitCode });
    return exitCode;
  }
  if ('state' in selection) io.stdout.write(`Replayed ${records.length} record(s) ${what}.\n`);
  for (const r of replayed) io.stdout.write(describeReplayed(r));
  for (const line of rejected) io.stdout.write(`not replayed: ${line}\n`);
  if (replayed.length > 1) io.stdout.write(`Summary: ${summaryOf(counts)}.\n`);
  return exitCode;
}

function describeReplayed(r: Replayed): string {
  const after = r.after;
  const state = after?.state ?? 'pending';
  const lines = [
    `${r.label ?? r.id}: ${r.before} → ${state}` +
      `${after?.targetNumber ? ` (BC ${after.targetNumber})` : ''}${after?.reason ? `: ${after.reason}` : ''}`,
    ...(after?.missing ?? []).map((gap) => `  - ${gap}`),
  ];
  return `${lines.join('\n')}\n`;
}

function summaryOf(counts: Partial<Record<LedgerState, number>>): string {
  return Object.entries(counts)
    .map(([state, n]) => `${n} ${state}`)
    .join(', ');
}
