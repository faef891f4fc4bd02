/**
 * Several connector runtimes, each in its own process, against one Cin7 simulator and one Azurite: what
 * the simulator saw (its sliding-window peak, throttle answers) and what the budget cost in storage calls.
 * Used by test/scale/multi-process-limiter.test.ts and `npm run bench` (`cin7PeakCallsPerMinute`).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { startCin7Simulator } from '../sandbox/cin7/index.js';
import { sandboxSecrets } from '../sandbox/sandbox.js';
import { peakInWindow } from './budget-support.js';
import type { WorkerReport } from './limiter-worker.js';

export interface RunInstancesOptions {
  azuriteConnectionString: string;
  instances: number;
  /** Cin7's limit per window, enforced by the simulator and configured in every instance. */
  limit: number;
  /** Cin7's window, shrunk from a minute to keep runs short. */
  windowMs: number;
  durationMs: number;
  /** Callers per instance. */
  concurrency?: number;
}

export interface RunInstancesResult {
  /** Most requests the simulator received in any sliding window. */
  peak: number;
  /** Requests the simulator answered with a throttle (429/503). */
  throttled: number;
  requests: number;
  storageCalls: number;
  workers: WorkerReport[];
}

const worker = resolve(import.meta.dirname, 'limiter-worker.ts');

interface RunningWorker {
  ready: Promise<void>;
  start(at: number): void;
  report: Promise<WorkerReport>;
}

function startWorker(env: Record<string, string>): RunningWorker {
  const child = spawn(process.execPath, ['--import', 'tsx', worker], {
    env: { ...process.env, ...env, NODE_OPTIONS: '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolveReady) => (onReady = resolveReady));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (stdout.startsWith('ready\n')) onReady();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const report = new Promise<WorkerReport>((resolveReport, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) {
        reject(new Error(`instance exited with ${code ?? 'a signal'}: ${stderr.slice(-2000)}`));
        return;
      }
      resolveReport(JSON.parse(line) as WorkerReport);
    });
  });
  return {
    ready: Promise.race([ready, report.then(() => undefined)]),
    start: (at) => child.stdin.end(`${at}\n`),
    report,
  };
}

export async function runInstances(options: RunInstancesOptions): Promise<RunInstancesResult> {
  const cin7 = await startCin7Simulator({
    accountId: sandboxSecrets.cin7AccountId,
    applicationKey: sandboxSecrets.cin7ApplicationKey,
    rateLimit: { limit: options.limit, windowMs: options.windowMs },
  });
  try {
    const env: Record<string, string> = {
      CIN7_BASE_URL: cin7.baseUrl,
      CIN7_ACCOUNT_ID: sandboxSecrets.cin7AccountId,
      CIN7_APPLICATION_KEY: sandboxSecrets.cin7ApplicationKey,
      CIN7_CALLS_PER_MINUTE: String(options.limit),
      BC_TENANT_ID: '7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910',
      BC_ENVIRONMENT: 'sandbox',
      BC_COMPANY_ID: '00000000-0000-4000-8000-000000000001',
      BC_CLIENT_ID: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
      BC_CLIENT_SECRET: sandboxSecrets.bcClientSecret,
      AzureWebJobsStorage: options.azuriteConnectionString,
      TABLE_PREFIX: `s${randomUUID().replace(/-/g, '').slice(0, 8)}`,
      SYNC_QUEUE_MODE: 'memory',
      SCALE_DURATION_MS: String(options.durationMs),
      SCALE_WINDOW_MS: String(options.windowMs),
      SCALE_CONCURRENCY: String(options.concurrency ?? 8),
    };
    const running = Array.from({ length: options.instances }, () => startWorker(env));
    await Promise.all(running.map((w) => w.ready));
    // Every instance begins together, shortly after the slowest one is ready.
    const startAt = Date.now() + 500;
    for (const w of running) w.start(startAt);
    const workers = await Promise.all(running.map((w) => w.report));
    const requests = cin7.faults.requests.filter((r) => r.system === 'cin7');
    return {
      peak: peakInWindow(
        requests.map((r) => r.at),
        options.windowMs,
      ),
      throttled: requests.filter((r) => r.status === 429 || r.status === 503).length,
      requests: requests.length,
      storageCalls: workers.reduce((n, w) => n + w.storageCalls, 0),
      workers,
    };
  } finally {
    await cin7.close();
  }
}
