/**
 * `npm run bench`: the connector's figures against the simulators (no artificial latency), printed as
 * readable lines and then ONE JSON object as the last line (issue 6):
 *
 * - `cin7CallsPerInvoice`, `bcCallsPerInvoice`: HTTP calls per posted invoice in a 200-purchase backfill by
 *   the poll, reference look-ups included (amortised). A BC `$batch` is one HTTP call however many operations
 *   it carries; `bcBatchOperationsPerInvoice` reports those operations separately.
async function backfill(
  options: SandboxOptions & { purchases: number; resync?: boolean; defaultDimensions?: boolean },
): Promise<BackfillResult> {
  const { purchases, resync, defaultDimensions, ...sandboxOptions } = options;
 * - `webhookP50Ms`, `webhookP99Ms`: the Cin7 webhook handler, request to 202, in process (2,000 calls).
 * - `e2eP50Ms`: webhook receipt to posted BC invoice, in process, simulators at zero latency.
 * - `coldStartMs`, `baselineColdStartMs`: importing the built entry `dist/app/main.js` vs a minimal
 *   `@azure/functions` app with one HTTP function, in fresh `node` processes taking turns (median of 5).
 * - `peakRssMb`: the largest resident set size sampled during the backfill.
 * - `cin7PeakCallsPerMinute`: four runtimes in separate processes share one Cin7 budget (Azurite) and read
 *   Cin7 as fast as they can; the most requests the one simulator saw in any sliding minute. The minute is
 *   scaled to 6 s (60 calls per 6 s) to keep the run short; `cin7StorageCallsPerCall` is what the shared
 *   budget cost in storage round trips per Cin7 call.
 *
 * Options: `--purchases N` (default 200), `--webhook-calls N` (default 2000), `--cold-start-only` (only the
 * cold start: no Azurite, no simulators; rebuild with `npm run build` first to measure a change).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import azureFunctions from '@azure/functions';
import { Secret } from '../../src/config/secret.js';
import { createCin7WebhookHandler } from '../../src/functions/cin7-webhook.js';
import { createMemorySessionQueue } from '../../src/queue/memory-session-queue.js';
import { pollCin7Purchases } from '../../src/sync/purchase/poll-cin7.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../sandbox/sandbox.js';
import { startAzurite } from '../support/azurite.js';
import { addAuthorisedPurchase, addSupplierWithVendor, seedMatchingReference } from '../support/seed.js';
import { announceInvoice, registerPurchaseWebhooks } from '../support/cin7-webhooks.js';
import { runInstances } from '../scale/multi-process.js';
import { runCliAgainst } from '../cli/cli-support.js';
import { creditMemoCalls } from './credit-memo-calls.js';

const { HttpRequest, InvocationContext } = azureFunctions;
const repoRoot = resolve(import.meta.dirname, '../..');

function option(name: string, fallback: number): number {
  const args = process.argv.slice(2);
  const index = args.indexOf(`--${name}`);
  const value = index >= 0 ? Number(args[index + 1]) : fallback;
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

function median(values: readonly number[]): number {
  return percentile(values, 50);
}

const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

interface BackfillResult {
  posted: number;
  cin7Calls: number;
  /** HTTP requests to BC; a `$batch` counts once. */
  bcCalls: number;
  /** Operations that travelled inside those `$batch` requests. */
  bcBatchOperations: number;
  seconds: number;
  /** CPU milliseconds (user + system) this process spent on the backfill. */
  cpuMs: number;
  peakRssMb: number;
  /** With `resync`: Cin7 calls of a second `sync` over the same, now unchanged, purchases. */
  resyncCin7Calls?: number;
  /** `system METHOD path: count`, most called first (ids collapsed). */
  byEndpoint: string[];
}

/**
 * Dimension rules AREA=EAST and DEPARTMENT=PURCHASING, with BC defaults in play as a partner finds them: every
 * vendor defaults DEPARTMENT=PURCHASING (agrees), half default AREA=WEST (differs: one PATCH per line), and the
 * inventory account 630 defaults AREA=EAST (a G/L account's default, so AREA is left out of the deep insert).
 */
async function seedDefaultDimensions(sandbox: Sandbox, vendors: ReadonlyArray<{ id?: unknown } | undefined>) {
  await sandbox.deps.stores.mappings.upsert({ kind: 'dimension-default', source: '*', target: 'AREA=EAST' });
  await sandbox.deps.stores.mappings.upsert({
    kind: 'dimension-default',
    source: '*',
    target: 'DEPARTMENT=PURCHASING',
  });
  vendors.forEach((vendor, i) => {
    if (typeof vendor?.id !== 'string') return;
    const defaults = [{ code: 'DEPARTMENT', valueCode: 'PURCHASING' }];
    if (i % 2 === 0) defaults.push({ code: 'AREA', valueCode: 'WEST' });
    sandbox.bc.setTableFields(vendor.id, { defaultDimensions: defaults });
  });
  const inventory = sandbox.bc.data.accounts.find((a) => a.number === '630');
  if (typeof inventory?.id === 'string') {
    sandbox.bc.setTableFields(inventory.id, { defaultDimensions: [{ code: 'AREA', valueCode: 'EAST' }] });
  }
}

/** Seeds `purchases` authorised purchases of 10 suppliers, polls once and waits until all are processed. */
async function backfill(
  options: SandboxOptions & { purchases: number; resync?: boolean; defaultDimensions?: boolean },
): Promise<BackfillResult> {
  const { purchases, resync, defaultDimensions, ...sandboxOptions } = options;
  const sandbox: Sandbox = await startSandbox({ maxConcurrentSessions: 16, ...sandboxOptions });
  try {
    seedMatchingReference(sandbox);
    const seeded = Array.from({ length: 10 }, (_, i) => addSupplierWithVendor(sandbox, `Bench Supplier ${i + 1}`));
    const suppliers = seeded.map((s) => s.supplier);
    if (defaultDimensions === true)
      await seedDefaultDimensions(
        sandbox,
        seeded.map((s) => s.vendor),
      );
    for (let i = 0; i < purchases; i += 1) addAuthorisedPurchase(sandbox, suppliers[i % suppliers.length]?.ID ?? '');
    sandbox.faults.resetCounts();
    const batchOperationsBefore = sandbox.bc.batchOperations.length;
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 25);
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    try {
      await pollCin7Purchases(sandbox.deps);
      await sandbox.settle();
    } finally {
      clearInterval(sampler);
    }
    const cpu = process.cpuUsage(cpuBefore);
    const seconds = (performance.now() - started) / 1000;
    const ledger = await sandbox.ledger('purchase-invoice');
    const posted = ledger.filter((e) => e.state === 'posted').length;
    if (posted !== purchases)
      throw new Error(
        `backfill posted ${posted} of ${purchases}: ${ledger
          .filter((e) => e.state !== 'posted')
          .map((e) => `${e.state} ${e.reason ?? ''}`)
          .slice(0, 3)
          .join('; ')}`,
      );
    const endpoints = new Map<string, number>();
    for (const r of sandbox.faults.requests) {
      const key = `${r.system} ${r.method} ${r.path.replace(/\([^)]*\)/g, '(…)').replace(/^.*\/(ExternalApi\/v2|api\/v2\.0)\//, '')}`;
      endpoints.set(key, (endpoints.get(key) ?? 0) + 1);
    }
    const result: BackfillResult = {
      byEndpoint: [...endpoints].sort((a, b) => b[1] - a[1]).map(([key, n]) => `${key}: ${n}`),
      posted,
      cin7Calls: sandbox.faults.count({ system: 'cin7' }),
      bcCalls: sandbox.faults.count({ system: 'bc' }),
      bcBatchOperations: sandbox.bc.batchOperations.length - batchOperationsBefore,
      seconds,
      cpuMs: (cpu.user + cpu.system) / 1000,
      peakRssMb: peakRss / 1024 / 1024,
    };
    if (resync) {
      // A second sync from before the first purchase, in a fresh in-process queue as a new CLI process has:
      // no duplicate detection from the first run can hide a read.
      sandbox.faults.resetCounts();
      const run = await runCliAgainst(sandbox, ['sync', '--since', '2000-01-01T00:00:00Z', '--json']);
      const summary = run.json<{ listed?: number; unchanged?: number }>();
      if (run.code !== 0 || summary.listed !== purchases)
        throw new Error(`re-sync: exit code ${run.code}, listed ${summary.listed ?? '-'}: ${run.stderr.slice(-500)}`);
      result.resyncCin7Calls = sandbox.faults.count({ system: 'cin7' });
    }
    return result;
  } finally {
    await sandbox.close();
  }
}

/** The webhook handler in process: request → 202, with a fresh thin event per call. */
async function webhookLatency(calls: number): Promise<{ p50: number; p99: number }> {
  const secret = 'bench-webhook-secret';
  const queue = createMemorySessionQueue();
  const handler = createCin7WebhookHandler({
    getWebhookSecret: () => Promise.resolve(new Secret(secret)),
    getQueue: () => Promise.resolve(queue),
    clock: { now: () => Date.now() },
    logger: () => createLogger(() => undefined),
    maxBodyBytes: 1024 * 1024,
  });
  const call = async (i: number): Promise<number> => {
    const body = JSON.stringify({
      TaskID: randomUUID(),
      PurchaseOrderNumber: `PO-${i}`,
      InvoiceNumber: `${i}`,
      SupplierName: null,
      EventType: 'Purchase/InvoiceAuthorised',
    });
    const started = performance.now();
    const response = await handler(
      new HttpRequest({
        method: 'POST',
        url: 'https://connector.example/api/webhooks/cin7',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: { string: body },
      }),
      new InvocationContext({ invocationId: randomUUID(), functionName: 'cin7-webhook', logHandler: () => undefined }),
    );
    const elapsed = performance.now() - started;
    if (response.status !== 202) throw new Error(`webhook answered ${response.status ?? '?'}`);
    return elapsed;
  };
  for (let i = 0; i < 200; i += 1) await call(-i - 1); // warm-up (JIT, first module loads)
  const samples: number[] = [];
  for (let i = 0; i < calls; i += 1) samples.push(await call(i));
  await queue.stop();
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

/** Webhook receipt → posted, one purchase at a time (no queueing behind others), Cin7 unthrottled. */
async function endToEnd(azurite: string, count: number): Promise<number> {
  const sandbox = await startSandbox({ azuriteConnectionString: azurite, cin7RateLimit: false, bcLimits: false });
  try {
    seedMatchingReference(sandbox);
    registerPurchaseWebhooks(sandbox, ['Purchase/InvoiceAuthorised']);
    const { supplier } = addSupplierWithVendor(sandbox, 'E2E Supplier');
    // One purchase first so the reference cache is warm, as in a running app.
    const warm = addAuthorisedPurchase(sandbox, supplier.ID);
    await announceInvoice(sandbox, warm);
    await sandbox.settle();
    sandbox.telemetry.metrics.length = 0;
    for (let i = 0; i < count; i += 1) {
      const purchase = addAuthorisedPurchase(sandbox, supplier.ID);
      await announceInvoice(sandbox, purchase);
      await sandbox.settle();
    }
    const latencies = sandbox.telemetry.metrics.filter((m) => m.name === 'e2e.latency.ms').map((m) => m.value);
    if (latencies.length !== count) throw new Error(`e2e: ${latencies.length} of ${count} invoices posted`);
    return median(latencies);
  } finally {
    await sandbox.close();
  }
}

/** Milliseconds to import `entry` in a fresh node process. */
function importMs(entry: string): number {
  const script =
    'const s = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - s)); process.exit(0);';
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script, pathToFileURL(entry).href], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
    cwd: repoRoot,
  });
  const value = Number(result.stdout.trim().split('\n').pop());
  if (!Number.isFinite(value)) throw new Error(`cold start of ${entry} failed: ${result.stderr.slice(0, 500)}`);
  return value;
}

/**
 * Median import time of each entry over `runs` fresh processes. The entries take turns, so a busy moment on a
 * shared machine slows both sides of the comparison rather than one.
 */
function coldStarts(entries: readonly string[], runs = 5): number[] {
  const samples = entries.map((): number[] => []);
  for (let i = 0; i < runs; i += 1) entries.forEach((entry, index) => samples[index]?.push(importMs(entry)));
  return samples.map(median);
}

/** A minimal `@azure/functions` app with one HTTP function, in a temp dir that sees the repo's node_modules. */
function baselineApp(): { entry: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-baseline-'));
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', main: 'main.js' }));
  writeFileSync(
    join(dir, 'main.js'),
    "import { app } from '@azure/functions';\napp.http('hello', { methods: ['GET'], authLevel: 'anonymous', handler: async () => ({ body: 'hello' }) });\n",
  );
  return { entry: join(dir, 'main.js'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The built app vs the bare app, each imported in fresh processes; builds `dist/` first when it is missing. */
function measureColdStart(): { coldStartMs: number; baselineColdStartMs: number } {
  const builtEntry = join(repoRoot, 'dist/app/main.js');
  if (!existsSync(builtEntry)) {
    say('  dist/app/main.js is missing: running npm run build');
    execFileSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  }
  const baseline = baselineApp();
  try {
    const [coldStartMs = Number.NaN, baselineColdStartMs = Number.NaN] = coldStarts([builtEntry, baseline.entry]);
    say(
      `  cold start (import, fresh node, median of 5, taking turns): app ${coldStartMs.toFixed(1)} ms, bare @azure/functions app ${baselineColdStartMs.toFixed(1)} ms (${(coldStartMs / baselineColdStartMs).toFixed(2)}x)`,
    );
    return { coldStartMs, baselineColdStartMs };
  } finally {
    baseline.cleanup();
  }
}

const purchases = option('purchases', 200);
const webhookCalls = option('webhook-calls', 2000);
if (process.argv.includes('--cold-start-only')) {
  const { coldStartMs, baselineColdStartMs } = measureColdStart();
  say(
    JSON.stringify({
      coldStartMs: round(coldStartMs, 1),
      baselineColdStartMs: round(baselineColdStartMs, 1),
      node: process.version,
    }),
  );
  process.exit(0);
}
const azurite = await startAzurite();
try {
  say(
    `benchmark: ${purchases}-purchase backfills, ${webhookCalls} webhook calls, simulators without artificial latency`,
  );

  const calls = await backfill({
    azuriteConnectionString: azurite.connectionString,
    purchases,
    cin7RateLimit: false,
    resync: true,
  });
  const cin7CallsPerInvoice = calls.cin7Calls / calls.posted;
  const bcCallsPerInvoice = calls.bcCalls / calls.posted;
  const bcBatchOperationsPerInvoice = calls.bcBatchOperations / calls.posted;
  say(
    `  backfill (poll): ${calls.posted} posted in ${calls.seconds.toFixed(1)} s; Cin7 ${calls.cin7Calls} calls (${cin7CallsPerInvoice.toFixed(3)}/invoice), BC ${calls.bcCalls} calls (${bcCallsPerInvoice.toFixed(3)}/invoice, a $batch counted once); peak RSS ${calls.peakRssMb.toFixed(0)} MB`,
  );
  say(
    `    operations inside BC $batch requests: ${calls.bcBatchOperations} (${bcBatchOperationsPerInvoice.toFixed(3)}/invoice)`,
  );
  say(`    calls by endpoint: ${calls.byEndpoint.join(', ')}`);
  const cpuMsPerInvoice = calls.cpuMs / calls.posted;
  say(
    `    CPU ${calls.cpuMs.toFixed(0)} ms in this process (${cpuMsPerInvoice.toFixed(1)} ms/invoice, simulators included)`,
  );
  const resyncCin7CallsPerPurchase = (calls.resyncCin7Calls ?? Number.NaN) / purchases;
  say(
    `  second sync over the same ${purchases} unchanged, posted purchases: Cin7 ${calls.resyncCin7Calls ?? '-'} calls (${resyncCin7CallsPerPurchase.toFixed(3)}/purchase)`,
  );

  const memos = await creditMemoCalls({
    azuriteConnectionString: azurite.connectionString,
    purchases,
    cin7RateLimit: false,
  });
  const cin7CallsPerMemo = memos.cin7Calls / memos.posted;
  const cin7CallsPerMemoBeyondRead = (memos.cin7Calls - memos.cin7PurchaseReads) / memos.posted;
  const bcCallsPerMemo = memos.bcCalls / memos.posted;
  say(
    `  credit memos (one per purchase, crediting its posted invoice): ${memos.posted} posted; Cin7 ${memos.cin7Calls} calls (${cin7CallsPerMemo.toFixed(3)}/memo, ${cin7CallsPerMemoBeyondRead.toFixed(3)}/memo beyond the purchase read), BC ${memos.bcCalls} calls (${bcCallsPerMemo.toFixed(3)}/memo vs ${bcCallsPerInvoice.toFixed(3)}/invoice)`,
  );
  say(`    calls by endpoint: ${memos.byEndpoint.join(', ')}`);

  const withDefaults = await backfill({
    azuriteConnectionString: azurite.connectionString,
    purchases,
    cin7RateLimit: false,
    defaultDimensions: true,
  });
  const bcCallsPerInvoiceWithDefaultDimensions = withDefaults.bcCalls / withDefaults.posted;
  say(
    `  backfill with default dimensions in play (half the vendors default AREA to another value than the rule): BC ${withDefaults.bcCalls} calls (${bcCallsPerInvoiceWithDefaultDimensions.toFixed(3)}/invoice)`,
  );
  say(`    calls by endpoint: ${withDefaults.byEndpoint.join(', ')}`);

  const limited = await backfill({
    azuriteConnectionString: azurite.connectionString,
    purchases,
    // Cin7's 60 a minute scaled to 60 per 6 s: Cin7 stays the bottleneck, and 200 invoices take ~20 s.
    cin7RateLimit: { limit: 60, windowMs: 6000 },
  });
  const throughput = limited.posted / limited.seconds;
  const ceiling = 60 / 6 / cin7CallsPerInvoice;
  const throughputRatio = throughput / ceiling;
  say(
    `  backfill with Cin7 at 60 calls per 6 s: ${throughput.toFixed(2)} invoices/s of a ${ceiling.toFixed(2)}/s ceiling (ratio ${throughputRatio.toFixed(3)}); Cin7 ${limited.cin7Calls} calls`,
  );

  const webhook = await webhookLatency(webhookCalls);
  say(
    `  webhook handler (request → 202, in process): p50 ${webhook.p50.toFixed(3)} ms, p99 ${webhook.p99.toFixed(3)} ms`,
  );

  const e2eP50Ms = await endToEnd(azurite.connectionString, 25);
  say(`  webhook receipt → posted (one at a time): p50 ${e2eP50Ms.toFixed(1)} ms`);

  const shared = await runInstances({
    azuriteConnectionString: azurite.connectionString,
    instances: 4,
    limit: 60,
    windowMs: 6_000,
    durationMs: 14_000,
  });
  const cin7StorageCallsPerCall = shared.storageCalls / shared.requests;
  say(
    `  4 instances in separate processes, one shared Cin7 budget (60 per minute scaled to 60 per 6 s): peak ${shared.peak} calls in any sliding window, ${shared.throttled} throttled, ${shared.requests} calls, ${cin7StorageCallsPerCall.toFixed(2)} storage round trips per call`,
  );

  const { coldStartMs, baselineColdStartMs } = measureColdStart();

  const figures = {
    cin7CallsPerInvoice: round(cin7CallsPerInvoice, 3),
    bcCallsPerInvoice: round(bcCallsPerInvoice, 3),
    bcBatchOperationsPerInvoice: round(bcBatchOperationsPerInvoice, 3),
    cin7CallsPerMemo: round(cin7CallsPerMemo, 3),
    cin7CallsPerMemoBeyondPurchaseRead: round(cin7CallsPerMemoBeyondRead, 3),
    bcCallsPerMemo: round(bcCallsPerMemo, 3),
    bcCallsPerInvoiceWithDefaultDimensions: round(bcCallsPerInvoiceWithDefaultDimensions, 3),
    throughputRatio: round(throughputRatio, 3),
    cpuMsPerInvoice: round(cpuMsPerInvoice, 1),
    resyncCin7CallsPerPurchase: round(resyncCin7CallsPerPurchase, 3),
    webhookP50Ms: round(webhook.p50, 3),
    webhookP99Ms: round(webhook.p99, 3),
    e2eP50Ms: round(e2eP50Ms, 1),
    coldStartMs: round(coldStartMs, 1),
    baselineColdStartMs: round(baselineColdStartMs, 1),
    peakRssMb: round(Math.max(calls.peakRssMb, withDefaults.peakRssMb, limited.peakRssMb), 0),
    cin7PeakCallsPerMinute: shared.peak,
    cin7ThrottledAcrossInstances: shared.throttled,
    cin7StorageCallsPerCall: round(cin7StorageCallsPerCall, 2),
    purchases,
    node: process.version,
  };
  say(JSON.stringify(figures));
} finally {
  await azurite.stop();
}
