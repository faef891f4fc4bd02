#!/usr/bin/env node
/**
 * The operator CLI (`cin7-bc`, the package's `bin`). It builds the same deps as the Functions with the
 * composition root and calls the same use cases; jobs run in this process on the in-process session queue,
 * so no Service Bus is needed. `runCli` is exported so tests run commands in-process and read their output.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import {
  CliError,
  exitCodes,
  explain,
  openSession,
  writeJson,
  type CliIo,
  type CliOptions,
  type CliSession,
  type ExitCode,
} from './cli-context.js';
import { readCommandLine, type Invocation } from './command-line.js';
import { recordTypes } from '../core/ports/stores.js';
import { doctorCommand } from './doctor-command.js';
import { exportCommand, importCommand, suggestCommand } from './mappings-command.js';
import { recordsCommand, replayCommand } from './records-command.js';
import { subscriptionsCommand, webhooksCommand } from './hooks-command.js';
import { syncCommand } from './sync-command.js';
import { skipCommand } from './skip-command.js';

export type { CliIo, CliOptions } from './cli-context.js';

export const helpText = `cin7-bc: operate the Cin7 Core → Business Central connector from a terminal.

Usage: cin7-bc <command> [options]

Commands:
  doctor                          Prove both connections (BC companies and the configured one, Cin7 /me),
                                  count suppliers, vendors, items, accounts and dimensions, and list every
                                  Cin7 account code, tax rule, supplier, location and category that has no
                                  mapping or default match yet. Gaps that park invoices (accounts, tax
                                  rules, suppliers) are blocking; locations and categories without a
                                  dimension rule are optional and do not change the exit code.
  sync [--since ISO] [--dry-run] [--force]
                                  Check both connections (exit 3 when one is down, nothing read or written),
                                  then run one poll-and-process cycle in this process (no Service Bus needed).
                                  On a terminal one progress line shows the time left (Cin7 allows
                                  CIN7_CALLS_PER_MINUTE reads a minute, one per purchase).
                                  --since      poll purchases changed since this time (the watermark is not moved)
                                  --force      read every listed purchase again, also those unchanged since they
                                               were last processed with every record final
                                  --dry-run    show the BC invoice each eligible Cin7 invoice would become
                                               (vendor, lines with account or item, tax, dimensions, totals)
                                               and write nothing to BC or to storage
  mappings import <file.csv>      Import kind,source,target,note rows (header required); nothing is written
                                  unless every row is valid, and every bad row is reported by line number.
  mappings export [--kind K]      Print the mappings as CSV (the import format).
  mappings suggest                Propose mappings by matching names and numbers in both systems (writes nothing).
  records [--state S] [--type T] [--limit N]
                                  List ledger records (newest state of each), e.g. --state needs-mapping,
                                  with a short id, the Cin7 PO and invoice numbers and the BC number.
  replay <type> <id>              Re-run one record now, in this process, and show its new state.
                                  <type>: ${recordTypes.join(', ')}.
  replay <reference> [--type T]   Re-run the records a reference names: a record id, a short id from
                                  records, a Cin7 PO number (every invoice of the purchase) or a Cin7
                                  invoice number.
  replay --state S [--type T]     Re-run every record in a state (no confirmation) and print a summary.
  skip <reference> --reason "…" [--type T]
                                  Decide that the records a reference names will not go to BC (e.g. a bill
                                  keyed by hand). Only needs-mapping, failed and pending records with nothing
                                  in BC can be skipped; the reason and your user name go to the audit trail.
                                  A later replay reconsiders the record.
  webhooks setup                  Register the Cin7 webhooks (purchase invoices, purchases, suppliers) on
                                  PUBLIC_BASE_URL/api/webhooks/cin7 with the webhook secret; a second run
                                  creates nothing.
  webhooks check                  Re-activate Cin7 webhooks that Cin7 switched off and re-create missing
                                  ones (what the timer does).
  subscriptions check             Create, renew or repair the BC subscriptions on vendors and items for
                                  PUBLIC_BASE_URL (what the timer does).

Options:
  --settings <file>   Also read settings from a local.settings.json "Values" object (the environment wins).
  --json              Print one machine-readable JSON object on stdout, also for a failure (with its
                      "error" and "exitCode"); progress stays on stderr.
  --verbose           Log every step on stderr.
  --version           Print the version.
  -h, --help          Show this help.

Settings come from the environment with the app's names (see local.settings.example.json); the CLI always
uses the in-process queue (SYNC_QUEUE_MODE=memory). Transient failures are retried a few times within the
run; a record that still fails is left 'failed' in the ledger, visible and replayable.

Exit codes:
  0  done, nothing needs attention
  1  records need attention (needs-mapping, failed, amount-mismatch or diverged), or doctor found
     blocking gaps or stuck records
  2  usage or configuration error (unknown command or option, invalid settings, a bad CSV or file)
  3  connection or authentication failure (Cin7, BC, Entra, Key Vault or storage)
  4  unexpected internal error
`;

/** The package's version, read from the `package.json` beside `src/` (tsx) or `dist/src/` (built). */
export function packageVersion(): string {
  for (const relative of ['../../package.json', '../../../package.json']) {
    try {
      const parsed = PackageJson.safeParse(JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')));
      if (parsed.success && parsed.data.name === 'cin7-bc-connector') return parsed.data.version;
    } catch {
      // Not this level: try the next one up.
    }
  }
  return 'unknown';
}

const PackageJson = z.object({ name: z.string(), version: z.string() });

async function dispatch(run: Invocation, session: CliSession, io: CliIo): Promise<ExitCode> {
  const { json } = run;
  switch (run.command) {
    case 'doctor':
      return doctorCommand(session, io, { json });
    case 'sync':
      return syncCommand(session, io, { since: run.since, dryRun: run.dryRun, force: run.force, json, tty: io.tty });
    case 'mappings import':
      return importCommand(session, io, run.args[0] ?? '', { json });
    case 'mappings export':
      return exportCommand(session, io, run.kind);
    case 'mappings suggest':
      return suggestCommand(session, io, { json });
    case 'records':
      return recordsCommand(session, io, { state: run.state, type: run.type, limit: run.limit, json });
    case 'replay':
      return replayCommand(session, io, { args: run.args, state: run.state, type: run.type, json });
    case 'skip':
      return skipCommand(session, io, { reference: run.args[0] ?? '', reason: run.reason ?? '', type: run.type, json });
    case 'webhooks setup':
      return webhooksCommand(session, io, 'setup', { json });
    case 'webhooks check':
      return webhooksCommand(session, io, 'check', { json });
    case 'subscriptions check':
      return subscriptionsCommand(session, io, { json });
    default:
      throw new CliError(`command '${run.command}' is not wired`, exitCodes.unexpected);
  }
}

/** Commands that need no settings: help, the bare program name (usage, exit 2) and --version. */
function answerWithoutSettings(run: Invocation, io: CliIo): ExitCode | undefined {
  if (run.command === 'help') io.stdout.write(helpText);
  else if (run.command === 'usage') io.stderr.write(helpText);
  else if (run.command === 'version') io.stdout.write(`${packageVersion()}\n`);
  else return undefined;
  return run.command === 'usage' ? exitCodes.usage : exitCodes.ok;
}

export async function runCli(argv: string[], io: CliIo, options: CliOptions = {}): Promise<ExitCode> {
  let session: CliSession | undefined;
  let run: Invocation | undefined;
  try {
    run = readCommandLine(argv);
    const answered = answerWithoutSettings(run, io);
    if (answered !== undefined) return answered;
    session = await openSession(io, { settingsFile: run.settingsFile, verbose: run.verbose, json: run.json }, options);
    return await dispatch(run, session, io);
  } catch (error) {
    const { message, exitCode } = explain(error);
    // With --json a script reads stdout only: the failure is one JSON object there too.
    if (run?.json ?? argv.includes('--json'))
      writeJson(io, { command: run?.command ?? null, error: message, exitCode });
    io.stderr.write(`error: ${message}\n`);
    return exitCode;
  } finally {
    await session?.close().catch(() => undefined);
  }
}

/** True when this file is the program node started (not when a test imports it). */
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

/**
 * A reader that stops early (`cin7-bc records | head`) closes the pipe: the rest of the output has nowhere
 * to go, which is what the operator asked for, so the CLI ends quietly instead of printing a stack trace.
 */
function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(exitCodes.ok);
  });
}

if (isEntryPoint()) {
  exitQuietlyOnClosedPipe(process.stdout);
  exitQuietlyOnClosedPipe(process.stderr);
  const io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env, tty: process.stderr.isTTY };
  void runCli(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
    // Keep-alive sockets of the SDKs must not hold the terminal; the result is already written.
    setTimeout(() => process.exit(code), 2_000).unref();
  });
}
