/** Text for the demo's terminal: the progress line, the scenario banner and the summary table. */
import type { DemoProgress, DemoResult } from './demo-runner.js';
import { expectedWrites, type MasterDataPlan } from './master-data.js';
import type { ExpectedOutcome } from './scenario.js';

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export function formatProgress(p: DemoProgress): string {
  const s = p.states;
  const open = (s.pending ?? 0) + (s.creating ?? 0) + (s.created ?? 0);
  return [
    `${seconds(p.elapsedMs).padStart(7)} ${p.phase.padEnd(8)}`,
    `webhooks ${p.webhooksFired}/${p.webhooksPlanned}`,
    `jobs ${p.queue.completed}/${p.queue.sent} (${p.queue.duplicatesDropped} dup)`,
    `posted ${s.posted ?? 0} skipped ${s.skipped ?? 0} mapping ${s['needs-mapping'] ?? 0} mismatch ${s['amount-mismatch'] ?? 0} failed ${s.failed ?? 0} busy ${open}`,
    `calls Cin7 ${p.apiCalls.cin7} BC ${p.apiCalls.bc}`,
  ].join(' │ ');
}

interface Row {
  label: string;
  actual: number | string;
  expected?: number;
  indent?: boolean;
}

function table(
  rows: Row[],
  headings: { label: string; actual: string } = { label: 'outcome', actual: 'records' },
): string[] {
  const width = Math.max(44, ...rows.map((r) => r.label.length + (r.indent ? 4 : 2)));
  const out = [`  ${headings.label.padEnd(width)}${headings.actual.padStart(9)}${'expected'.padStart(10)}`];
  out.push(`  ${'─'.repeat(width + 21)}`);
  for (const row of rows) {
    const label = `${row.indent ? '    ' : '  '}${row.label}`.padEnd(width + 2);
    const expected = row.expected === undefined ? '' : String(row.expected);
    const mark = row.expected === undefined ? '' : row.actual === row.expected ? '  ✓' : '  ✗';
    out.push(`${label}${String(row.actual).padStart(9)}${expected.padStart(10)}${mark}`);
  }
  return out;
}

export function formatSummary(result: DemoResult, options: { verbose?: boolean } = {}): string[] {
  const { actual, expected } = result;
  const rows: Row[] = [{ label: 'posted', actual: actual.posted, expected: expected.posted }];
  const skippedTotal = Object.values(actual.skipped).reduce((a, b) => a + b, 0);
  rows.push({ label: 'skipped', actual: skippedTotal, expected: sum(expected.skipped) });
  for (const reason of union(expected.skipped, actual.skipped)) {
    rows.push({
      label: reason,
      actual: actual.skipped[reason] ?? 0,
      expected: expected.skipped[reason] ?? 0,
      indent: true,
    });
  }
  rows.push({ label: 'needs-mapping', actual: actual.needsMapping, expected: expected.needsMapping });
  const gapText = (key: string) => actual.gaps[key]?.text ?? key;
  for (const key of union(
    expected.gaps,
    Object.fromEntries(Object.entries(actual.gaps).map(([k, v]) => [k, v.records])),
  )) {
    rows.push({
      label: `gap ${gapText(key)}`,
      actual: actual.gaps[key]?.records ?? 0,
      expected: expected.gaps[key] ?? 0,
      indent: true,
    });
  }
  rows.push({
    label: 'amount-mismatch (draft kept, not posted)',
    actual: actual.amountMismatch.length,
    expected: expected.amountMismatch,
  });
  rows.push({ label: 'failed', actual: actual.failed.length, expected: expected.failed });
  for (const failed of actual.failed)
    rows.push({ label: `${failed.label}: ${failed.reason}`, actual: '', indent: true });
  rows.push({ label: 'diverged', actual: actual.diverged.length, expected: expected.diverged });
  if (actual.unfinished.length > 0)
    rows.push({ label: 'not finished (pending/creating/created)', actual: actual.unfinished.length, expected: 0 });
  rows.push({ label: 'total ledger records', actual: actual.records, expected: expected.records });

  const lines = table(rows);
  for (const mismatch of actual.amountMismatch) lines.push(`    amount-mismatch ${mismatch.label}: ${mismatch.reason}`);
  const c = result.checks;
  lines.push('');
  lines.push(
    `  BC purchase invoices     ${result.bc.invoices} (${result.bc.posted} posted, ${result.bc.drafts} draft kept)   expected ${expected.bcInvoices}${result.bc.invoices === expected.bcInvoices ? ' ✓' : ' ✗'}`,
  );
  lines.push(
    `  duplicates per vendor    ${c.duplicateVendorInvoiceNumbers.length === 0 ? 'none ✓' : `${c.duplicateVendorInvoiceNumbers.length} ✗`} (vendor + vendor invoice number)`,
  );
  lines.push(
    `  line dimensions          ${c.dimensionProblems.length === 0 ? `${c.linesChecked} lines carry AREA and DEPARTMENT as the rules say, BC's other defaults kept ✓` : `${c.dimensionProblems.length} problem(s) ✗`}`,
  );
  lines.push(
    `  currency / tax-inclusive ${c.headerProblems.length === 0 ? 'EUR supplier in EUR, tax-inclusive supplier priced incl. tax ✓' : `${c.headerProblems.length} problem(s) ✗`}`,
  );
  const unannounced = [...result.seeded.purchases.values()].filter(({ plan }) => plan.trigger === 'none').length;
  lines.push(
    `  not announced            ${unannounced} draft/open purchase(s): no webhook, and the poll passes over purchases without an invoice stage`,
  );
  lines.push(
    `  webhooks                 ${result.webhooks.fired} delivered, ${result.webhooks.accepted} accepted (202); poll listed ${result.poll.listed}, enqueued ${result.poll.enqueued}`,
  );
  lines.push(
    `  queue                    ${result.queue.sent} messages, ${result.queue.duplicatesDropped} duplicates dropped, ${result.queue.abandoned} abandoned, ${result.deadLettered} dead-lettered`,
  );
  lines.push(
    `  API calls                Cin7 ${result.apiCalls.cin7} (${result.cin7Throttled} throttled) · BC ${result.apiCalls.bc} · Entra token ${result.apiCalls.token}`,
  );
  lines.push('', ...formatReturns(result));
  lines.push('', ...formatMasterData(result, options));
  const t = result.timings;
  lines.push('');
  lines.push(
    `  duration                 ${seconds(t.totalMs)} (start ${seconds(t.startMs)}, seed ${seconds(t.seedMs)}, invoices ${seconds(t.runMs)}, master data ${seconds(t.masterMs)}, check ${seconds(t.checkMs)})`,
  );
  lines.push(
    `  connector log            ${result.logs.lines} lines, ${result.logs.warnings} warnings, ${result.logs.errors} errors`,
  );
  if (options.verbose) {
    lines.push('', '  records not posted:');
    for (const entry of result.ledger
      .filter((e) => e.state !== 'posted')
      .sort((a, b) => (a.label ?? '').localeCompare(b.label ?? ''))) {
      lines.push(`    ${(entry.label ?? entry.recordId).padEnd(28)} ${entry.state.padEnd(16)} ${entry.reason ?? ''}`);
    }
    lines.push('', '  scenario notes:');
    for (const { plan } of result.seeded.purchases.values()) {
      if (plan.notes.length > 0)
        lines.push(`    ${plan.orderNumber} ${plan.supplier.name}: ${plan.notes.join('; ')} [${plan.trigger}]`);
    }
  }
  return lines;
}

/** The master-data block: each step's outcome and its writes on both sides after every echo settled. */
export function formatMasterData(result: DemoResult, options: { verbose?: boolean } = {}): string[] {
  const m = result.masterData;
  const rows: Row[] = [];
  for (const step of m.steps) {
    rows.push({ label: step.title, actual: '' });
    for (const check of step.checks)
      rows.push({ label: check.label, actual: check.actual, expected: check.expected, indent: true });
  }
  const synced = (['supplier', 'vendor', 'item'] as const).reduce((n, type) => n + (m.ledger[type].synced ?? 0), 0);
  rows.push({ label: 'master-data records not synced', actual: m.notSynced.length, expected: 0 });
  const lines = [
    '  Master data, both ways (writes counted after every echo settled)',
    ...table(rows, { label: 'step', actual: 'actual' }),
  ];
  for (const step of m.steps) for (const problem of step.problems) lines.push(`    ✗ ${problem}`);
  for (const record of m.notSynced) lines.push(`    ✗ ${record}`);
  const subscriptions = m.subscriptions.map((s) => `${s.resource} ${s.action}`).join(', ');
  const hooks = result.setup.cin7Webhooks.map((h) => `${h.type} ${h.action}`).join(', ');
  lines.push('');
  lines.push(`  setup                    Cin7 webhooks: ${hooks}; BC subscriptions: ${subscriptions}`);
  lines.push(
    `  master-data triggers     Supplier/Updated ${m.cin7Webhooks.announced} announced + ${m.cin7Webhooks.echoes} echoing a connector write, ${m.cin7Webhooks.accepted} accepted; ` +
      `BC notifications ${m.bcNotifications.delivered} delivered, ${m.bcNotifications.accepted} accepted (202)`,
  );
  lines.push(
    `  master-data ledger       ${synced} synced (supplier ${m.ledger.supplier.synced ?? 0}, vendor ${m.ledger.vendor.synced ?? 0}, item ${m.ledger.item.synced ?? 0}); ` +
      `${m.echoesSuppressed} echoes recognised and not written back`,
  );
  if (options.verbose) {
    lines.push('', '  master-data items:');
    for (const item of m.plan.items)
      lines.push(`    ${item.expect.SKU.padEnd(12)} ${item.input.type ?? 'Inventory'}: ${item.note}`);
  }
  return lines;
}

export function formatExpected(expected: ExpectedOutcome): string {
  const skipped = sum(expected.skipped);
  return `expected: ${expected.posted} posted, ${skipped} skipped, ${expected.needsMapping} needs-mapping, ${expected.amountMismatch} amount-mismatch, ${expected.failed} failed`;
}

/** The master-data expectation in one line. */
export function formatMasterExpected(plan: MasterDataPlan): string {
  const created = plan.items.filter((i) => !i.existing).length;
  return (
    `expected master data: ${plan.suppliers.length} BC vendors, ${created} Cin7 products created and ${plan.items.length - created} updated, 1 Cin7 supplier updated; ` +
    `${expectedWrites.suppliersToVendors.bc + expectedWrites.itemsToProducts.cin7 + expectedWrites.vendorEdit.cin7} writes, 0 back`
  );
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

function union(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}

/** The returns block: credit memos by state, the wait for the parked invoice, and what each invoice still owes. */
export function formatReturns(result: DemoResult): string[] {
  const { returns } = result;
  const states = Object.entries(returns.byState)
    .map(([state, n]) => `${n} ${state}`)
    .join(', ');
  const expected = returns.outcomes.filter((o) => o.expected === 'posted').length;
  const lines = [
    `  Returns (supplier credit notes → BC purchase credit memos): ${states}; ${expected} to post, ${returns.outcomes.length - expected} to skip`,
  ];
  if (returns.waited) {
    lines.push(`    waited while its invoice was parked: ${returns.waited.state} (${returns.waited.reason})`);
  }
  for (const o of returns.outcomes) {
    const mark = o.state === o.expected ? '✓' : '✗';
    const applied = o.invoice
      ? `  applied to BC invoice ${o.invoice.number}: owed ${o.invoice.before.toFixed(2)}, memo ${o.invoice.memoTotal.toFixed(2)}, now owes ${o.invoice.after.toFixed(2)}`
      : '';
    lines.push(`    ${o.kind.padEnd(18)} ${o.label.padEnd(28)} ${o.state} ${mark}${applied}`);
  }
  return lines;
}
