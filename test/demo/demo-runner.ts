/**
 * Runs the demo scenario end to end against the sandbox: seed, run the connector's setup (Cin7 webhooks with
 * its own Cin7 client, BC subscriptions on vendors and items pointing at the real notification function),
 * fire the invoice webhooks at the real webhook function, poll once to backfill, wait for the in-process
 * session queue to settle, then run the master-data act (`master-data.ts`), read the ledger, BC and Cin7, and
 * compare with the scenario's expectation.
 *
 * Shared by `run-demo.ts` (the `npm run demo` command) and `demo.test.ts` (the same run in CI).
 */
import { startSandbox, type Sandbox } from '../sandbox/sandbox.js';
import { runReturns, type ReturnsResult } from './returns.js';
import { finalLedgerStates } from '../support/final-states.js';
import type { SimulatedSystem } from '../sandbox/faults.js';
import { str, type Row } from '../sandbox/bc/odata-query.js';
import { pollCin7Purchases, type PollResult } from '../../src/sync/purchase/poll-cin7.js';
import { setupCin7Webhooks, type Cin7WebhookReport } from '../../src/sync/subscriptions/cin7-webhooks.js';
import type { LedgerEntry, LedgerState } from '../../src/core/ports/stores.js';
import type { MemorySessionQueueStats } from '../../src/queue/memory-session-queue.js';
import type { LogSink } from '../../src/telemetry/logger.js';
import {
  buildScenario,
  expectedDimensions,
  keptDefaultDimensions,
  gapKey,
  seedScenario,
  type ExpectedOutcome,
  type PlannedPurchase,
  type SeededScenario,
} from './scenario.js';
import {
  buildMasterDataPlan,
  masterDataEnv,
  runMasterData,
  seedMasterData,
  startNotificationEndpoint,
  subscribeToBc,
  type MasterDataResult,
} from './master-data.js';

/** The demo scales Cin7's 60 calls per minute to 60 per second, so 200+ purchases take seconds, not minutes. */
export const demoCin7RateLimit = { limit: 60, windowMs: 1000 } as const;

export interface DemoOptions {
  purchases: number;
  seed: number;
  /** Reuse an Azurite (tests); otherwise the sandbox starts its own, in memory. */
  azuriteConnectionString?: string;
  /** Where the connector's log lines go (they are also kept in memory by the sandbox). */
  logSink?: LogSink;
  onProgress?: (progress: DemoProgress) => void;
  /** How often `onProgress` is called (default 500 ms). */
  progressIntervalMs?: number;
  /** Told when a phase starts (`seeding`, `setup`, `webhooks`, `poll`, `settling`, `master-data` once per step, `checking`). */
  onPhase?: (phase: DemoPhase, detail: string) => void;
  /** Purchases are dated in the weeks before this day (default today). */
  today?: Date;
  /** Called with the finished run while everything still runs (`--console` serves the console from here). */
  afterRun?: (sandbox: Sandbox, result: DemoResult) => Promise<void>;
  /** Called with the sandbox before it closes, so a test can inspect everything the run left behind. */
  beforeClose?: (sandbox: Sandbox) => Promise<void>;
}

export type DemoPhase =
  'starting' | 'seeding' | 'setup' | 'webhooks' | 'poll' | 'settling' | 'master-data' | 'checking' | 'returns';

export interface DemoProgress {
  phase: DemoPhase;
  elapsedMs: number;
  webhooksFired: number;
  webhooksPlanned: number;
  queue: MemorySessionQueueStats;
  /** Purchase-invoice records by their current ledger state. */
  states: Partial<Record<LedgerState, number>>;
  apiCalls: Record<SimulatedSystem, number>;
}

export interface OutcomeRecord {
  label: string;
  recordId: string;
  reason: string;
}

export interface DemoOutcome {
  records: number;
  posted: number;
  skipped: Record<string, number>;
  needsMapping: number;
  /** Gap key → records listing it, with the full text the connector gave. */
  gaps: Record<string, { records: number; text: string }>;
  amountMismatch: OutcomeRecord[];
  failed: OutcomeRecord[];
  diverged: OutcomeRecord[];
  /** Records left in a non-final state (`pending`, `creating`, `created`): must be none. */
  unfinished: OutcomeRecord[];
}

export interface DemoResult {
  seeded: SeededScenario;
  expected: ExpectedOutcome;
  actual: DemoOutcome;
  /** Human-readable differences from the expectation and failed checks; empty when the run is as expected. */
  differences: string[];
  checks: {
    /** Vendor + vendor invoice number pairs with more than one BC invoice. */
    duplicateVendorInvoiceNumbers: string[];
    /** BC lines whose dimensions are not the ones the rules give. */
    dimensionProblems: string[];
    /** Currency or tax-inclusive flags that do not match the supplier. */
    headerProblems: string[];
    linesChecked: number;
  };
  webhooks: { fired: number; accepted: number; rejected: number };
  /** What the connector's setup did: Cin7 webhooks registered, BC subscriptions created. */
  setup: { cin7Webhooks: Cin7WebhookReport[] };
  poll: PollResult;
  queue: MemorySessionQueueStats;
  deadLettered: number;
  apiCalls: Record<SimulatedSystem, number>;
  /** Cin7 answers 429/503 (rate limit) seen by the connector. */
  cin7Throttled: number;
  bc: { invoices: number; posted: number; drafts: number };
  /** The master-data act after the invoices: suppliers → vendors, items → products, a vendor edit → supplier. */
  masterData: MasterDataResult;
  /** Supplier credit notes recorded after the invoices settled (`returns.ts`). */
  returns: ReturnsResult;
  timings: { startMs: number; seedMs: number; runMs: number; masterMs: number; checkMs: number; totalMs: number };
  logs: { lines: number; warnings: number; errors: number };
  ledger: LedgerEntry[];
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const t0 = Date.now();
  let phase: DemoPhase = 'starting';
  const setPhase = (next: DemoPhase, detail = '') => {
    phase = next;
    options.onPhase?.(next, detail);
  };
  setPhase('starting', 'simulators, Azurite and the connector');
  const sandbox = await startSandbox({
    seed: options.seed,
    cin7RateLimit: demoCin7RateLimit,
    // The specialty-foods distributor keeps its books in a W1 (VAT/GST) company; the tax tests cover NA too.
    taxModel: 'W1',
    // The master-data settings a partner sets: Cin7's required supplier and product fields, the vendor owner.
    env: masterDataEnv,
    ...(options.azuriteConnectionString !== undefined
      ? { azuriteConnectionString: options.azuriteConnectionString }
      : {}),
    ...(options.logSink ? { logSink: options.logSink } : {}),
  });
  let endpoint: Awaited<ReturnType<typeof startNotificationEndpoint>> | undefined;
  try {
    const tStarted = Date.now();
    setPhase('seeding', `${options.purchases} purchases, seed ${options.seed}`);
    const scenario = buildScenario({
      purchases: options.purchases,
      seed: options.seed,
      ...(options.today ? { today: options.today } : {}),
    });
    const seeded = await seedScenario(sandbox, scenario);
    const masterPlan = buildMasterDataPlan(scenario.products);
    await seedMasterData(sandbox, masterPlan);
    const tSeeded = Date.now();

    const states = trackStates(sandbox);
    let webhooksFired = 0;
    const report = () =>
      options.onProgress?.({
        phase,
        elapsedMs: Date.now() - tSeeded,
        webhooksFired,
        webhooksPlanned: seeded.deliveries.length,
        queue: sandbox.queue.stats(),
        states: states(),
        apiCalls: apiCalls(sandbox),
      });
    const ticker = options.onProgress ? setInterval(report, options.progressIntervalMs ?? 500) : undefined;
    let poll: PollResult;
    let cin7Webhooks: Cin7WebhookReport[] = [];
    let subscriptions: Awaited<ReturnType<typeof subscribeToBc>> = [];
    const webhooks = { fired: 0, accepted: 0, rejected: 0 };
    try {
      // The connector's setup, as a partner runs it: Cin7 webhooks (invoice, purchase and supplier changes)
      // through the connector's own Cin7 client (reference §7.1: Bearer auth), and BC subscriptions on vendors
      // and items pointing at the real notification function.
      setPhase('setup', 'Cin7 webhooks and BC subscriptions');
      cin7Webhooks = await setupCin7Webhooks(sandbox.deps, {
        webhookUrl: sandbox.webhookUrl,
        secret: await sandbox.runtime.getWebhookSecret(),
      });
      endpoint = await startNotificationEndpoint(sandbox);
      subscriptions = await subscribeToBc(sandbox, endpoint);
      setPhase('webhooks', `${seeded.deliveries.length} deliveries`);
      for (const delivery of seeded.deliveries) {
        const results = await sandbox.cin7.deliverWebhooks(delivery.event);
        for (const result of results) {
          webhooks.fired += 1;
          if (result.ok) webhooks.accepted += 1;
          else webhooks.rejected += 1;
        }
        webhooksFired += 1;
      }
      setPhase('poll', 'backfilling from purchaseList');
      poll = await pollCin7Purchases(sandbox.deps);
      setPhase('settling', 'waiting for the queue to drain');
      await sandbox.settle();
    } finally {
      if (ticker) clearInterval(ticker);
    }
    report();
    const tRun = Date.now();

    const masterData = await runMasterData(sandbox, masterPlan, subscriptions, {
      onStep: (detail) => setPhase('master-data', detail),
    });
    const tMaster = Date.now();

    setPhase('checking', 'reading the ledger and BC');
    const ledger = await sandbox.ledger('purchase-invoice');
    const actual = summarise(ledger);
    const checks = checkBc(sandbox, seeded, ledger);
    const bcRows = sandbox.bc.data.purchaseInvoices.all();
    const bc = {
      invoices: bcRows.length,
      posted: bcRows.filter((r) => r['status'] !== 'Draft').length,
      drafts: bcRows.filter((r) => r['status'] === 'Draft').length,
    };
    const queue = sandbox.queue.stats();
    const differences = compare(scenario.expected, actual, bc.invoices);
    for (const problem of [
      ...checks.duplicateVendorInvoiceNumbers,
      ...checks.dimensionProblems,
      ...checks.headerProblems,
    ])
      differences.push(problem);
    if (webhooks.rejected > 0)
      differences.push(`${webhooks.rejected} webhook deliveries were rejected by the webhook function`);
    differences.push(...masterData.differences);
    // Returns come after the invoices are counted: the operator's mapping for the parked invoice changes its outcome.
    setPhase('returns', 'supplier credit notes');
    const returns = await runReturns(sandbox, seeded);
    differences.push(...returns.differences);
    if (sandbox.queue.deadLetters.length > 0)
      differences.push(`${sandbox.queue.deadLetters.length} message(s) dead-lettered`);
    const tChecked = Date.now();
    const result: DemoResult = {
      seeded,
      expected: scenario.expected,
      actual,
      differences,
      checks,
      webhooks,
      setup: { cin7Webhooks },
      poll,
      queue,
      deadLettered: sandbox.queue.deadLetters.length,
      apiCalls: apiCalls(sandbox),
      cin7Throttled:
        sandbox.faults.count({ system: 'cin7', status: 429 }) + sandbox.faults.count({ system: 'cin7', status: 503 }),
      bc,
      masterData,
      returns,
      timings: {
        startMs: tStarted - t0,
        seedMs: tSeeded - tStarted,
        runMs: tRun - tSeeded,
        masterMs: tMaster - tRun,
        checkMs: tChecked - tMaster,
        totalMs: tChecked - t0,
      },
      logs: {
        lines: sandbox.logs.length,
        warnings: sandbox.logs.filter((l) => l.level === 'warn').length,
        errors: sandbox.logs.filter((l) => l.level === 'error').length,
      },
      ledger,
    };
    await options.afterRun?.(sandbox, result);
    return result;
  } finally {
    await endpoint?.close();
    try {
      await options.beforeClose?.(sandbox);
    } finally {
      await sandbox.close();
    }
  }
}

function apiCalls(sandbox: Sandbox): Record<SimulatedSystem, number> {
  return {
    cin7: sandbox.faults.count({ system: 'cin7' }),
    bc: sandbox.faults.count({ system: 'bc' }),
    token: sandbox.faults.count({ system: 'token' }),
  };
}

/** Current state per purchase-invoice record, from the connector's `ledger.transition` events (cheap to read). */
function trackStates(sandbox: Sandbox): () => Partial<Record<LedgerState, number>> {
  const latest = new Map<string, LedgerState>();
  let seen = 0;
  return () => {
    const events = sandbox.telemetry.events;
    for (; seen < events.length; seen++) {
      const event = events[seen];
      if (event?.name !== 'ledger.transition' || event.properties['recordType'] !== 'purchase-invoice') continue;
      const recordId = event.properties['recordId'];
      const state = event.properties['state'] as LedgerState | undefined;
      if (recordId && state) latest.set(recordId, state);
    }
    const counts: Partial<Record<LedgerState, number>> = {};
    for (const state of latest.values()) counts[state] = (counts[state] ?? 0) + 1;
    return counts;
  };
}

function summarise(ledger: readonly LedgerEntry[]): DemoOutcome {
  const outcome: DemoOutcome = {
    records: ledger.length,
    posted: 0,
    skipped: {},
    needsMapping: 0,
    gaps: {},
    amountMismatch: [],
    failed: [],
    diverged: [],
    unfinished: [],
  };
  for (const entry of ledger) {
    const record: OutcomeRecord = {
      label: entry.label ?? entry.recordId,
      recordId: entry.recordId,
      reason: entry.reason ?? '',
    };
    switch (entry.state) {
      case 'posted':
        outcome.posted += 1;
        break;
      case 'skipped': {
        const reason = entry.reason ?? '(no reason)';
        outcome.skipped[reason] = (outcome.skipped[reason] ?? 0) + 1;
        break;
      }
      case 'needs-mapping':
        outcome.needsMapping += 1;
        for (const gap of entry.missing ?? []) {
          const key = gapKey(gap);
          const current = outcome.gaps[key];
          outcome.gaps[key] = { records: (current?.records ?? 0) + 1, text: current?.text ?? gap };
        }
        break;
      case 'amount-mismatch':
        outcome.amountMismatch.push(record);
        break;
      case 'failed':
        outcome.failed.push(record);
        break;
      case 'diverged':
        outcome.diverged.push(record);
        break;
      default:
        if (!finalLedgerStates.includes(entry.state))
          outcome.unfinished.push({ ...record, reason: `${entry.state}${entry.reason ? `: ${entry.reason}` : ''}` });
    }
  }
  return outcome;
}

function compare(expected: ExpectedOutcome, actual: DemoOutcome, bcInvoices: number): string[] {
  const differences: string[] = [];
  const check = (what: string, want: number, got: number) => {
    if (want !== got) differences.push(`${what}: expected ${want}, got ${got}`);
  };
  check('ledger records', expected.records, actual.records);
  check('posted', expected.posted, actual.posted);
  for (const reason of new Set([...Object.keys(expected.skipped), ...Object.keys(actual.skipped)])) {
    check(`skipped (${reason})`, expected.skipped[reason] ?? 0, actual.skipped[reason] ?? 0);
  }
  check('needs-mapping', expected.needsMapping, actual.needsMapping);
  for (const gap of new Set([...Object.keys(expected.gaps), ...Object.keys(actual.gaps)])) {
    check(`records with gap ${gap}`, expected.gaps[gap] ?? 0, actual.gaps[gap]?.records ?? 0);
  }
  check('amount-mismatch', expected.amountMismatch, actual.amountMismatch.length);
  check('failed', expected.failed, actual.failed.length);
  check('diverged', expected.diverged, actual.diverged.length);
  check('records not in a final state', 0, actual.unfinished.length);
  check('BC purchase invoices', expected.bcInvoices, bcInvoices);
  return differences;
}

/** Invariant checks on what BC holds: one invoice per vendor invoice number, and every line fully coded. */
function checkBc(sandbox: Sandbox, seeded: SeededScenario, ledger: readonly LedgerEntry[]): DemoResult['checks'] {
  const data = sandbox.bc.data;
  const invoices = data.purchaseInvoices.all();
  const byKey = new Map<string, number>();
  for (const invoice of invoices) {
    const key = `${str(invoice['vendorNumber'])} / ${str(invoice['vendorInvoiceNumber'])}`;
    byKey.set(key, (byKey.get(key) ?? 0) + 1);
  }
  const duplicateVendorInvoiceNumbers = [...byKey]
    .filter(([, n]) => n > 1)
    .map(([key, n]) => `duplicate BC invoices for vendor / vendor invoice number ${key}: ${n}`);

  const planById = new Map<string, PlannedPurchase>();
  for (const { plan, sim } of seeded.purchases.values()) planById.set(sim.ID.toLowerCase(), plan);
  const linesByDocument = new Map<string, Row[]>();
  for (const line of data.purchaseInvoiceLines.all()) {
    const documentId = str(line['documentId']);
    linesByDocument.set(documentId, [...(linesByDocument.get(documentId) ?? []), line]);
  }
  const dimensionProblems: string[] = [];
  const headerProblems: string[] = [];
  let linesChecked = 0;
  for (const entry of ledger) {
    if (!entry.targetId) continue;
    const plan = planById.get(entry.recordId.split('/')[0] ?? '');
    const invoice = data.purchaseInvoices.get(entry.targetId);
    if (!plan || !invoice) continue;
    const label = entry.label ?? entry.recordId;
    const wantEur = plan.supplier.currency === 'EUR';
    if ((invoice['currencyCode'] === 'EUR') !== wantEur)
      headerProblems.push(
        `${label}: BC currency ${str(invoice['currencyCode'])}, supplier currency ${plan.supplier.currency ?? 'USD'}`,
      );
    if ((invoice['pricesIncludeTax'] === true) !== (plan.supplier.taxInclusive === true))
      headerProblems.push(`${label}: BC pricesIncludeTax ${str(invoice['pricesIncludeTax'])}`);
    const wanted = { ...keptDefaultDimensions(plan), ...expectedDimensions(plan) };
    for (const line of linesByDocument.get(entry.targetId) ?? []) {
      linesChecked += 1;
      const dims = new Map(
        (data.dimensionSetLines.get(str(line['id'])) ?? []).map((d) => [str(d['code']), str(d['valueCode'])]),
      );
      for (const [code, value] of Object.entries(wanted)) {
        if (dims.get(code) !== value)
          dimensionProblems.push(
            `${label} line ${str(line['sequence'])}: ${code}=${dims.get(code) ?? '(none)'}, expected ${value}`,
          );
      }
    }
  }
  return { duplicateVendorInvoiceNumbers, dimensionProblems, headerProblems, linesChecked };
}
