/**
 * The purchase-invoice state table: from what is known about one Cin7 invoice and the BC documents its
 * record may own, the one next step. Pure, so every path is tested without I/O; `sync-invoice.ts` carries
 * the steps out and asks again until a step ends the pass.
 */
import type { BcPurchaseInvoice, BcPurchaseInvoiceWithLines } from '../../bc/schemas.js';
import type { DocumentKey, LedgerState } from '../../core/ports/stores.js';
import type { LineDimensions } from '../../mapping/to-bc-purchase-invoice.js';
import { documentStatus, keyOf, sameKey } from './bc-documents.js';
import { checkDraftDimensions, describeFix, type DimensionFix } from './draft-dimensions.js';

export type InvoicePlan =
  { ok: true; key: DocumentKey; lines: readonly LineDimensions[] } | { ok: false; missing: string[] };

export interface InvoiceFacts {
  state: LedgerState;
  eligibility: { eligible: true } | { eligible: false; reason: string };
  /** The Cin7 invoice's fingerprint now. */
  fingerprint: string;
  /** The fingerprint of the Cin7 invoice the record's BC document was built from. */
  builtFrom: string | undefined;
  /** BC documents the record may own, as BC has them now; undefined until looked up. */
  documents?: readonly BcPurchaseInvoice[] | undefined;
  /** The vendor and number the invoice codes to now, or its mapping gaps; undefined until translated. */
  plan?: InvoicePlan | undefined;
  /** The current draft read back with its lines and their dimensions this pass; undefined until read. */
  read?: BcPurchaseInvoiceWithLines | undefined;
  /** Whether this pass already wrote dimensions to the draft (a gap left after that is not written again). */
  dimensionsWritten?: boolean;
}

/** Why drafts are deleted: each has its own operator-facing reason. */
export type DeleteReason = 'ineligible' | 'changed-in-cin7' | 'recoded' | 'superseded-by-posted';

export type InvoiceStep =
  | { kind: 'check-posted' }
  | { kind: 'look-up-documents' }
  | { kind: 'record-posted'; document: BcPurchaseInvoice }
  | { kind: 'hold'; document: BcPurchaseInvoice }
  | { kind: 'delete-drafts'; drafts: BcPurchaseInvoice[]; why: DeleteReason }
  | { kind: 'skip'; reason: string }
  | { kind: 'translate' }
  | { kind: 'park-gaps'; missing: string[]; drafts: BcPurchaseInvoice[] }
  | { kind: 'read-draft'; draft: BcPurchaseInvoice }
  | { kind: 'complete-dimensions'; draft: BcPurchaseInvoiceWithLines; fixes: DimensionFix[] }
  | { kind: 'park-incomplete'; draft: BcPurchaseInvoiceWithLines; problems: string[] }
  | { kind: 'post-draft'; draft: BcPurchaseInvoiceWithLines }
  | { kind: 'create-draft'; key: DocumentKey };

export function decideInvoice(facts: InvoiceFacts): InvoiceStep {
  // Posted BC invoices are read-only: only divergence is checked (DESIGN §4).
  if (facts.state === 'posted' || facts.state === 'diverged') return { kind: 'check-posted' };
  // Every earlier attempt is settled before anything is written (I1).
  if (facts.documents === undefined) return { kind: 'look-up-documents' };

  const drafts = facts.documents.filter((d) => documentStatus(d) === 'draft');
  const posted = facts.documents.find((d) => documentStatus(d) === 'posted');
  if (posted) {
    return drafts.length > 0
      ? { kind: 'delete-drafts', drafts, why: 'superseded-by-posted' }
      : { kind: 'record-posted', document: posted };
  }
  const held = facts.documents.find((d) => documentStatus(d) === 'held');
  if (held) return { kind: 'hold', document: held };

  if (!facts.eligibility.eligible) {
    return drafts.length > 0
      ? { kind: 'delete-drafts', drafts, why: 'ineligible' }
      : { kind: 'skip', reason: facts.eligibility.reason };
  }
  if (facts.plan === undefined) return { kind: 'translate' };
  if (!facts.plan.ok) return { kind: 'park-gaps', missing: facts.plan.missing, drafts };

  const { key } = facts.plan;
  const unchanged = facts.builtFrom === facts.fingerprint;
  const current = drafts.find((d) => unchanged && isUnder(d, key));
  const stale = drafts.filter((d) => d !== current);
  if (stale.length > 0) return { kind: 'delete-drafts', drafts: stale, why: unchanged ? 'recoded' : 'changed-in-cin7' };
  if (current) return completeThenPost(current, facts, facts.plan.lines);
  return { kind: 'create-draft', key };
}

/**
 * A draft is posted only from a read made after BC built it: its totals (I5: the create's answer need not carry
 * the totals the lines produce) and every line's dimensions (I3: BC adds defaults, the rules' values are set
 * against them, and a draft that cannot be completed is not posted).
 */
function completeThenPost(
  current: BcPurchaseInvoice,
  facts: InvoiceFacts,
  lines: readonly LineDimensions[],
): InvoiceStep {
  const read = facts.read?.id === current.id ? facts.read : undefined;
  if (read === undefined) return { kind: 'read-draft', draft: current };
  const check = checkDraftDimensions(read, lines);
  if (check.problems.length > 0) return { kind: 'park-incomplete', draft: read, problems: check.problems };
  if (check.fixes.length > 0) {
    return facts.dimensionsWritten === true
      ? { kind: 'park-incomplete', draft: read, problems: check.fixes.map(describeFix) }
      : { kind: 'complete-dimensions', draft: read, fixes: check.fixes };
  }
  return { kind: 'post-draft', draft: read };
}

function isUnder(document: BcPurchaseInvoice, key: DocumentKey): boolean {
  const own = keyOf(document);
  return own !== undefined && sameKey(own, key);
}
