/**
 * `npm run demo`: the connector's main job on embedded defaults. Starts Azurite (in memory) and the Cin7,
 * BC and Entra simulators, seeds a specialty-foods distributor, fires Cin7's webhooks at the real webhook
 * function, polls once, lets the real Service Bus function drain the in-process session queue, then shows
 * master data flowing both ways (new Cin7 suppliers → BC vendors, BC items → Cin7 products, a BC vendor
 * edit → its Cin7 supplier, with no echo written back), and prints what happened. Exit code 0 when the
 * outcome is exactly the one the scenario expects (invoices and master data), 1 otherwise.
 *
 * Options: `--purchases N` (default 220), `--seed S` (default 42), `--verbose`.
 */
// First, so the Functions library's "test mode" warnings are caught before the modules below load it.
import { hostWarnings } from './quiet-functions-host.js';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { LogSink } from '../../src/telemetry/logger.js';
import { demoCin7RateLimit, runDemo, type DemoPhase } from './demo-runner.js';
import { formatExpected, formatMasterExpected, formatProgress, formatSummary } from './report.js';
import { buildScenario, describeScenario } from './scenario.js';

function usage(message?: string): never {
  if (message) process.stderr.write(`${message}\n`);
  process.stderr.write('usage: npm run demo -- [--purchases N] [--seed S] [--verbose]\n');
  process.exit(2);
}

function parseOptions(): { purchases: number; seed: number; verbose: boolean } {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        purchases: { type: 'string', default: '220' },
        seed: { type: 'string', default: '42' },
        verbose: { type: 'boolean', short: 'v', default: false },
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
  return { purchases, seed, verbose: values.verbose };
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
  const result = await runDemo({
    purchases: options.purchases,
    seed: options.seed,
    logSink,
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

  out();
  out('Summary');
  for (const line of formatSummary(result, { verbose: options.verbose })) out(line);
  out();
  out(`  ${formatExpected(result.expected)}`);
  out(`  ${formatMasterExpected(result.masterData.plan)}`);
  if (result.differences.length === 0) {
    out('  ✓ the run ended exactly as the scenario expects');
    return 0;
  }
  out(`  ✗ ${result.differences.length} difference(s) from the scenario's expectation:`);
  for (const difference of result.differences) out(`    - ${difference}`);
  out(`  see ${logPath} and run with --verbose for every record`);
  return 1;
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
