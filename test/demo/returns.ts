/**
 * The demo's returns: after the invoices settled, the specialty-foods distributor sends goods back and Cin7 records
 * supplier credit notes. Damaged goods credited on part of an invoice, a full return, a credit note in EUR, a draft
 * and a voided one, and one crediting an invoice parked for a mapping: it waits, naming the invoice, and posts
 * applied once the demo adds the mapping and replays that invoice. Each applied memo must reduce what its BC invoice
 * still owes by the memo's total (or to zero).
 */
import type { LedgerEntry, LedgerState } from '../../src/core/ports/stores.js';
import { replayRecord } from '../../src/sync/jobs/replay.js';
import type { AddChargeInput, AddCreditNoteInput, AddLineInput } from '../sandbox/cin7/simulator.js';
import type { SimCreditNote, SimInvoice, SimPurchase } from '../sandbox/cin7/state.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import type { PlannedPurchase, SeededScenario } from './scenario.js';

export type ReturnKind = 'damaged-partial' | 'full-return' | 'eur-partial' | 'draft' | 'voided' | 'waits-for-mapping';

export interface ReturnOutcome {
  kind: ReturnKind;
  label: string;
  expected: LedgerState;
  state: LedgerState | 'missing';
  /** For applied memos: what the BC invoice still owed before and after, and the memo's total. */
  invoice?: { number: string; before: number; after: number; memoTotal: number };
}

export interface ReturnsResult {
  outcomes: ReturnOutcome[];
  byState: Partial<Record<LedgerState, number>>;
  /** The waiting credit note's state and reason before the mapping was added. */
  waited?: { state: LedgerState; reason: string };
  differences: string[];
}

/** Accounts the parked invoices were coded to, mapped to BC accounts that take direct posting (demo's chart). */
const gapFixes: Record<string, string> = { '640': '630', '477': '429', '715': '630' };

interface Pick {
  kind: ReturnKind;
  purchase: SimPurchase;
  invoice: SimInvoice;
  note?: SimCreditNote;
}

export async function runReturns(sandbox: Sandbox, seeded: SeededScenario): Promise<ReturnsResult> {
  const picks = pickPurchases(seeded);
  const before = new Map<string, number | undefined>();
  for (const pick of picks) {
    pick.note = sandbox.cin7.addCreditNote(pick.purchase.ID, creditFor(pick));
    if (pick.kind === 'voided') sandbox.cin7.voidCreditNote(pick.purchase.ID, pick.note.TaskID);
  }
  const invoiceLedger = await ledgerById(sandbox, 'purchase-invoice');
  for (const pick of picks) before.set(pick.invoice.TaskID, remaining(sandbox, invoiceLedger, pick));
  for (const pick of picks) {
    // Cin7 announces authorised credit notes; the draft and the voided one reach the connector as purchase changes.
    const event =
      pick.note?.Status === 'AUTHORISED'
        ? { type: 'Purchase/CreditNoteAuthorised' as const, purchaseId: pick.purchase.ID, taskId: pick.note.TaskID }
        : { type: 'Purchase/Updated' as const, purchaseIds: [pick.purchase.ID] };
    await sandbox.cin7.deliverWebhooks(event);
  }
  await sandbox.settle();
  const waiting = picks.find((p) => p.kind === 'waits-for-mapping');
  const waited = waiting ? (await ledgerById(sandbox, 'purchase-credit-note')).get(recordId(waiting)) : undefined;
  if (waiting) await addMappingAndReplay(sandbox, waiting);
  return summarise(sandbox, picks, before, waited);
}

/** The demo's operator adds the missing account mappings and replays the parked invoice. */
async function addMappingAndReplay(sandbox: Sandbox, waiting: Pick): Promise<void> {
  for (const line of waiting.invoice.Lines) {
    const target = gapFixes[line.Account];
    if (target === undefined) continue;
    await sandbox.deps.stores.mappings.upsert({
      kind: 'account',
      source: line.Account,
      target,
      note: 'demo: added while a credit note waited',
    });
  }
  sandbox.deps.reference.invalidate();
  const invoiceRecord = `${waiting.purchase.ID.toLowerCase()}/${waiting.invoice.TaskID.toLowerCase()}`;
  await replayRecord('purchase-invoice', invoiceRecord, sandbox.deps);
  await sandbox.settle();
}

async function summarise(
  sandbox: Sandbox,
  picks: readonly Pick[],
  before: ReadonlyMap<string, number | undefined>,
  waited: LedgerEntry | undefined,
): Promise<ReturnsResult> {
  const memos = await ledgerById(sandbox, 'purchase-credit-note');
  const invoices = await ledgerById(sandbox, 'purchase-invoice');
  const differences: string[] = [];
  const outcomes: ReturnOutcome[] = picks.map((pick) => {
    const entry = memos.get(recordId(pick));
    const expected: LedgerState = pick.kind === 'draft' || pick.kind === 'voided' ? 'skipped' : 'posted';
    const outcome: ReturnOutcome = {
      kind: pick.kind,
      label: entry?.label ?? pick.kind,
      expected,
      state: entry?.state ?? 'missing',
    };
    if (outcome.state !== expected)
      differences.push(`return ${pick.kind} ${outcome.label}: ${outcome.state}, expected ${expected}`);
    if (expected === 'posted') {
      const memo = entry?.targetId === undefined ? undefined : sandbox.bc.data.purchaseCreditMemos.get(entry.targetId);
      const memoTotal = Number(memo?.totalAmountIncludingTax ?? 0);
      const was = before.get(pick.invoice.TaskID) ?? invoiceTotal(sandbox, invoices, pick);
      const after = remaining(sandbox, invoices, pick) ?? Number.NaN;
      const number = typeof memo?.invoiceNumber === 'string' ? memo.invoiceNumber : '';
      outcome.invoice = { number, before: was, after, memoTotal };
      if (number === '' || Math.abs(after - Math.max(0, round2(was - memoTotal))) > 0.005) {
        differences.push(
          `return ${pick.kind}: BC invoice ${number || '(none)'} owes ${after}, expected ${was} less ${memoTotal}`,
        );
      }
    }
    return outcome;
  });
  if (waited?.state !== 'needs-mapping' || !(waited.missing ?? []).some((m) => m.startsWith('posted-invoice:'))) {
    differences.push(`the credit note of the parked invoice did not wait naming it (${waited?.state ?? 'no record'})`);
  }
  const byState: Partial<Record<LedgerState, number>> = {};
  for (const o of outcomes) if (o.state !== 'missing') byState[o.state] = (byState[o.state] ?? 0) + 1;
  return {
    outcomes,
    byState,
    ...(waited ? { waited: { state: waited.state, reason: waited.reason ?? '' } } : {}),
    differences,
  };
}

/** Posted single-invoice purchases for the returns, a EUR one, and one whose invoice waits for a mapping. */
function pickPurchases(seeded: SeededScenario): Pick[] {
  const all = [...seeded.purchases.values()];
  const single = (p: PlannedPurchase, state: string) =>
    p.invoices.length === 1 && p.invoices[0]?.expect.state === state && p.kind === 'authorised';
  const posted = all.filter(({ plan }) => single(plan, 'posted'));
  const usd = posted.filter(({ plan }) => plan.supplier.currency === undefined);
  const eur = posted.find(({ plan }) => plan.supplier.currency === 'EUR');
  const parked = all.find(({ plan }) => single(plan, 'needs-mapping'));
  const chosen: Array<[ReturnKind, { sim: SimPurchase } | undefined]> = [
    ['damaged-partial', usd[0]],
    ['full-return', usd[1]],
    ['eur-partial', eur],
    ['draft', usd[0]],
    ['voided', usd[0]],
    ['waits-for-mapping', parked],
  ];
  return chosen.flatMap(([kind, found]) => {
    const invoice = found?.sim.Invoices[0];
    return found && invoice ? [{ kind, purchase: found.sim, invoice }] : [];
  });
}

/** The credit note Cin7 records for each return: lines as the invoice's (positive amounts), fewer for a partial. */
function creditFor(pick: Pick): AddCreditNoteInput {
  const lines: AddLineInput[] = pick.invoice.Lines.map((l) => ({
    ...(l.SKU ? { SKU: l.SKU } : {}),
    Name: l.Name,
    Quantity: l.Quantity,
    Price: l.Price,
    Discount: l.Discount,
    TaxRule: l.TaxRule,
    Tax: l.Tax,
    Account: l.Account,
  }));
  const charges: AddChargeInput[] = pick.invoice.AdditionalCharges.map((c) => ({ ...c }));
  const first = lines[0];
  // One unit of the first line, its tax computed from the rule (Cin7 does so for a new credit note line).
  const partial: AddLineInput[] = first
    ? [
        {
          ...(first.SKU ? { SKU: first.SKU } : {}),
          Name: `${first.Name} (damaged in transit)`,
          Quantity: 1,
          Price: first.Price,
          ...(first.TaxRule ? { TaxRule: first.TaxRule } : {}),
          ...(first.Account ? { Account: first.Account } : {}),
        },
      ]
    : [];
  const status = pick.kind === 'draft' ? 'DRAFT' : 'AUTHORISED';
  const base = { Status: status, CreditNoteInvoiceNumber: pick.invoice.InvoiceNumber } as const;
  if (pick.kind === 'full-return') return { ...base, Lines: lines, AdditionalCharges: charges };
  return { ...base, Lines: partial };
}

function recordId(pick: Pick): string {
  return `${pick.purchase.ID.toLowerCase()}/${(pick.note?.TaskID ?? '').toLowerCase()}`;
}

function remaining(sandbox: Sandbox, ledger: ReadonlyMap<string, LedgerEntry>, pick: Pick): number | undefined {
  const entry = ledger.get(`${pick.purchase.ID.toLowerCase()}/${pick.invoice.TaskID.toLowerCase()}`);
  return entry?.targetId === undefined ? undefined : sandbox.bc.remainingAmount(entry.targetId);
}

/** A parked invoice owed nothing before it posted: what it owes is its whole total. */
function invoiceTotal(sandbox: Sandbox, ledger: ReadonlyMap<string, LedgerEntry>, pick: Pick): number {
  const entry = ledger.get(`${pick.purchase.ID.toLowerCase()}/${pick.invoice.TaskID.toLowerCase()}`);
  const row = entry?.targetId === undefined ? undefined : sandbox.bc.data.purchaseInvoices.get(entry.targetId);
  return Number(row?.totalAmountIncludingTax ?? Number.NaN);
}

async function ledgerById(
  sandbox: Sandbox,
  type: 'purchase-invoice' | 'purchase-credit-note',
): Promise<Map<string, LedgerEntry>> {
  return new Map((await sandbox.ledger(type)).map((e) => [e.recordId, e]));
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
