/**
 * One connector instance in its own process, for the multi-process budget test and the bench: builds the
 * real runtime from the environment (the shared Cin7 budget in Azurite included), prints `ready`, waits for
 * the start instant on stdin (so slow process start-ups do not shorten the run), reads Cin7 as fast as its
 * limiter allows for `SCALE_DURATION_MS`, and prints one JSON line.
 */
import { createInterface } from 'node:readline';
import { loadSettings } from '../../src/config/settings.js';
import { createRuntime } from '../../src/compose/runtime.js';
import { createMemorySessionQueue } from '../../src/queue/memory-session-queue.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { createMemoryTelemetry } from '../../src/telemetry/telemetry.js';

export interface WorkerReport {
  calls: number;
  failures: number;
  storageCalls: number;
  slots: number;
}

const number = (name: string): number => {
  const value = Number(process.env[name]);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number`);
  return value;
};

const telemetry = createMemoryTelemetry();
const queue = createMemorySessionQueue();
const runtime = createRuntime(loadSettings(process.env), {
  logger: createLogger(() => undefined),
  telemetry,
  queue,
  cin7WindowMs: number('SCALE_WINDOW_MS'),
});
const deps = await runtime.getDeps();
process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
const startAt = Number((await lines[Symbol.asyncIterator]().next()).value);
lines.close();
await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
const deadline = startAt + number('SCALE_DURATION_MS');

let calls = 0;
let failures = 0;
await Promise.all(
  Array.from({ length: number('SCALE_CONCURRENCY') }, async () => {
    while (Date.now() < deadline) {
      try {
        await deps.cin7.getMe();
        calls += 1;
      } catch {
        failures += 1;
      }
    }
  }),
);
const sum = (name: string): number =>
  telemetry.metrics.filter((m) => m.name === name).reduce((total, m) => total + m.value, 0);
const report: WorkerReport = {
  calls,
  failures,
  storageCalls: sum('cin7.budget.storage.calls'),
  slots: sum('cin7.budget.slots'),
};
process.stdout.write(`${JSON.stringify(report)}\n`);
await queue.stop();
await runtime.close();
const cin7 = deps.cin7 as typeof deps.cin7 & { close?: () => Promise<void> };
await cin7.close?.();
