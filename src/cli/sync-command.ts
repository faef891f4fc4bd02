/** `sync`: one poll-and-process cycle in this process; `--dry-run` shows the BC invoices it would create. */
import type { BcPurchaseInvoiceCreate } from '../bc/schemas.js';
import { attentionStates } from '../sync/admin/records.js';
import { dryRunSync, type DryRunInvoice, type DryRunReport } from '../sync/admin/dry-run.js';
import { allHandlers } from '../sync/jobs/handlers.js';
import type { LedgerEntry, LedgerState } from '../core/ports/stores.js';
import { jobLabel, unreadRecordOf } from '../core/jobs/job-types.js';
import { pollCin7Purchases } from '../sync/purchase/poll-cin7.js';
import type { JobHandlers } from '../sync/jobs/run-job.js';
import { RecordFailures } from '../sync/jobs/record-failures.js';
import { checkConnections } from '../sync/admin/health.js';
import { CliError, exitCodes, drainQueue, writeJson } from './cli-context.js';
import type { CliIo, CliSession, ExitCode } from './cli-context.js';
import { createSyncProgress } from './sync-progress.js';

export interface SyncFlags {
  since: Date | undefined;
  dryRun: boolean;
  /** Read every listed purchase, also those unchanged since last processed (the poll skips them otherwise). */
  force: boolean;
  json: boolean;
  /** stderr is a terminal (progress with the time left). */
  tty?: boolean | undefined;
}

export async function syncCommand(session: CliSession, io: CliIo, flags: SyncFlags): Promise<ExitCode> {
  await requireConnections(session);
  return flags.dryRun ? dryRun(session, io, flags) : realSync(session, io, flags);
}

/**
 * Both APIs must answer before a run starts: with one of them down every record would only collect failed
 * attempts (and end `failed`), so the run stops with exit 3 having read and written nothing.
 */
async function requireConnections(session: CliSession): Promise<void> {
  session.progress('checking the Cin7 and Business Central connections');
  const down = (await checkConnections(session.deps)).filter((check) => !check.ok);
  if (down.length === 0) return;
  const names: Record<string, string> = { cin7: 'Cin7 Core', bc: 'Business Central' };
  const what = down.map((check) => `${names[check.name] ?? check.name}: ${check.error ?? 'no answer'}`).join('; ');
  throw new CliError(
    `not syncing, a connection is down (${what}); nothing was read or written. ` +
      'Run cin7-bc doctor for details, then sync again',
    exitCodes.connection,
  );
}

// ---------------------------------------------------------------------------------------------------------
// Dry run

async function dryRun(session: CliSession, io: CliIo, flags: SyncFlags): Promise<ExitCode> {
  const report = await dryRunSync(session.deps, {
    ...(flags.since ? { since: flags.since } : {}),
    progress: session.progress,
  });
  const exitCode = report.counts['needs-mapping'] + report.counts.error > 0 ? exitCodes.attention : exitCodes.ok;
  if (flags.json) {
    writeJson(io, { command: 'sync', dryRun: true, ...report, exitCode });
    return exitCode;
  }
  io.stdout.write(`Dry run: nothing was written to Business Central or to storage.\n`);
  io.stdout.write(
    `Cin7 purchases changed since ${report.since}: ${report.purchasesListed} listed, ` +
      `${report.purchasesRead} with an invoice stage read.\n\n`,
  );
  for (const invoice of report.invoices) io.stdout.write(describeDryRunInvoice(invoice));
  io.stdout.write(`${summaryLine(report)}\n`);
  return exitCode;
}

function summaryLine(report: DryRunReport): string {
  const c = report.counts;
  return (
    `Summary: ${c['would-create']} would be created, ${c['needs-mapping']} need mappings, ${c.skipped} skipped, ` +
    `${c['already-in-bc']} already in BC, ${c.error} could not be read.`
  );
}

const money = (n: number): string => n.toFixed(2);

function describeDryRunInvoice(item: DryRunInvoice): string {
  const lines = [
    `${item.label}  [${item.outcome.toUpperCase()}]${item.ledgerState ? ` (ledger: ${item.ledgerState})` : ''}`,
  ];
  if (item.outcome === 'would-create' && item.invoice) {
    lines.push(...describeBcInvoice(item.invoice, item));
  } else {
    if (item.reason) lines.push(`  ${item.reason}`);
    for (const gap of item.missing ?? []) lines.push(`  - ${gap}`);
  }
  return `${lines.join('\n')}\n\n`;
}

function describeBcInvoice(body: BcPurchaseInvoiceCreate, item: DryRunInvoice): string[] {
  const out: string[] = [];
  const vendor = item.vendor;
  out.push(`  vendor ${body.vendorNumber}${vendor?.name ? ` ${vendor.name}` : ''}${vendor ? ` (${vendor.how})` : ''}`);
  const postingDate = body.postingDate ?? body.invoiceDate;
  const due = body.dueDate ? `, due ${body.dueDate}` : '';
  const currency = body.currencyCode || `${item.totals?.currency ?? ''} (local)`;
  const taxIncluded = body.pricesIncludeTax ? ', prices include tax' : '';
  out.push(
    `  vendor invoice ${body.vendorInvoiceNumber}, invoice date ${body.invoiceDate}, ` +
      `posting date ${postingDate}${due}, currency ${currency}${taxIncluded}`,
  );
  for (const line of body.purchaseInvoiceLines) {
    const dimensions = (line.dimensionSetLines ?? []).map((d) => `${d.code}=${d.valueCode}`).join(' ');
    const discount = line.discountPercent ? ` -${line.discountPercent}%` : '';
    const tax = line.taxCode ? `  tax ${line.taxCode}` : '';
    out.push(
      `  ${String(line.sequence).padStart(6)} ${line.lineType.padEnd(7)} ${line.lineObjectNumber.padEnd(10)} ` +
        `${line.description}  ${line.quantity} x ${money(line.unitCost)}${discount}${tax}` +
        `${dimensions ? `  ${dimensions}` : ''}`,
    );
  }
  if (item.totals) {
    const t = item.totals;
    const tax = t.cin7Tax !== undefined ? `, Cin7 tax ${money(t.cin7Tax)}` : '';
    out.push(
      `  net ${money(t.netAmount)} ${t.currency}${tax}, Cin7 total ${money(t.cin7Total)} ` +
        "(BC's total must match within AMOUNT_TOLERANCE before posting)",
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Real run

/** `allHandlers`, noting which records each purchase job touched so the summary can read their end states. */
export function trackingHandlers(touched: Set<string>): JobHandlers {
  const purchase = allHandlers['cin7-purchase'];
  return {
    ...allHandlers,
    'cin7-purchase': async (job, context, deps) => {
      try {
        const outcomes = await purchase(job, context, deps);
        if (Array.isArray(outcomes)) {
          for (const outcome of outcomes as unknown[]) {
            if (
              typeof outcome === 'object' &&
              outcome !== null &&
              'recordId' in outcome &&
              typeof outcome.recordId === 'string'
            )
              touched.add(outcome.recordId);
          }
        }
        return outcomes;
      } catch (error) {
        if (error instanceof RecordFailures) for (const failure of error.failures) touched.add(failure.recordId);
        else touched.add(unreadRecordOf(job).recordId);
        throw error;
      }
    },
  };
}

export interface RecordSummary {
  type: LedgerEntry['recordType'];
  id: string;
  label?: string;
  state: LedgerState;
  reason?: string;
  bcNumber?: string;
  missing?: string[];
}

export async function summarise(session: CliSession, recordIds: Iterable<string>): Promise<RecordSummary[]> {
  const result: RecordSummary[] = [];
  for (const id of recordIds) {
    const entry = (
      (await session.deps.stores.ledger.get('purchase-invoice', id)) ??
      (await session.deps.stores.ledger.get('purchase-credit-note', id))
    )?.value;
    if (!entry) continue;
    result.push({
      type: entry.recordType,
      id: entry.recordId,
      state: entry.state,
      ...(entry.label !== undefined ? { label: entry.label } : {}),
      ...(entry.reason !== undefined ? { reason: entry.reason } : {}),
      ...(entry.targetNumber !== undefined ? { bcNumber: entry.targetNumber } : {}),
      ...(entry.missing !== undefined ? { missing: entry.missing } : {}),
    });
  }
  return result;
}

export function countStates(records: readonly RecordSummary[]): Partial<Record<LedgerState, number>> {
  const counts: Partial<Record<LedgerState, number>> = {};
  for (const r of records) counts[r.state] = (counts[r.state] ?? 0) + 1;
  return counts;
}

export function describeRecord(r: RecordSummary): string {
  const lines = [
    `${r.label ?? r.id}  ${r.state}` +
      `${r.bcNumber ? ` (BC ${r.bcNumber})` : ''}${r.reason && !r.missing ? `: ${r.reason}` : ''}`,
  ];
  for (const gap of r.missing ?? []) lines.push(`  - ${gap}`);
  return `${lines.join('\n')}\n`;
}

async function realSync(session: CliSession, io: CliIo, flags: SyncFlags): Promise<ExitCode> {
  session.progress(
    flags.since
      ? `polling Cin7 purchases changed since ${flags.since.toISOString()}`
      : 'polling Cin7 purchases changed since the last poll',
  );
  const poll = await pollCin7Purchases(session.deps, {
    ...(flags.since ? { since: flags.since } : {}),
    force: flags.force,
  });
  session.progress(
    `${poll.listed} purchase(s) changed, ${poll.enqueued} to process, ${poll.unchanged} unchanged since last processed`,
  );
  const touched = await runJobs(session, io, flags, poll.enqueued);
  const records = await summarise(session, touched);
  const counts = countStates(records);
  const attention = records.filter((r) => attentionStates.has(r.state)).length;
  const exitCode = attention > 0 ? exitCodes.attention : exitCodes.ok;
  if (flags.json) {
    const { since, until, listed, enqueued, unchanged } = poll;
    const needsAttention = attention;
    const result = { since, until, listed, enqueued, unchanged, counts, needsAttention, records, exitCode };
    writeJson(io, { command: 'sync', dryRun: false, ...result });
    return exitCode;
  }
  for (const record of records) io.stdout.write(describeRecord(record));
  const summary = Object.entries(counts)
    .map(([state, n]) => `${n} ${state}`)
    .join(', ');
  io.stdout.write(
    `Summary: ${poll.listed} purchase(s) changed since ${poll.since}; ` +
      `${records.length} invoice record(s)${summary ? `: ${summary}` : ''}.\n`,
  );
  if (poll.unchanged > 0)
    io.stdout.write(
      `${poll.unchanged} purchase(s) not read again: ` +
        'unchanged in Cin7 since last processed, every record final (--force reads them).\n',
    );
  if (attention > 0)
    io.stdout.write(
      `${attention} record(s) need attention: ` +
        'add the mappings listed (cin7-bc mappings import), then cin7-bc replay <type> <id>.\n',
    );
  return exitCode;
}

/** Runs the queued purchase jobs with progress on stderr; returns the ids of the records they touched. */
async function runJobs(session: CliSession, io: CliIo, flags: SyncFlags, total: number): Promise<Set<string>> {
  const touched = new Set<string>();
  const progress = createSyncProgress(io, {
    total,
    callsPerMinute: session.settings.cin7.callsPerMinute,
    terminal: flags.tty === true && !flags.json,
    now: () => session.deps.clock.now(),
    line: session.progress,
  });
  await drainQueue(
    session,
    (envelope, result) => {
      if (result.status === 'retry-scheduled')
        progress.retry(`${jobLabel(envelope.job)}: retry ${result.attempt} at ${result.at} (${result.reason})`);
      else
        progress.jobEnded(jobLabel(envelope.job), result.status === 'done' ? 'processed' : `failed: ${result.reason}`);
    },
    trackingHandlers(touched),
  );
  progress.finish();
  return touched;
}
