#!/usr/bin/env node
/**
 * The operator CLI (`cin7-bc`, the package's `bin`). It builds the same deps as the Functions with the
 * composition root and calls the same use cases; jobs run in this process on the in-process session queue,
 * so no Service Bus is needed. `runCli` is exported so tests run commands in-process and read their output.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  CliError,
  exitCodes,
  explain,
  openSession,
  usageError,
  type CliIo,
  type CliOptions,
  type CliSession,
  type ExitCode,
} from './cli-context.js';
import { doctorCommand } from './doctor-command.js';
import { exportCommand, importCommand, suggestCommand } from './mappings-command.js';
import { recordsCommand, replayCommand } from './records-command.js';
import { subscriptionsCommand, webhooksCommand } from './hooks-command.js';
import { syncCommand } from './sync-command.js';

export type { CliIo, CliOptions } from './cli-context.js';

export const helpText = `cin7-bc: operate the Cin7 Core → Business Central connector from a terminal.

Usage: cin7-bc <command> [options]

Commands:
  doctor                          Prove both connections (BC companies and the configured one, Cin7 /me),
                                  count suppliers, vendors, items, accounts and dimensions, and list every
                                  Cin7 account code, tax rule, supplier, location and category that has no
                                  mapping or default match yet.
  sync [--since ISO] [--dry-run] [--force]
                                  Run one poll-and-process cycle in this process (no Service Bus needed).
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
                                  List ledger records (newest state of each), e.g. --state needs-mapping.
  replay <type> <id>              Re-run one record now, in this process, and show its new state.
                                  <type>: purchase-invoice, supplier, vendor or item.
  webhooks setup                  Register the Cin7 webhooks (purchase invoices, purchases, suppliers) on
                                  PUBLIC_BASE_URL/api/webhooks/cin7 with the webhook secret; a second run
                                  creates nothing.
  webhooks check                  Re-activate Cin7 webhooks that Cin7 switched off and re-create missing
                                  ones (what the timer does).
  subscriptions check             Create, renew or repair the BC subscriptions on vendors and items for
                                  PUBLIC_BASE_URL (what the timer does).

Options:
  --settings <file>   Also read settings from a local.settings.json "Values" object (the environment wins).
  --json              Print one machine-readable JSON object on stdout; progress stays on stderr.
  --verbose           Log every step on stderr.
  -h, --help          Show this help.

Settings come from the environment with the app's names (see local.settings.example.json); the CLI always
uses the in-process queue (SYNC_QUEUE_MODE=memory). Transient failures are retried a few times within the
run; a record that still fails is left 'failed' in the ledger, visible and replayable.

Exit codes:
  0  done, nothing needs attention
  1  records need attention (needs-mapping, failed, amount-mismatch or diverged), or doctor found gaps
  2  usage or configuration error (unknown command or option, invalid settings, a bad CSV or file)
  3  connection or authentication failure (Cin7, BC, Entra, Key Vault or storage)
  4  unexpected internal error
`;

const optionSpec = {
  settings: { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  since: { type: 'string' },
  'dry-run': { type: 'boolean' },
  force: { type: 'boolean' },
  kind: { type: 'string' },
  state: { type: 'string' },
  type: { type: 'string' },
  limit: { type: 'string' },
} as const;

type OptionName = keyof typeof optionSpec;
const common: OptionName[] = ['settings', 'json', 'verbose', 'help'];
/** The options each command accepts besides the common ones. */
const commandOptions: Record<string, OptionName[]> = {
  doctor: [],
  sync: ['since', 'dry-run', 'force'],
  'mappings import': [],
  'mappings export': ['kind'],
  'mappings suggest': [],
  records: ['state', 'type', 'limit'],
  replay: [],
  'webhooks setup': [],
  'webhooks check': [],
  'subscriptions check': [],
};
/** Commands of two words, and what may follow the first. */
const groupCommands: Record<string, string> = {
  mappings: 'import, export, suggest',
  webhooks: 'setup, check',
  subscriptions: 'check',
};
/** Positional arguments after the command words. */
const commandArity: Record<string, number> = { 'mappings import': 1, replay: 2 };

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: optionSpec, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(
      error instanceof Error ? (error.message.split('\n')[0] ?? 'invalid arguments') : 'invalid arguments',
    );
  }
}

export async function runCli(argv: string[], io: CliIo, options: CliOptions = {}): Promise<ExitCode> {
  let session: CliSession | undefined;
  try {
    const { values, positionals } = parse(argv);
    if (values.help === true || positionals.length === 0) {
      (positionals.length === 0 && values.help !== true ? io.stderr : io.stdout).write(helpText);
      return positionals.length === 0 && values.help !== true ? exitCodes.usage : exitCodes.ok;
    }
    const [first = '', ...rest] = positionals;
    const grouped = Object.hasOwn(groupCommands, first) ? groupCommands[first] : undefined;
    const command = grouped ? `${first} ${rest[0] ?? ''}`.trim() : first;
    const args = grouped ? rest.slice(1) : rest;
    const allowed = Object.hasOwn(commandOptions, command) ? commandOptions[command] : undefined;
    if (allowed === undefined) {
      throw usageError(grouped ? `${first} needs one of: ${grouped}` : `unknown command '${first}'`);
    }
    const arity = commandArity[command] ?? 0;
    if (args.length !== arity)
      throw usageError(`${command} takes ${arity === 0 ? 'no arguments' : `${arity} argument(s)`}, got ${args.length}`);
    for (const name of Object.keys(values) as OptionName[]) {
      if (!common.includes(name) && !allowed.includes(name)) throw usageError(`--${name} does not apply to ${command}`);
    }
    let since: Date | undefined;
    if (values.since !== undefined) {
      since = new Date(values.since);
      if (Number.isNaN(since.getTime()))
        throw usageError(`--since must be an ISO date-time such as 2026-05-01T00:00:00Z, got '${values.since}'`);
    }
    const json = values.json === true;
    session = await openSession(io, { settingsFile: values.settings, verbose: values.verbose === true, json }, options);
    switch (command) {
      case 'doctor':
        return await doctorCommand(session, io, { json });
      case 'sync':
        return await syncCommand(session, io, {
          since,
          dryRun: values['dry-run'] === true,
          force: values.force === true,
          json,
        });
      case 'mappings import':
        return await importCommand(session, io, args[0] ?? '', { json });
      case 'mappings export':
        return await exportCommand(session, io, values.kind);
      case 'mappings suggest':
        return await suggestCommand(session, io, { json });
      case 'records':
        return await recordsCommand(session, io, { state: values.state, type: values.type, limit: values.limit, json });
      case 'replay':
        return await replayCommand(session, io, args[0] ?? '', args[1] ?? '', { json });
      case 'webhooks setup':
        return await webhooksCommand(session, io, 'setup', { json });
      case 'webhooks check':
        return await webhooksCommand(session, io, 'check', { json });
      case 'subscriptions check':
        return await subscriptionsCommand(session, io, { json });
      default:
        throw new CliError(`command '${command}' is not wired`, exitCodes.unexpected);
    }
  } catch (error) {
    const { message, exitCode } = explain(error);
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

if (isEntryPoint()) {
  void runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
    (code) => {
      process.exitCode = code;
      // Keep-alive sockets of the SDKs must not hold the terminal; the result is already written.
      setTimeout(() => process.exit(code), 2_000).unref();
    },
  );
}
