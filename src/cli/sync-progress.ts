/**
 * What `sync` shows while it works. On a terminal: one line rewritten in place with the count and an
 * estimate of the time left. Otherwise (a log file, CI, a pipe): one plain line per purchase, no control
 * characters. Under `--json`, progress never touches stdout.
 */
import type { CliIo } from './cli-context.js';

export interface TimeLeftInput {
  /** Purchases still to read. */
  remaining: number;
  /** Purchases done so far, and the time they took. */
  done: number;
  elapsedMs: number;
  /** Cin7's budget (CIN7_CALLS_PER_MINUTE): each purchase costs one Cin7 read at least. */
  callsPerMinute: number;
}

/**
 * Seconds left: the slower of Cin7's budget (one read per purchase still to go, at most `callsPerMinute`
 * a minute) and the pace seen so far, so the estimate never promises more than the budget allows.
 */
export function estimateSecondsLeft(input: TimeLeftInput): number {
  const byBudget = (input.remaining * 60) / input.callsPerMinute;
  const byPace = input.done > 0 ? (input.elapsedMs / input.done / 1_000) * input.remaining : 0;
  return Math.ceil(Math.max(byBudget, byPace));
}

export function formatTimeLeft(seconds: number): string {
  if (seconds < 60) return `about ${seconds} s left`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `about ${minutes} min left` : `about ${Math.floor(minutes / 60)} h ${minutes % 60} min left`;
}

export interface SyncProgress {
  /** One purchase job ended (done or failed). */
  jobEnded(label: string, outcome: string): void;
  /** A job will be tried again later in this run. */
  retry(line: string): void;
  /** The run is over: a terminal line is ended so the summary starts on its own line. */
  finish(): void;
}

export function createSyncProgress(
  io: CliIo,
  options: { total: number; callsPerMinute: number; terminal: boolean; now: () => number; line: (s: string) => void },
): SyncProgress {
  const started = options.now();
  let done = 0;
  let drawn = false;
  const draw = (label: string) => {
    const left = estimateSecondsLeft({
      remaining: options.total - done,
      done,
      elapsedMs: options.now() - started,
      callsPerMinute: options.callsPerMinute,
    });
    const eta = done < options.total ? `, ${formatTimeLeft(left)}` : '';
    // \r and "erase line" redraw the one progress line in place.
    io.stderr.write(`\r\u001b[K[${done}/${options.total}] ${label}${eta}`);
    drawn = true;
  };
  return {
    jobEnded(label, outcome) {
      done += 1;
      if (options.terminal) draw(label);
      else options.line(`[${done}/${options.total}] ${label}: ${outcome}`);
    },
    retry(line) {
      if (drawn) io.stderr.write('\n');
      drawn = false;
      options.line(line);
    },
    finish() {
      if (drawn) io.stderr.write('\n');
      drawn = false;
    },
  };
}
