/**
 * What every CLI command shares: settings from the environment (and a `--settings` file's `Values`), the
 * same composition root as the Functions with an in-process session queue (`SYNC_QUEUE_MODE=memory`: the
 * CLI runs the jobs itself with `runJob`), output streams, and the mapping from errors to exit codes.
 */
import { readFile } from 'node:fs/promises';
import { createRuntime, type Runtime, type RuntimeOptions } from '../compose/runtime.js';
import { isConfigError, loadSettings, type Settings } from '../config/settings.js';
import { createMemorySessionQueue, type MemorySessionQueue } from '../queue/memory-session-queue.js';
import type { SyncDeps } from '../sync/deps.js';
import { ensureError, isConnectorError } from '../core/errors.js';
import { allHandlers } from '../sync/jobs/handlers.js';
import type { JobEnvelope } from '../core/ports/jobs.js';
import type { Logger, Telemetry } from '../core/ports/telemetry.js';
import { runJob, type JobHandlers, type JobResult } from '../sync/jobs/run-job.js';
import { createLogger, type LogSink } from '../telemetry/logger.js';

/** Documented in the help text of `main.ts`. */
export const exitCodes = { ok: 0, attention: 1, usage: 2, connection: 3, unexpected: 4 } as const;
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

export interface OutputStream {
  write(text: string): unknown;
}

export interface CliIo {
  /** Results: human text, or one JSON object with `--json`. */
  stdout: OutputStream;
  /** Progress, warnings and errors. */
  stderr: OutputStream;
  env: Record<string, string | undefined>;
  /** stderr is a terminal: `sync` redraws one progress line with the time left instead of a line per job. */
  tty?: boolean | undefined;
}

/** Test seams: the sandbox's Entra simulator needs its CA trusted, and its own limiters. */
export interface CliOptions {
  runtime?: Pick<RuntimeOptions, 'identityHttpClient' | 'cin7Limiter' | 'bcLimiter' | 'clock' | 'bcCredential'>;
}

/** An error the CLI explains itself: one line, what to do, and the exit code. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}

export function usageError(message: string): CliError {
  return new CliError(`${message} (run cin7-bc --help)`, exitCodes.usage);
}

/**
 * The environment the CLI runs with: `--settings` file `Values` first, the real environment over them, and
 * the queue always in-process.
 */
export async function settingsEnv(
  env: CliIo['env'],
  settingsFile: string | undefined,
): Promise<Record<string, string | undefined>> {
  let fileValues: Record<string, string> = {};
  if (settingsFile !== undefined) {
    let text: string;
    try {
      text = await readFile(settingsFile, 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? ensureError(error).message;
      throw new CliError(`cannot read settings file ${settingsFile}: ${reason}; check the path`, exitCodes.usage);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new CliError(
        `settings file ${settingsFile} is not JSON; it should look like local.settings.example.json`,
        exitCodes.usage,
      );
    }
    const values = typeof parsed === 'object' && parsed !== null && 'Values' in parsed ? parsed.Values : undefined;
    if (typeof values !== 'object' || values === null)
      throw new CliError(
        `settings file ${settingsFile} has no "Values" object; it should look like local.settings.example.json`,
        exitCodes.usage,
      );
    fileValues = Object.fromEntries(
      Object.entries(values).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
  }
  return { ...fileValues, ...env, SYNC_QUEUE_MODE: 'memory' };
}

const noTelemetry: Telemetry = { event: () => undefined, metric: () => undefined, dependency: () => undefined };

export interface CliSession {
  settings: Settings;
  runtime: Runtime;
  deps: SyncDeps;
  queue: MemorySessionQueue;
  logger: Logger;
  /** Writes one progress line on stderr (also with `--json`: stdout carries only the result). */
  progress: (message: string) => void;
  close(): Promise<void>;
}

export interface SessionFlags {
  settingsFile: string | undefined;
  verbose: boolean;
  json: boolean;
}

/** The CLI's own logger: warnings and errors on stderr, every line with `--verbose`; redacted like any other. */
function stderrSink(io: CliIo, verbose: boolean): LogSink {
  return (level, message, properties) => {
    if (level === 'info' && !verbose) return;
    const extra = verbose && Object.keys(properties).length > 0 ? ` ${JSON.stringify(properties)}` : '';
    io.stderr.write(`${level === 'info' ? '' : `${level}: `}${message}${extra}\n`);
  };
}

export async function openSession(io: CliIo, flags: SessionFlags, options: CliOptions): Promise<CliSession> {
  let settings: Settings;
  try {
    settings = loadSettings(await settingsEnv(io.env, flags.settingsFile));
  } catch (error) {
    if (isConfigError(error)) {
      const list = error.issues.map((i) => `${i.setting} ${i.problem}`).join('; ');
      throw new CliError(
        `settings are invalid: ${list}. Set them in the environment or in the --settings file`,
        exitCodes.usage,
      );
    }
    throw error;
  }
  const logger = createLogger(stderrSink(io, flags.verbose), {});
  const queue = createMemorySessionQueue();
  const runtime = createRuntime(settings, { logger, telemetry: noTelemetry, queue, ...options.runtime });
  const deps = await runtime.getDeps();
  // A CLI run waits for its retries: keep them short and few, then the record is `failed` (visible, replayable).
  deps.settings = {
    ...deps.settings,
    retryBaseMs: 1_000,
    retryMaxMs: 10_000,
    maxAttempts: Math.min(deps.settings.maxAttempts, 4),
  };
  return {
    settings,
    runtime,
    deps,
    queue,
    logger,
    progress: (message) => {
      io.stderr.write(`… ${message}\n`);
    },
    close: async () => {
      await queue.stop();
      await runtime.close();
      const cin7 = deps.cin7 as SyncDeps['cin7'] & { close?: () => Promise<void> };
      await cin7.close?.();
    },
  };
}

/**
 * Runs every queued job (and its retries) in this process with the same `runJob` the Service Bus function
 * calls, until the queue is idle. `onJob` sees each result as it lands.
 */
export async function drainQueue(
  session: CliSession,
  onJob: (envelope: JobEnvelope, result: JobResult) => void,
  handlers: JobHandlers = allHandlers,
): Promise<void> {
  session.queue.start(async (envelope) => {
    const result = await runJob(envelope, session.deps, handlers);
    onJob(envelope, result);
  });
  await session.queue.idle();
  await session.queue.stop();
  for (const dead of session.queue.deadLetters) {
    session.logger.error(
      `job ${dead.envelope.job.type} could not be processed (${dead.description}); ` +
        'check storage, then run the command again',
    );
  }
}

/** What to tell the operator for a failure, and which exit code it is. */
export function explain(error: unknown): { message: string; exitCode: ExitCode } {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  const err = ensureError(error);
  if (isConfigError(err))
    return {
      message: `configuration: ${err.issues.map((i) => `${i.setting} ${i.problem}`).join('; ') || err.message}`,
      exitCode: exitCodes.usage,
    };
  if (isConnectorError(err)) {
    const system = err.system ?? 'a dependency';
    if (err.kind === 'auth') {
      const hint =
        err.system === 'cin7'
          ? 'check CIN7_ACCOUNT_ID and CIN7_APPLICATION_KEY (Key Vault cin7-account-id, cin7-application-key)'
          : err.system === 'keyvault'
            ? "check KEY_VAULT_URL and that this identity has 'Key Vault Secrets User' on the vault"
            : 'check BC_TENANT_ID, BC_CLIENT_ID and the client secret, ' +
              'and that the Entra app is added in BC with its permission sets';
      return { message: `${system} refused the credentials: ${err.message}; ${hint}`, exitCode: exitCodes.connection };
    }
    if (err.kind === 'transient' || err.kind === 'throttled') {
      const hint =
        err.system === 'storage'
          ? 'check AzureWebJobsStorage (is Azurite running?)'
          : 'check the URL settings and the network, or try again in a few minutes';
      return { message: `${system} did not answer: ${err.message}; ${hint}`, exitCode: exitCodes.connection };
    }
    if (err.system === 'config') return { message: `configuration: ${err.message}`, exitCode: exitCodes.usage };
    if (err.kind === 'not-found' && (err.system === 'bc' || err.system === 'cin7')) {
      return {
        message: `${system}: ${err.message}; check the base URL, tenant, environment and company settings`,
        exitCode: exitCodes.connection,
      };
    }
    return { message: `${system}: ${err.message}`, exitCode: exitCodes.connection };
  }
  return {
    message: `unexpected failure: ${err.message}; run again with --verbose and report it if it persists`,
    exitCode: exitCodes.unexpected,
  };
}

export function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
