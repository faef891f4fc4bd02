/**
 * `npm run test:chaos -- --purchases 500 --seed 42`: runs the chaos suite once, prints the report and exits
 * non-zero when an invariant broke. Starts its own Azurite.
 */
import { formatChaosReport, runChaos } from './chaos.js';

function option(name: string, fallback: number): number {
  const args = process.argv.slice(2);
  const index = args.indexOf(`--${name}`);
  const inline = args.find((a) => a.startsWith(`--${name}=`));
  const raw = inline !== undefined ? inline.slice(name.length + 3) : index >= 0 ? args[index + 1] : undefined;
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    process.stderr.write(`--${name} must be a positive integer, got ${raw}\n`);
    process.exit(2);
  }
  return value;
}

const purchases = option('purchases', 500);
const seed = option('seed', Math.floor(Math.random() * 1_000_000));
const report = await runChaos({ purchases, seed, onProgress: (line) => process.stdout.write(`… ${line}\n`) });
process.stdout.write(`${formatChaosReport(report).join('\n')}\n`);
process.exitCode = report.problems.length === 0 ? 0 : 1;
