/**
 * The connector's logger: the only code that writes to `context.log` or the console (STYLE: src/telemetry).
 * Every line goes through the redactor, so a secret, a signed URL or a token cannot reach a log by accident
 * (DESIGN §3.7), and carries the correlation id of the record it is about.
 */
import type { InvocationContext } from '@azure/functions';
import type { Logger } from '../core/ports/telemetry.js';
import { redactProperties, scrubText } from './redact.js';

export type LogLevel = 'info' | 'warn' | 'error';

/** Where redacted lines go: `contextSink` in a function, `consoleSink` in the CLI, an array in tests. */
export type LogSink = (level: LogLevel, message: string, properties: Record<string, unknown>) => void;

/** A `Logger` that can derive one with more fixed properties (a correlation id, a record id). */
export interface ContextLogger extends Logger {
  /** A logger whose lines also carry `extra`; `extra` wins over this logger's properties. */
  child(extra: Record<string, unknown>): ContextLogger;
}

/**
 * Creates a logger writing to `sink`.
 *
 * @param sink - Receives each line after redaction.
 * @param base - Properties on every line, e.g. `{ correlationId }`.
 */
export function createLogger(sink: LogSink, base: Record<string, unknown> = {}): ContextLogger {
  const write = (level: LogLevel, message: string, properties: Record<string, unknown> = {}): void => {
    const merged = { ...base, ...properties };
    const { correlationId, ...rest } = redactProperties(merged);
    // correlationId first so it is the first thing seen when scanning lines.
    const line = correlationId === undefined ? rest : { correlationId, ...rest };
    try {
      sink(level, scrubText(message), line);
    } catch {
      // A failing log sink must not fail the sync that was logging; there is nowhere left to report it.
    }
  };
  return {
    info: (message, properties) => write('info', message, properties),
    warn: (message, properties) => write('warn', message, properties),
    error: (message, properties) => write('error', message, properties),
    child: (extra) => createLogger(sink, { ...base, ...extra }),
  };
}

/** The parts of `InvocationContext` a sink writes to. */
export type InvocationLog = Pick<InvocationContext, 'info' | 'warn' | 'error'>;

/**
 * Writes lines through the function invocation's logger, so the host ties them to the invocation in
 * Application Insights. Properties go as one JSON argument: one greppable line per call.
 */
export function contextSink(context: InvocationLog): LogSink {
  return (level, message, properties) => {
    if (Object.keys(properties).length === 0) context[level](message);
    else context[level](message, JSON.stringify(properties));
  };
}

/** Writes lines to the terminal, for the CLI and the demo. */
export const consoleSink: LogSink = (level, message, properties) => {
  const line = Object.keys(properties).length === 0 ? message : `${message} ${JSON.stringify(properties)}`;
  // eslint-disable-next-line no-console -- the CLI and demo log to the terminal; this sink is the one place that may.
  if (level === 'error') console.error(`error ${line}`);
  // eslint-disable-next-line no-console -- as above.
  else if (level === 'warn') console.warn(`warn  ${line}`);
  // eslint-disable-next-line no-console -- as above.
  else console.log(`info  ${line}`);
};

/** One line as a `memorySink` recorded it. */
export interface LoggedLine {
  level: LogLevel;
  message: string;
  properties: Record<string, unknown>;
}

/** A sink that keeps lines in memory, for tests that assert what was (or was not) logged. */
export function memorySink(): { sink: LogSink; lines: LoggedLine[] } {
  const lines: LoggedLine[] = [];
  return { sink: (level, message, properties) => lines.push({ level, message, properties }), lines };
}
