/**
 * Shared arrangements and observations for the invariant suites: a seeded sandbox with Cin7's webhooks
 * registered, queue envelopes for direct `runJob` calls, and read-outs of the BC simulator's state.
 */
import { afterEach, inject } from 'vitest';
import type { Row } from '../sandbox/bc/odata-query.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../sandbox/sandbox.js';
import type { SimPurchase } from '../sandbox/cin7/state.js';
import { envelopeFor } from '../../src/sync/jobs/intake.js';
import type { JobEnvelope, JobTrigger } from '../../src/core/ports/jobs.js';
import type { SyncDeps } from '../../src/sync/deps.js';
import { seedMatchingReference, type SeedReferenceOptions } from './seed.js';
import { firstInvoice, registerPurchaseWebhooks } from './cin7-webhooks.js';

export { announceCreditNote, announceInvoice, announceUpdate, firstInvoice } from './cin7-webhooks.js';

export interface InvariantSandboxOptions extends SandboxOptions {
  reference?: SeedReferenceOptions;
}

/** A sandbox on the shared Azurite, seeded so Cin7's defaults resolve in BC, with purchase webhooks registered. */
export async function startInvariantSandbox(options: InvariantSandboxOptions = {}): Promise<Sandbox> {
  const { reference, ...sandboxOptions } = options;
  const sandbox = await startSandbox({ azuriteConnectionString: inject('azuriteConnectionString'), ...sandboxOptions });
  seedMatchingReference(sandbox, reference);
  registerPurchaseWebhooks(sandbox);
  return sandbox;
}

/** Inside a `describe`: starts an invariant sandbox per test and closes it after each. */
export function sandboxPerTest(): (options?: InvariantSandboxOptions) => Promise<Sandbox> {
  let sandbox: Sandbox | undefined;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = undefined;
  });
  return async (options = {}) => (sandbox = await startInvariantSandbox(options));
}

/** Every purchase credit memo (draft or posted) in the BC simulator. */
export function bcMemos(sandbox: Sandbox): Row[] {
  return [...sandbox.bc.data.purchaseCreditMemos.rows.values()];
}

/** Requests that create a BC purchase credit memo (the deep insert). */
export function memoCreateRequests(sandbox: Sandbox): number {
  return sandbox.faults.count({ system: 'bc', method: 'POST', path: /\/purchaseCreditMemos$/ });
}

/** Requests that post a BC purchase credit memo (inside a $batch). */
export function memoPostRequests(sandbox: Sandbox): number {
  return sandbox.bc.batchOperations.filter(
    (op) => op.method === 'POST' && /purchaseCreditMemos\([^)]*\)\/Microsoft\.NAV\.post$/.test(op.path),
  ).length;
}

/** The ledger id of a purchase's first invoice. */
export function invoiceRecordId(purchase: SimPurchase): string {
  return `${purchase.ID.toLowerCase()}/${firstInvoice(purchase).TaskID.toLowerCase()}`;
}

/** A queue message for the purchase as the poll would send it, for direct `runJob` calls. */
export function purchaseEnvelope(
  purchase: SimPurchase,
  options: { trigger?: JobTrigger; version?: string; attempt?: number } = {},
): JobEnvelope {
  const envelope = envelopeFor(
    { type: 'cin7-purchase', purchaseId: purchase.ID, orderNumber: purchase.OrderNumber },
    options.version ?? `test:${purchase.LastUpdatedDate.toISOString()}`,
    options.trigger ?? 'poll',
    { now: () => Date.now() },
  );
  return { ...envelope, attempt: options.attempt ?? 1 };
}

/** Every purchase invoice (draft or posted) in the BC simulator. */
export function bcInvoices(sandbox: Sandbox): Row[] {
  return [...sandbox.bc.data.purchaseInvoices.rows.values()];
}

/** BC invoices with this vendor invoice number (BC stores it upper-cased). */
export function bcInvoicesNumbered(sandbox: Sandbox, vendorInvoiceNumber: string): Row[] {
  return bcInvoices(sandbox).filter((i) => i.vendorInvoiceNumber === vendorInvoiceNumber.toUpperCase());
}

export interface BcLineView {
  lineObjectNumber: unknown;
  taxCode: unknown;
  dimensions: string[];
}

/** A BC invoice's lines with their dimension set lines as `CODE=VALUE`. */
export function bcLines(sandbox: Sandbox, invoice: Row | undefined): BcLineView[] {
  return [...sandbox.bc.data.purchaseInvoiceLines.rows.values()]
    .filter((line) => invoice !== undefined && line.documentId === invoice.id)
    .sort((a, b) => Number(a.sequence) - Number(b.sequence))
    .map((line) => ({
      lineObjectNumber: line.lineObjectNumber,
      taxCode: line.taxCode,
      dimensions: (sandbox.bc.data.dimensionSetLines.get(text(line.id)) ?? []).map(
        (d) => `${text(d.code)}=${text(d.valueCode)}`,
      ),
    }));
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Requests that create a BC purchase invoice (the deep insert). */
export function createRequests(sandbox: Sandbox): number {
  return sandbox.faults.count({ system: 'bc', method: 'POST', path: /\/purchaseInvoices$/ });
}

/** Requests that post a BC purchase invoice. */
export function postRequests(sandbox: Sandbox): number {
  // Posting travels inside a $batch request, so the operations in batches count too.
  const direct = sandbox.faults.count({ system: 'bc', method: 'POST', path: /Microsoft\.NAV\.post$/ });
  return (
    direct +
    sandbox.bc.batchOperations.filter((op) => op.method === 'POST' && /Microsoft\.NAV\.post$/.test(op.path)).length
  );
}

/**
 * The sandbox's deps with a queue that keeps scheduled retries to itself, so each attempt of a test runs only
 * when the test calls it (the sandbox's own queue would run the retry too, racing the test's call).
 */
export function withoutAutomaticRetries(sandbox: Sandbox): SyncDeps {
  const queue = sandbox.deps.queue;
  return {
    ...sandbox.deps,
    queue: { enqueue: () => Promise.resolve(), schedule: () => Promise.resolve(), probe: () => queue.probe() },
  };
}

/** A promise that never settles: the worker awaiting it is abandoned, as a crashed process would be. */
export function never<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}

/** Resolves the first time `signal()` is called. */
export function deferredSignal(): { reached: Promise<void>; signal: () => void } {
  let signal: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => {
    signal = resolve;
  });
  return { reached, signal };
}
