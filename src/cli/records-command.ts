/** `records [--state S] [--type T] [--limit N]` and `replay <type> <id>` (run in this process). */
import {
  LedgerStateSchema,
  RecordTypeSchema,
  attentionStates,
  collectRecords,
  ledgerStates,
  recordTypes,
} from '../sync/admin/records.js';
import { NotFoundError } from '../core/errors.js';
import { replayRecord } from '../sync/jobs/replay.js';
import {
  CliError,
  exitCodes,
  usageError,
  type CliIo,
  type CliSession,
  type ExitCode,
  drainQueue,
  writeJson,
} from './cli-context.js';

export async function recordsCommand(
  session: CliSession,
  io: CliIo,
  flags: { state?: string | undefined; type?: string | undefined; limit?: string | undefined; json: boolean },
): Promise<ExitCode> {
  const state = flags.state === undefined ? undefined : LedgerStateSchema.safeParse(flags.state);
  if (state && !state.success) throw usageError(`--state must be one of ${ledgerStates.join(', ')}`);
  const type = flags.type === undefined ? undefined : RecordTypeSchema.safeParse(flags.type);
  if (type && !type.success) throw usageError(`--type must be one of ${recordTypes.join(', ')}`);
  const limit = flags.limit === undefined ? 100 : Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw usageError('--limit must be a whole number from 1 to 10000');
  const { items, truncated } = await collectRecords(session.deps, { type: type?.data, state: state?.data }, limit);
  if (flags.json) {
    writeJson(io, { command: 'records', items, truncated, exitCode: exitCodes.ok });
    return exitCodes.ok;
  }
  if (items.length === 0) {
    io.stdout.write('No records match.\n');
    return exitCodes.ok;
  }
  for (const e of items) {
    io.stdout.write(
      `${e.recordType.padEnd(16)} ${e.recordId.padEnd(40)} ${e.state.padEnd(15)} ${(e.label ?? '').padEnd(24)} ${e.updatedAt}${e.reason ? `  ${e.reason}` : ''}\n`,
    );
  }
  io.stdout.write(`${items.length} record(s)${truncated ? ` (more exist: raise --limit)` : ''}.\n`);
  return exitCodes.ok;
}

export async function replayCommand(
  session: CliSession,
  io: CliIo,
  rawType: string,
  id: string,
  flags: { json: boolean },
): Promise<ExitCode> {
  const type = RecordTypeSchema.safeParse(rawType);
  if (!type.success) throw usageError(`<type> must be one of ${recordTypes.join(', ')}`);
  const before = await session.deps.stores.ledger.get(type.data, id);
  try {
    await replayRecord(type.data, id, session.deps);
  } catch (error) {
    if (error instanceof NotFoundError)
      throw new CliError(
        `no ${type.data} record ${id} in the ledger; run cin7-bc records to find its id`,
        exitCodes.usage,
      );
    throw error;
  }
  session.progress(`replaying ${type.data} ${before?.value.label ?? id} (state ${before?.value.state ?? 'unknown'})`);
  await drainQueue(session, (_envelope, result) => {
    if (result.status === 'retry-scheduled')
      session.progress(`retry ${result.attempt} at ${result.at}: ${result.reason}`);
  });
  const after = (await session.deps.stores.ledger.get(type.data, id))?.value;
  const state = after?.state ?? 'pending';
  const exitCode = attentionStates.has(state) ? exitCodes.attention : exitCodes.ok;
  if (flags.json) {
    writeJson(io, {
      command: 'replay',
      type: type.data,
      id,
      before: before?.value.state ?? null,
      after: after ?? null,
      exitCode,
    });
    return exitCode;
  }
  io.stdout.write(
    `${after?.label ?? id}: ${before?.value.state ?? '?'} → ${state}${after?.targetNumber ? ` (BC ${after.targetNumber})` : ''}${after?.reason ? `: ${after.reason}` : ''}\n`,
  );
  for (const gap of after?.missing ?? []) io.stdout.write(`  - ${gap}\n`);
  return exitCode;
}
