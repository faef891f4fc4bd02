/**
 * The chaos suite (issue 6): a seeded scenario of every purchase shape run through the whole connector while
 * everything around it misbehaves, then checked against invariants 1 and 4.
 *
 * - Cin7 announces purchases 1–3 times per webhook in random order, polls overlap, random records are
 *   replayed while their first run is still in flight.
 * - Every simulator endpoint (Cin7, BC, Entra) throttles (429/503, with and without Retry-After), fails
 *   with 5xx, drops connections and has latency spikes; BC creates and posts commit but lose their answer;
 *   tokens expire under the connector's feet.
 * - Workers crash between any two steps and Service Bus redelivers (`worker-crashes.ts`).
 *
 * Afterwards: no BC invoice twice for one vendor + vendor invoice number, every record in a visible final
 * state, every eligible invoice posted or failed with a reason, nothing dead-lettered.
 *
 * `runChaos()` is used by `run-chaos.ts` (`npm run test:chaos -- --purchases 500 --seed 42`) and by
 * `chaos.test.ts` at CI size.
 */
import { pollCin7Purchases } from '../../src/sync/purchase/poll-cin7.js';
import { replayRecord } from '../../src/sync/jobs/replay.js';
import type { LedgerEntry, LedgerState } from '../../src/core/ports/stores.js';
import { finalLedgerStates } from '../support/final-states.js';
import { str, type Row } from '../sandbox/bc/odata-query.js';
import { FaultControl, seededRandom, type FaultKind, type SimulatedSystem } from '../sandbox/faults.js';
import { startSandbox, type Sandbox } from '../sandbox/sandbox.js';
import { planChaos, seedChaos, shuffle, type ExpectedRecord } from './chaos-scenario.js';
import { installCrashingWorker, type CrashRecord } from './worker-crashes.js';
import { emptyMischief, makeMischief, type MischiefLog } from './mischief.js';
import { createMemoryVault } from '../support/memory-vault.js';

export interface ChaosOptions {
  purchases: number;
  seed: number;
  /** An Azurite to share (tests); otherwise one is started. */
  azuriteConnectionString?: string;
  /** Chance that a worker delivery crashes (default 0.08). */
  crashProbability?: number;
  /** Progress lines while running. */
  onProgress?: (line: string) => void;
}

export interface ChaosFailedRecord {
  label: string;
  recordId: string;
  reason: string;
  attempts: number;
}

export interface ChaosReport {
  seed: number;
  purchases: number;
  /** Planned ledger records (one per invoice, one per purchase without invoices). */
  expectedRecords: number;
  /** Invoices AUTHORISED or PAID. */
  eligibleInvoices: number;
  /** Of those, the ones planned to post (the others park as needs-mapping or amount-mismatch). */
  expectedPosted: number;
  ledgerStates: Partial<Record<LedgerState, number>>;
  bcInvoices: { total: number; posted: number; drafts: number };
  /** `vendor / vendor invoice number: count` for every key held by more than one BC invoice. */
  duplicates: string[];
  /** BC purchase credit memos, and `vendor / credit memo number: count` for every key held by more than one. */
  bcMemos: { total: number; posted: number; drafts: number };
  duplicateMemos: string[];
  notFinal: Array<{ label: string; state: string; reason: string }>;
  failed: ChaosFailedRecord[];
  /** Records whose state differs from the plan other than by failing visibly. */
  unexpected: string[];
  /** BC drafts no ledger record points at (target or open attempt): left behind, invisible to operators. */
  orphanDrafts: string[];
  mischief: { remaps: number; edits: number; removals: number; secretRotations: number };
  apiCalls: Record<SimulatedSystem, number> & { bcBatchOperations: number };
  faultsInjected: Partial<Record<FaultKind, number>>;
  worker: { deliveries: number; crashes: number; redeliveries: number; retriesScheduled: number; deadLettered: number };
  triggers: {
    webhookDeliveries: number;
    webhooksRejected: number;
    polls: number;
    pollsFailed: number;
    replays: number;
    tokenExpiries: number;
  };
  durationMs: number;
  /** Everything that breaks an invariant; empty when the run passed. */
  problems: string[];
}

/** Fault rules on every endpoint of every simulator. Rates keep the outcome assertable: few records fail. */
export function chaosFaults(faults: FaultControl): void {
  for (const system of ['cin7', 'bc'] as const) {
    faults
      .add({ system, kind: 'throttle', probability: 0.03, retryAfterSeconds: 1 })
      .add({ system, kind: 'throttle', probability: 0.02, status: 503, retryAfterSeconds: 0 })
      .add({ system, kind: 'throttle-no-retry-after', probability: 0.03 })
      .add({ system, kind: 'latency', probability: 0.02, latencyMs: 150 })
      .add({ system, method: 'GET', kind: 'server-error', probability: 0.02 })
      .add({ system, method: 'GET', kind: 'drop-connection', probability: 0.01 });
  }
  faults
    // Cin7's quirks: an error body or an HTML page with HTTP 200.
    .add({ system: 'cin7', kind: 'error-body-200', probability: 0.005 })
    // BC writes: 5xx, dropped before arrival, committed but the answer lost (DESIGN §3.1).
    .add({ system: 'bc', method: 'POST', path: /\/purchaseInvoices$/, kind: 'lost-response', probability: 0.04 })
    .add({ system: 'bc', method: 'POST', path: /\/purchaseInvoices$/, kind: 'server-error', probability: 0.02 })
    .add({ system: 'bc', method: 'POST', path: /\/purchaseInvoices$/, kind: 'drop-connection', probability: 0.01 })
    .add({
      system: 'bc',
      method: 'POST',
      path: /(Microsoft\.NAV\.post|\/\$batch)$/,
      kind: 'lost-response',
      probability: 0.04,
    })
    .add({
      system: 'bc',
      method: 'POST',
      path: /(Microsoft\.NAV\.post|\/\$batch)$/,
      kind: 'server-error',
      probability: 0.02,
    })
    .add({
      system: 'bc',
      method: 'POST',
      path: /(Microsoft\.NAV\.post|\/\$batch)$/,
      kind: 'drop-connection',
      probability: 0.01,
    })
    // Slow look-ups that outlast the create lease (2 s at 20x speed), so claims are overtaken mid-flight.
    .add({
      system: 'bc',
      method: 'GET',
      path: /\/purchaseInvoices$/,
      kind: 'latency',
      probability: 0.05,
      latencyMs: 400,
    })
    // Entra: throttled and failing token requests.
    .add({ system: 'token', kind: 'throttle', probability: 0.05, retryAfterSeconds: 0 })
    .add({ system: 'token', kind: 'server-error', probability: 0.05 });
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const progress = options.onProgress ?? (() => undefined);
  const random = seededRandom(options.seed ^ 0xc4a05);
  const faults = new FaultControl(options.seed);
  // Secrets come from a vault stand-in, so the mischief can rotate them mid-run.
  const vault = createMemoryVault();
  const sandbox: Sandbox = await startSandbox({
    vault,
    seed: options.seed,
    faults,
    ...(options.azuriteConnectionString !== undefined
      ? { azuriteConnectionString: options.azuriteConnectionString }
      : {}),
    // Cin7 scaled to 60 calls/s, and the connector's clock 20x fast so its backoffs, Retry-After waits,
    // leases and scheduled retries take seconds, not minutes (as in the throttle-storm test).
    cin7RateLimit: { limit: 60, windowMs: 1000 },
    speed: 20,
    maxConcurrentSessions: 16,
    // Tokens are invalidated every 400 ms below. Under 5 minutes of lifetime, MSAL inside @azure/identity
    // does not serve its cached token on a refresh; with a 1 h token it does, and a 401 becomes an AuthError
    // (reported to the token provider's owner; see the issue 6 report).
    tokenLifetimeSeconds: 240,
    env: { MAX_ATTEMPTS: '10' },
    // A crashed creator's lease must lapse well inside the retries of the message that waits for it.
    sync: { createLeaseMs: 2000, retryBaseMs: 100, retryMaxMs: 3000 },
  });
  try {
    const plan = planChaos({ purchases: options.purchases, seed: options.seed });
    const seeded = seedChaos(sandbox, plan);
    const crashes: CrashRecord[] = await installCrashingWorker(sandbox, {
      random,
      probability: options.crashProbability ?? 0.08,
    });
    chaosFaults(faults);
    faults.resetCounts();
    progress(
      `seed ${options.seed}: ${plan.purchases.length} purchases, ${seeded.records.length} records, ${seeded.deliveries.length} webhook deliveries`,
    );

    const triggers = {
      webhookDeliveries: 0,
      webhooksRejected: 0,
      polls: 0,
      pollsFailed: 0,
      replays: 0,
      tokenExpiries: 0,
    };
    const mischief = emptyMischief();
    let pollSucceeded = false;
    const poll = async (): Promise<void> => {
      triggers.polls += 1;
      try {
        await pollCin7Purchases(sandbox.deps);
        pollSucceeded = true;
      } catch {
        // Overlapping polls race for the watermark (ETag) and Cin7 faults can outlast the retries; later polls cover it.
        triggers.pollsFailed += 1;
      }
    };
    const tokenTimer = setInterval(() => {
      sandbox.entra.expireAllTokens();
      triggers.tokenExpiries += 1;
    }, 400);
    try {
      // Webhooks from 6 concurrent senders; two polls overlapping them and each other.
      const senders = Array.from({ length: 6 }, async (_, sender) => {
        for (let i = sender; i < seeded.deliveries.length; i += 6) {
          const event = seeded.deliveries[i];
          if (event === undefined) continue;
          const results = await sandbox.cin7.deliverWebhooks(event);
          triggers.webhookDeliveries += results.length;
          triggers.webhooksRejected += results.filter((r) => !r.ok).length;
        }
      });
      const polls = [poll(), new Promise<void>((resolve) => setTimeout(resolve, 30)).then(poll)];
      await Promise.all([...senders, ...polls]);
      progress(
        `webhooks delivered (${triggers.webhookDeliveries}), polls run (${triggers.polls}); replaying and settling`,
      );

      // Replays of random records (about 5 %) in waves while the first runs are still in flight, remaps, edits
      // and deletions in Cin7 between create and post, then one more poll.
      for (let wave = 0; wave < 5; wave += 1) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        await makeMischief(sandbox, seeded.purchases, mischief, random, vault);
        const ledgerSoFar = await sandbox.ledger('purchase-invoice');
        for (const entry of shuffle(ledgerSoFar, random).slice(0, Math.ceil(seeded.records.length * 0.01))) {
          await replayRecord('purchase-invoice', entry.recordId, sandbox.deps);
          triggers.replays += 1;
        }
      }
      await poll();
      await sandbox.settle();
      // If every poll lost to faults, the timer's next run is what backfills the poll-only purchases.
      for (let i = 0; i < 8 && !pollSucceeded; i += 1) await poll();
      await sandbox.settle();
    } finally {
      clearInterval(tokenTimer);
    }
    progress('settled; checking');
    // Invoice and credit note records share the purchaseId/taskId form; their task ids never collide.
    const ledger = [...(await sandbox.ledger('purchase-invoice')), ...(await sandbox.ledger('purchase-credit-note'))];
    // Edited and deleted invoices are announced as Cin7 would (Purchase/Updated), so they are processed again.
    return buildReport(sandbox, options, seeded.records, ledger, crashes, triggers, mischief, Date.now() - started);
  } finally {
    await sandbox.close();
  }
}

function buildReport(
  sandbox: Sandbox,
  options: ChaosOptions,
  records: ExpectedRecord[],
  ledger: LedgerEntry[],
  crashes: CrashRecord[],
  triggers: ChaosReport['triggers'],
  mischief: MischiefLog,
  durationMs: number,
): ChaosReport {
  const problems: string[] = [];
  const byId = new Map(ledger.map((e) => [e.recordId, e]));

  const ledgerStates: Partial<Record<LedgerState, number>> = {};
  for (const entry of ledger) ledgerStates[entry.state] = (ledgerStates[entry.state] ?? 0) + 1;

  const bcRows = sandbox.bc.data.purchaseInvoices.all();
  const byKey = new Map<string, number>();
  for (const row of bcRows) {
    const key = `${str(row['vendorNumber'])} / ${str(row['vendorInvoiceNumber'])}`;
    byKey.set(key, (byKey.get(key) ?? 0) + 1);
  }
  const duplicates = [...byKey].filter(([, n]) => n > 1).map(([key, n]) => `${key}: ${n}`);
  if (duplicates.length > 0)
    problems.push(
      `I1: ${duplicates.length} vendor invoice number(s) held by more than one BC invoice: ${duplicates.join('; ')}`,
    );

  const memoRows = sandbox.bc.data.purchaseCreditMemos.all();
  const duplicateMemos = duplicateKeys(memoRows, 'vendorCreditMemoNumber');
  if (duplicateMemos.length > 0)
    problems.push(
      `I1: ${duplicateMemos.length} credit memo number(s) held by more than one BC memo: ${duplicateMemos.join('; ')}`,
    );

  const notFinal = ledger
    .filter((e) => !finalLedgerStates.includes(e.state))
    .map((e) => ({ label: e.label ?? e.recordId, state: e.state, reason: e.reason ?? '' }));
  if (notFinal.length > 0) problems.push(`I4: ${notFinal.length} record(s) not in a final visible state`);

  const failed = ledger
    .filter((e) => e.state === 'failed')
    .map((e) => ({ label: e.label ?? e.recordId, recordId: e.recordId, reason: e.reason ?? '', attempts: e.attempts }));
  for (const f of failed) if (f.reason.trim() === '') problems.push(`I4: ${f.label} failed without a reason`);
  // Only rotations refuse credentials here, and the clients re-read a rotated secret: an auth failure is a bug.
  const authFailures = failed.filter((f) => /^auth\b/.test(f.reason));
  if (authFailures.length > 0)
    problems.push(
      `${authFailures.length} record(s) failed on auth after ${mischief.secretRotations} secret rotation(s)`,
    );

  // Every planned record: its planned state, or failed visibly. A purchase that could not be read at all is
  // failed on its purchase-level record (`…/-`), which covers its invoices.
  const unexpected: string[] = [];
  const planned = new Set(records.map((r) => r.recordId));
  for (const record of records) {
    const entry = byId.get(record.recordId) ?? undefined;
    if (entry === undefined) {
      // An invoice deleted in Cin7 before the connector first saw it leaves nothing to record.
      if (mischief.removed.has(record.recordId)) continue;
      const purchaseLevel = byId.get(`${record.purchaseId}/-`);
      if (purchaseLevel?.state === 'failed' && (purchaseLevel.reason ?? '') !== '') continue;
      problems.push(`I4: ${record.label} (${record.shape}, expected ${record.expect}) has no ledger record`);
      continue;
    }
    if (entry.state === record.expect || entry.state === 'failed') continue;
    // A credit note follows the invoice it credits: one edited, removed or remapped mid-flight may post it unapplied,
    // keep it waiting, or make BC refuse it (visibly).
    const credited = record.creditNote?.credits;
    if (credited !== undefined && (mischief.edited.has(credited) || mischief.removed.has(credited))) continue;
    // A credit note whose invoice failed visibly waits for it, as it should, until that invoice is replayed.
    if (credited !== undefined && entry.state === 'needs-mapping' && byId.get(credited)?.state === 'failed') continue;
    if (mischief.edited.has(record.recordId) && (entry.state === 'posted' || entry.state === 'diverged')) continue;
    if (mischief.removed.has(record.recordId) && (entry.state === 'skipped' || entry.state === 'diverged')) continue;
    unexpected.push(
      `${record.label} (${record.shape}): expected ${record.expect}, got ${entry.state}${entry.reason ? ` (${entry.reason})` : ''}`,
    );
  }
  const purchasesWithRemovals = new Set([...mischief.removed].map((id) => id.split('/')[0]));
  for (const entry of ledger) {
    if (planned.has(entry.recordId)) continue;
    // A purchase whose only invoice was deleted in Cin7 before the connector first read it has no invoice yet.
    const [purchaseId, task] = entry.recordId.split('/');
    if (task === '-' && entry.state === 'skipped' && purchasesWithRemovals.has(purchaseId)) continue;
    // A purchase-level row appears only when a purchase could not be read; it must be visible and final.
    if (entry.state !== 'failed')
      unexpected.push(`${entry.label ?? entry.recordId}: unplanned record in state ${entry.state}`);
  }
  if (unexpected.length > 0) problems.push(`${unexpected.length} record(s) ended in an unplanned state`);

  // Posted in the ledger ⇔ posted in BC, once.
  // A diverged record still names the posted invoice it disagrees with.
  const postedIds = new Set(
    ledger.filter((e) => e.state === 'posted' || e.state === 'diverged').map((e) => e.targetId),
  );
  for (const entry of ledger.filter((e) => e.state === 'posted')) {
    const table =
      entry.recordType === 'purchase-credit-note'
        ? sandbox.bc.data.purchaseCreditMemos
        : sandbox.bc.data.purchaseInvoices;
    const row = entry.targetId ? table.get(entry.targetId) : undefined;
    if (row === undefined || row['status'] === 'Draft')
      problems.push(`I1: ${entry.label ?? entry.recordId} is posted in the ledger but not in BC`);
  }
  const postedInBc = bcRows.filter((r) => r['status'] !== 'Draft');
  const postedMemos = memoRows.filter((r) => r['status'] !== 'Draft');
  for (const row of postedMemos) {
    if (!postedIds.has(str(row['id'])))
      problems.push(`I4: BC credit memo ${str(row['number'])} is posted but no ledger record says so`);
  }
  for (const row of postedInBc) {
    if (!postedIds.has(str(row['id'])))
      problems.push(
        `I4: BC invoice ${str(row['number'])} (${str(row['vendorInvoiceNumber'])}) is posted but no ledger record says so`,
      );
  }

  const owned = new Set<string>();
  for (const entry of ledger) {
    if (entry.targetId) owned.add(entry.targetId);
    for (const key of entry.openAttempts ?? []) {
      for (const row of bcRows)
        if (row['vendorNumber'] === key.vendorNumber && row['vendorInvoiceNumber'] === key.vendorInvoiceNumber)
          owned.add(str(row['id']));
    }
  }
  for (const entry of ledger.filter((e) => e.recordType === 'purchase-credit-note')) {
    for (const key of entry.openAttempts ?? []) {
      for (const row of memoRows)
        if (row['vendorNumber'] === key.vendorNumber && row['vendorCreditMemoNumber'] === key.vendorInvoiceNumber)
          owned.add(str(row['id']));
    }
  }
  const orphanDrafts = [...bcRows, ...memoRows]
    .filter((row) => row['status'] === 'Draft' && !owned.has(str(row['id'])))
    .map(
      (row) =>
        `${str(row['number'])} (${str(row['vendorNumber'])} / ${str(row['vendorInvoiceNumber'] ?? row['vendorCreditMemoNumber'])})`,
    );
  if (orphanDrafts.length > 0)
    problems.push(`I4: ${orphanDrafts.length} BC draft(s) no record owns: ${orphanDrafts.join('; ')}`);

  const deadLettered = sandbox.queue.deadLetters.length;
  if (deadLettered > 0) problems.push(`I4: ${deadLettered} message(s) dead-lettered`);
  if (triggers.webhooksRejected > 0) problems.push(`${triggers.webhooksRejected} webhook deliveries were rejected`);
  const eligible = records.filter((r) => r.eligible);
  // An invoice deleted in Cin7 before it posted is rightly never posted. Credit notes are counted apart.
  const invoices = records.filter((r) => r.creditNote === undefined);
  const expectedPosted = invoices.filter((r) => r.expect === 'posted' && !mischief.removed.has(r.recordId)).length;
  // Deterministic enough to assert: faults may fail a few records visibly, never a large share.
  if (failed.length > Math.max(3, Math.ceil(eligible.length * 0.05)))
    problems.push(`${failed.length} records failed: more than 5 % of ${eligible.length} eligible invoices`);

  const faultsInjected: Partial<Record<FaultKind, number>> = {};
  for (const request of sandbox.faults.requests)
    if (request.fault) faultsInjected[request.fault] = (faultsInjected[request.fault] ?? 0) + 1;
  for (const op of sandbox.bc.batchOperations)
    if (op.fault) faultsInjected[op.fault] = (faultsInjected[op.fault] ?? 0) + 1;
  const queue = sandbox.queue.stats();
  return {
    seed: options.seed,
    purchases: options.purchases,
    expectedRecords: records.length,
    eligibleInvoices: invoices.filter((r) => r.eligible).length,
    expectedPosted,
    ledgerStates,
    bcInvoices: { total: bcRows.length, posted: postedInBc.length, drafts: bcRows.length - postedInBc.length },
    duplicates,
    bcMemos: { total: memoRows.length, posted: postedMemos.length, drafts: memoRows.length - postedMemos.length },
    duplicateMemos,
    notFinal,
    failed,
    unexpected,
    orphanDrafts,
    mischief: {
      remaps: mischief.remappedSuppliers.size,
      edits: mischief.edited.size,
      removals: mischief.removed.size,
      secretRotations: mischief.secretRotations,
    },
    apiCalls: {
      cin7: sandbox.faults.count({ system: 'cin7' }),
      bc: sandbox.faults.count({ system: 'bc' }),
      token: sandbox.faults.count({ system: 'token' }),
      bcBatchOperations: sandbox.bc.batchOperations.length,
    },
    faultsInjected,
    worker: {
      deliveries: queue.delivered,
      crashes: crashes.length,
      redeliveries: queue.abandoned,
      retriesScheduled: sandbox.logs.filter((l) => /retry \d+ at/.test(l.message)).length,
      deadLettered,
    },
    triggers,
    durationMs,
    problems,
  };
}

/** The report as the lines `npm run test:chaos` prints. */
export function formatChaosReport(report: ChaosReport): string[] {
  const lines = [
    `chaos run: seed ${report.seed}, ${report.purchases} purchases (re-run: npm run test:chaos -- --purchases ${report.purchases} --seed ${report.seed})`,
    `  eligible invoices:            ${report.eligibleInvoices} (planned to post: ${report.expectedPosted})`,
    `  posted BC invoices:           ${report.bcInvoices.posted} (BC invoices ${report.bcInvoices.total}, drafts ${report.bcInvoices.drafts})`,
    `  duplicate vendor invoice nos: ${report.duplicates.length}`,
    `  BC credit memos:              ${report.bcMemos.total} (${report.bcMemos.posted} posted, ${report.bcMemos.drafts} drafts)`,
    `  duplicate credit memo nos:    ${report.duplicateMemos.length}`,
    `  orphan BC drafts:             ${report.orphanDrafts.length}`,
    `  records not in a final state: ${report.notFinal.length}`,
    `  records failed:               ${report.failed.length}`,
    ...report.failed.map((f) => `    - ${f.label}: ${f.reason} (attempts ${f.attempts})`),
    `  ledger states:                ${Object.entries(report.ledgerStates)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ')} (planned records ${report.expectedRecords})`,
    `  API calls:                    Cin7 ${report.apiCalls.cin7}, BC ${report.apiCalls.bc} (a $batch counts once; ${report.apiCalls.bcBatchOperations} operations travelled inside batches), Entra token ${report.apiCalls.token}`,
    `  faults injected:              ${Object.entries(report.faultsInjected)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
    `  worker:                       ${report.worker.deliveries} deliveries, ${report.worker.crashes} crashes, ${report.worker.redeliveries} redeliveries, ${report.worker.retriesScheduled} retries scheduled, ${report.worker.deadLettered} dead-lettered`,
    `  mischief:                     ${report.mischief.remaps} suppliers remapped, ${report.mischief.edits} invoices edited and ${report.mischief.removals} deleted in Cin7 mid-flight, ${report.mischief.secretRotations} secret rotations (BC client secret and Cin7 key)`,
    `  triggers:                     ${report.triggers.webhookDeliveries} webhook deliveries (${report.triggers.webhooksRejected} rejected), ${report.triggers.polls} polls (${report.triggers.pollsFailed} failed), ${report.triggers.replays} replays, ${report.triggers.tokenExpiries} token expiries`,
    `  duration:                     ${(report.durationMs / 1000).toFixed(1)} s`,
  ];
  for (const line of report.notFinal) lines.push(`  NOT FINAL ${line.label}: ${line.state} ${line.reason}`);
  for (const line of report.unexpected) lines.push(`  UNEXPECTED ${line}`);
  lines.push(
    report.problems.length === 0 ? 'chaos: PASS' : `chaos: FAIL\n${report.problems.map((p) => `  - ${p}`).join('\n')}`,
  );
  return lines;
}

/** `vendor / number: count` for every vendor + supplier number held by more than one BC document. */
function duplicateKeys(rows: readonly Row[], numberField: string): string[] {
  const byKey = new Map<string, number>();
  for (const row of rows) {
    const key = `${str(row['vendorNumber'])} / ${str(row[numberField])}`;
    byKey.set(key, (byKey.get(key) ?? 0) + 1);
  }
  return [...byKey].filter(([, n]) => n > 1).map(([key, n]) => `${key}: ${n}`);
}
