/**
 * Reads the command line into one checked invocation before anything else runs: a mistyped command, option
 * or option value is a usage error (exit 2) even when no settings exist yet, and nothing is contacted.
 */
import { parseArgs } from 'node:util';
import { LedgerStateSchema, RecordTypeSchema, ledgerStates, recordTypes } from '../sync/admin/records.js';
import { MappingKindSchema, mappingKinds } from '../sync/admin/mappings.js';
import type { LedgerState, MappingKind, RecordType } from '../core/ports/stores.js';
import { usageError } from './cli-context.js';

const optionSpec = {
  settings: { type: 'string' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  since: { type: 'string' },
  'dry-run': { type: 'boolean' },
  force: { type: 'boolean' },
  kind: { type: 'string' },
  state: { type: 'string' },
  type: { type: 'string' },
  limit: { type: 'string' },
  reason: { type: 'string' },
} as const;

type OptionName = keyof typeof optionSpec;
const common: OptionName[] = ['settings', 'json', 'verbose', 'help', 'version'];
/** The options each command accepts besides the common ones. */
const commandOptions: Record<string, OptionName[]> = {
  doctor: [],
  sync: ['since', 'dry-run', 'force'],
  'mappings import': [],
  'mappings export': ['kind'],
  'mappings suggest': [],
  records: ['state', 'type', 'limit'],
  replay: ['state', 'type'],
  skip: ['type', 'reason'],
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
/** How many positional arguments may follow the command words. */
const commandArity: Record<string, readonly number[]> = { 'mappings import': [1], replay: [0, 1, 2], skip: [1] };

export interface Invocation {
  /** `help` and `version` need no settings. */
  command: string;
  args: string[];
  json: boolean;
  verbose: boolean;
  settingsFile: string | undefined;
  since: Date | undefined;
  dryRun: boolean;
  force: boolean;
  kind: MappingKind | undefined;
  state: LedgerState | undefined;
  type: RecordType | undefined;
  limit: number;
  /** `skip --reason`: why the operator decided the record will not go to BC. */
  reason: string | undefined;
}

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: optionSpec, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(
      error instanceof Error ? (error.message.split('\n')[0] ?? 'invalid arguments') : 'invalid arguments',
    );
  }
}

/** The command words and their arguments; throws a usage error for an unknown command or a wrong count. */
function commandOf(positionals: string[]): { command: string; args: string[] } {
  const [first = '', ...rest] = positionals;
  const grouped = Object.hasOwn(groupCommands, first) ? groupCommands[first] : undefined;
  const command = grouped ? `${first} ${rest[0] ?? ''}`.trim() : first;
  if (!Object.hasOwn(commandOptions, command))
    throw usageError(grouped ? `${first} needs one of: ${grouped}` : `unknown command '${first}'`);
  const args = grouped ? rest.slice(1) : rest;
  const arity = commandArity[command] ?? [0];
  if (!arity.includes(args.length)) {
    const wanted = arity.length === 1 && arity[0] === 0 ? 'no arguments' : `${arity.join(' or ')} argument(s)`;
    throw usageError(`${command} takes ${wanted}, got ${args.length}`);
  }
  return { command, args };
}

function sinceOf(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const since = new Date(value);
  if (Number.isNaN(since.getTime()))
    throw usageError(`--since must be an ISO date-time such as 2026-05-01T00:00:00Z, got '${value}'`);
  return since;
}

function stateOf(value: string | undefined): LedgerState | undefined {
  if (value === undefined) return undefined;
  const state = LedgerStateSchema.safeParse(value);
  if (!state.success) throw usageError(`--state must be one of ${ledgerStates.join(', ')}`);
  return state.data;
}

/** A record type given as `--type` or as `replay`'s first argument. */
export function recordTypeOf(value: string | undefined, what = '--type'): RecordType | undefined {
  if (value === undefined) return undefined;
  const type = RecordTypeSchema.safeParse(value);
  if (!type.success) throw usageError(`${what} must be one of ${recordTypes.join(', ')}`);
  return type.data;
}

function kindOf(value: string | undefined): MappingKind | undefined {
  if (value === undefined) return undefined;
  const kind = MappingKindSchema.safeParse(value);
  if (!kind.success) throw usageError(`--kind must be one of ${mappingKinds.join(', ')}`);
  return kind.data;
}

function limitOf(value: string | undefined): number {
  const limit = value === undefined ? 100 : Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw usageError('--limit must be a whole number from 1 to 10000');
  return limit;
}

/** `replay` takes `<type> <id>`, one reference, or `--state` with no argument (and not both). */
function checkReplayForm(args: string[], state: LedgerState | undefined): void {
  if (args.length === 0 && state === undefined)
    throw usageError('replay needs a record (<type> <id>, an id, a PO or invoice number) or --state <state>');
  if (args.length > 0 && state !== undefined) throw usageError('replay takes either a record or --state, not both');
  if (args.length === 2) recordTypeOf(args[0], '<type>');
}

export function readCommandLine(argv: string[]): Invocation {
  const { values, positionals } = parse(argv);
  const bare = values.help === true || values.version === true || positionals.length === 0;
  const { command, args } = bare
    ? { command: values.version === true && values.help !== true ? 'version' : 'help', args: [] }
    : commandOf(positionals);
  const allowed = commandOptions[command] ?? [];
  if (!bare)
    for (const name of Object.keys(values) as OptionName[])
      if (!common.includes(name) && !allowed.includes(name)) throw usageError(`--${name} does not apply to ${command}`);
  const state = stateOf(values.state);
  if (command === 'replay') checkReplayForm(args, state);
  if (command === 'skip' && (values.reason?.trim().length ?? 0) < 3)
    throw usageError('skip needs --reason "…" saying why (at least 3 characters); it is kept in the audit trail');
  return {
    command: command === 'help' && positionals.length === 0 && values.help !== true ? 'usage' : command,
    args,
    json: values.json === true,
    verbose: values.verbose === true,
    settingsFile: values.settings,
    since: sinceOf(values.since),
    dryRun: values['dry-run'] === true,
    force: values.force === true,
    kind: kindOf(values.kind),
    state,
    type: recordTypeOf(values.type),
    limit: limitOf(values.limit),
    reason: values.reason?.trim(),
  };
}
