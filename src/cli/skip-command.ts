/**
 * `skip <reference> --reason "…"`: the operator decides the records a reference names will not go to BC (a
 * bill keyed by hand, a test purchase). The same audited decision as the console's skip (DESIGN §3.4), signed
 * with the terminal's user so the audit trail says who decided.
 */
import { userInfo } from 'node:os';
import { NotFoundError, ValidationError } from '../core/errors.js';
import type { LedgerEntry, RecordType } from '../core/ports/stores.js';
import { skipRecord, type SkipOutcome } from '../sync/admin/skip-record.js';
import { selectRecordsForReplay } from '../sync/jobs/replay.js';
import { CliError, exitCodes, writeJson, type CliIo, type CliSession, type ExitCode } from './cli-context.js';

export interface SkipFlags {
  reference: string;
  reason: string;
  type: RecordType | undefined;
  json: boolean;
}

export async function skipCommand(session: CliSession, io: CliIo, flags: SkipFlags): Promise<ExitCode> {
  const records = await recordsNamed(session, flags);
  const operator = `cli:${terminalUser()}`;
  const outcomes: Array<{ entry: LedgerEntry; outcome: SkipOutcome }> = [];
  for (const entry of records) {
    const request = { type: entry.recordType, id: entry.recordId, reason: flags.reason };
    outcomes.push({ entry, outcome: await skipRecord(session.deps, request, operator) });
  }
  // A record that could not be skipped still needs the operator (it is in BC already, or being worked on).
  const exitCode = outcomes.every((o) => o.outcome.ok) ? exitCodes.ok : exitCodes.attention;
  if (flags.json) {
    const results = outcomes.map(({ entry, outcome }) => ({
      type: entry.recordType,
      id: entry.recordId,
      ...(outcome.ok ? { skipped: true } : { skipped: false, message: outcome.message }),
    }));
    writeJson(io, { command: 'skip', reason: flags.reason, operator, records: results, exitCode });
    return exitCode;
  }
  for (const { entry, outcome } of outcomes)
    io.stdout.write(
      outcome.ok
        ? `${entry.label ?? entry.recordId}: ${entry.state} → skipped (${flags.reason})\n`
        : `${entry.label ?? entry.recordId}: not skipped: ${outcome.message}\n`,
    );
  return exitCode;
}

async function recordsNamed(session: CliSession, flags: SkipFlags): Promise<LedgerEntry[]> {
  try {
    return await selectRecordsForReplay(session.deps, { reference: flags.reference, recordType: flags.type });
  } catch (error) {
    if (error instanceof NotFoundError)
      throw new CliError(`no record matches ${flags.reference}; run cin7-bc records to find its id`, exitCodes.usage);
    if (error instanceof ValidationError) throw new CliError(error.message, exitCodes.usage);
    throw error;
  }
}

function terminalUser(): string {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (some containers): the audit still says the CLI decided.
    return 'unknown user';
  }
}
