/**
 * `npm run demo`: the connector's main job on embedded defaults. Starts Azurite (in memory) and the Cin7,
 * BC and Entra simulators, seeds a specialty-foods distributor, fires Cin7's webhooks at the real webhook
 * function, polls once, lets the real Service Bus function drain the in-process session queue, then shows
 * master data flowing both ways (new Cin7 suppliers → BC vendors, BC items → Cin7 products, a BC vendor
 * edit → its Cin7 supplier, with no echo written back), and prints what happened. Exit code 0 when the
 * outcome is exactly the one the scenario expects (invoices and master data), 1 otherwise.
 *
 * Options: `--purchases N` (default 220), `--seed S` (default 42), `--verbose`; `--console` then serves the
 * operator console over the demo's data on 127.0.0.1 until Ctrl-C, signed in locally as `--console-role`
 * (`operator`, the default, or `reader`) on `--console-port` (default: a free port).
 */
// First, so the Functions library's "test mode" warnings are caught before the modules below load it.
import { hostWarnings } from './quiet-functions-host.js';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { LogSink } from '../../src/telemetry/logger.js';
import { startConsoleServer, type ConsoleRole } from '../browser/console-server.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { demoCin7RateLimit, runDemo, type DemoPhase, type DemoResult } from './demo-runner.js';
import { formatExpected, formatMasterExpected, formatProgress, formatSummary } from './report.js';
import { buildScenario, describeScenario } from './scenario.js';

function usage(message?: string): never {
  if (message) process.stderr.write(`${message}\n`);
  process.stderr.write(
    'usage: npm run demo -- [--purchases N] [--seed S] [--verbose] [--console [--console-role operator|reader] [--console-port P]]\n',
  );
  process.exit(2);
}

interface DemoCliOptions {
  purchases: number;
  seed: number;
  verbose: boolean;
  console?: { role: ConsoleRole; port: number };
}

function parseOptions(): DemoCliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        purchases: { type: 'string', default: '220' },
        seed: { type: 'string', default: '42' },
        verbose: { type: 'boolean', short: 'v', default: false },
        console: { type: 'boolean', default: false },
        'console-role': { type: 'string', default: 'operator' },
        'console-port': { type: 'string', default: '0' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    usage(error instanceof Error ? error.message : String(error));
  }
  if (values.help) usage();
  const purchases = Number(values.purchases);
  const seed = Number(values.seed);
  if (!Number.isInteger(purchases) || purchases < 30 || purchases > 5000)
    usage('--purchases must be an integer from 30 to 5000');
  if (!Number.isInteger(seed) || seed < 0) usage('--seed must be a non-negative integer');
  const role = values['console-role'];
  if (role !== 'operator' && role !== 'reader') usage('--console-role must be operator or reader');
  const port = Number(values['console-port']);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    usage('--console-port must be a port number (0: any free one)');
  return { purchases, seed, verbose: values.verbose, ...(values.console ? { console: { role, port } } : {}) };
}

async function main(): Promise<number> {
  const options = parseOptions();
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const tty = process.stdout.isTTY === true;

  const logPath = join(tmpdir(), 'demo-output.log');
  const logFile = createWriteStream(logPath, { flags: 'w' });
  for (const warning of hostWarnings) logFile.write(`${new Date().toISOString()} host  ${warning}\n`);
  let progressShown = false;
  const clearProgress = () => {
    if (tty && progressShown) process.stdout.write('\r\x1b[2K');
    progressShown = false;
  };
  const logSink: LogSink = (level, message, properties) => {
    logFile.write(`${new Date().toISOString()} ${level.padEnd(5)} ${message} ${JSON.stringify(properties)}\n`);
    if (options.verbose && level !== 'info') {
      clearProgress();
      out(`  ${level} ${message}`);
    }
  };

  const scenario = describeScenario(buildScenario({ purchases: options.purchases, seed: options.seed }));
  out('cin7-bc-connector demo: a specialty-foods distributor, Cin7 Core → Business Central');
  out(
    `  seed ${options.seed}: ${scenario['suppliers']} suppliers, ${scenario['products']} products, ${scenario['purchases']} purchases ` +
      `(${scenario['invoices']} invoices, ${scenario['withFreight']} with freight), 2 locations`,
  );
  out(
    `  Cin7 rate limit scaled ${60_000 / demoCin7RateLimit.windowMs}× for the demo: ${demoCin7RateLimit.limit} calls per ${demoCin7RateLimit.windowMs / 1000} s ` +
      '(the real limit is 60 per minute); the connector budgets to the same limit',
  );
  out(`  connector log → ${logPath}`);
  out();

  let lastPlain = 0;
  let lastPhase: DemoPhase | undefined;
  const consoleChoice = options.console;
  const result = await runDemo({
    purchases: options.purchases,
    seed: options.seed,
    logSink,
    ...(consoleChoice ? { afterRun: (sandbox, run) => serveConsole(sandbox, run, consoleChoice) } : {}),
    onPhase: (phase, detail) => {
      lastPhase = phase;
      clearProgress();
      out(`▸ ${phase}${detail ? `: ${detail}` : ''}`);
    },
    onProgress: (progress) => {
      const line = formatProgress(progress);
      if (tty) {
        const width = process.stdout.columns ?? 160;
        process.stdout.write(`\r\x1b[2K${line.length > width - 1 ? `${line.slice(0, width - 2)}…` : line}`);
        progressShown = true;
      } else if (progress.elapsedMs - lastPlain >= 2000 || progress.phase !== lastPhase) {
        lastPlain = progress.elapsedMs;
        out(`  ${line}`);
      }
    },
  });
  clearProgress();
  await new Promise<void>((resolve) => logFile.end(resolve));
  if (!options.console) printSummary(result);
  return exitCode(result);

  function printSummary(run: DemoResult): void {
    out();
    out('Summary');
    for (const line of formatSummary(run, { verbose: options.verbose })) out(line);
    out();
    out(`  ${formatExpected(run.expected)}`);
    out(`  ${formatMasterExpected(run.masterData.plan)}`);
    if (run.differences.length === 0) {
      out('  ✓ the run ended exactly as the scenario expects');
      return;
    }
    out(`  ✗ ${run.differences.length} difference(s) from the scenario's expectation:`);
    for (const difference of run.differences) out(`    - ${difference}`);
    out(`  see ${logPath} and run with --verbose for every record`);
  }

  /** Prints the summary, then serves the console over what the run left until Ctrl-C. */
  async function serveConsole(sandbox: Sandbox, run: DemoResult, choice: { role: ConsoleRole; port: number }) {
    clearProgress();
    printSummary(run);
    const server = await startConsoleServer({
      deps: sandbox.deps,
      settings: sandbox.settings,
      role: choice.role,
      port: choice.port,
    });
    out();
    out(`Operator console (signed in locally as ${choice.role}): ${server.url}`);
    out('  listening on 127.0.0.1 only; press Ctrl-C to stop');
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    out();
    out('stopping the console');
    await server.close();
  }
}

function exitCode(result: DemoResult): number {
  return result.differences.length === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `demo failed to run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
