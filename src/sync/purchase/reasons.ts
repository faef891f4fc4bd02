/**
 * What the ledger says to an accountant about a purchase invoice: one line naming the document, what
 * happened and what to do. Kept together so the wording stays consistent across the flow.
 */
import type { BcPurchaseInvoice } from '../../bc/schemas.js';
import type { DocumentKey } from '../../core/ports/stores.js';
import type { TaxModel } from '../../core/settings.js';
import { describeKey } from './bc-documents.js';
import type { DeleteReason } from './decide-invoice.js';
import type { DimensionFix } from './draft-dimensions.js';

export const reasons = {
  gaps: (missing: readonly string[], drafts: readonly BcPurchaseInvoice[]) =>
    `${missing.length} mapping gap(s): ${missing.join('; ')}` +
    (drafts.length > 0 ? `; BC draft ${numbers(drafts)} is kept until they are added` : ''),

  held: (document: BcPurchaseInvoice) =>
    document.status === 'In Review'
      ? `BC invoice ${document.number} is waiting for approval (status In Review): approve it in BC, then replay`
      : `BC invoice ${document.number} has status '${document.status}', which is neither a draft nor posted: ` +
        'check it in BC, then replay',

  skipped: (reason: string, deleted: readonly BcPurchaseInvoice[]) =>
    deleted.length > 0 ? `${reason}; its BC draft ${numbers(deleted)} was deleted` : reason,

  draftsDeleted: (drafts: readonly BcPurchaseInvoice[], why: DeleteReason) => {
    const what = `deleted BC draft ${numbers(drafts)}`;
    switch (why) {
      case 'ineligible':
        return `${what}: the Cin7 invoice is no longer authorised`;
      case 'changed-in-cin7':
        return `${what}: the Cin7 invoice changed after the draft was built; building it again`;
      case 'recoded':
        return `${what}: the invoice now codes to another vendor or supplier invoice number; building it again`;
      case 'superseded-by-posted':
        return `${what}: BC already holds this invoice posted`;
    }
  },

  deleteRefused: (draft: BcPurchaseInvoice, message: string) =>
    `BC refused to delete out-of-date draft ${draft.number} (${message}): delete it in BC, then replay`,

  removedFromPurchase: (orderNumber: string, deleted: readonly BcPurchaseInvoice[], noun: Noun = 'invoice') =>
    deleted.length > 0
      ? `the ${noun} was removed from purchase ${orderNumber} in Cin7; its BC draft ${numbers(deleted)} was deleted`
      : `the ${noun} is no longer on purchase ${orderNumber} in Cin7`,

  removedAfterPosting: (orderNumber: string, postedNumber: string, noun: Noun = 'invoice') =>
    `the Cin7 ${noun} was removed from ${orderNumber} after it was posted in BC as ${postedNumber}: reverse it in BC`,

  voidedAfterPosting: (postedNumber: string, noun: Noun = 'invoice') =>
    noun === 'invoice'
      ? `Cin7 invoice was voided after it was posted in BC as ${postedNumber}: ` +
        'reverse it in BC (e.g. a corrective credit memo)'
      : `Cin7 credit note was voided after it was posted in BC as credit memo ${postedNumber}: ` +
        'cancel the memo in BC (Microsoft.NAV.cancel makes a corrective invoice)',

  changedAfterPosting: (postedNumber: string, noun: Noun = 'invoice', changes: readonly string[] = []) =>
    `Cin7 ${noun} changed after it was posted in BC as ${postedNumber}` +
    (changes.length > 0 ? ` (${changes.join('; ')})` : '') +
    ': review and correct in BC',

  numberReused: (document: BcPurchaseInvoice, key: DocumentKey, cin7Total: number) =>
    `BC already has ${document.status === 'Draft' ? 'draft' : 'posted'} invoice ${document.number} under ` +
    `${describeKey(key)} for ${formatTotal(document.totalAmountIncludingTax)}, but this Cin7 invoice totals ` +
    `${cin7Total.toFixed(2)}: a supplier number used twice; ` +
    'correct the number in Cin7 (or the invoice in BC), then replay',

  createRejected: (message: string) =>
    /Prices Including VAT must be equal to 'No'/i.test(message)
      ? `BC rejected the invoice: ${message}. ` +
        'This BC company uses sales tax, which refuses tax-inclusive prices: ' +
        'set BC_TAX_MODEL=sales-tax (the connector then sends tax-exclusive unit costs), then replay'
      : `BC rejected the invoice: ${message}${nextStep(message)}`,

  postRejected: (draft: BcPurchaseInvoice, message: string) =>
    `BC refused to post draft ${draft.number}: ${message}${nextStep(message)}`,

  dimensionsIncomplete: (draft: BcPurchaseInvoice, problems: readonly string[]) =>
    `BC draft ${draft.number} does not carry the dimensions its lines need (${problems.join('; ')}); not posted: ` +
    'check the default dimensions of its vendor, G/L accounts and items in BC ' +
    '(e.g. a "Same Code" value posting), then replay',

  dimensionRejected: (draft: BcPurchaseInvoice, fix: DimensionFix, message: string) =>
    `BC refused to set ${fix.code}=${fix.valueCode} on line ${fix.sequence} of draft ${draft.number} (${message}); ` +
    `not posted: check that dimension's defaults in BC, then replay`,

  amountMismatch: (draft: BcPurchaseInvoice, cin7Total: number, tolerance: number, tax?: TaxCheck) => {
    const bcTotal = draft.totalAmountIncludingTax;
    const difference = bcTotal === null || bcTotal === undefined ? Number.NaN : Math.abs(bcTotal - cin7Total);
    return (
      `BC total ${formatTotal(bcTotal)} differs from Cin7 total ${cin7Total.toFixed(2)} by ${difference.toFixed(2)} ` +
      `(tolerance ${tolerance})${tax ? taxHint(draft, tax, tolerance) : ''}; draft ${draft.number} kept, not posted`
    );
  },
};

/** The Cin7 document a reason is about. */
type Noun = 'invoice' | 'credit note';

/** What the reconciliation knows about tax, to say which BC tax setup explains a mismatch. */
export interface TaxCheck {
  model: TaxModel;
  vendorNumber: string;
  /** Cin7's invoice tax and total before tax, when Cin7 sent them. */
  cin7Tax: number | undefined;
  cin7TotalBeforeTax: number | undefined;
  /** The tax codes (VAT product posting groups / tax groups) the lines were sent with. */
  taxCodes: readonly string[];
}

/**
 * When the amounts before tax agree and only the tax differs, names the BC setup that decides the tax: VAT
 * Posting Setup (vendor's VAT business posting group × the lines' VAT product posting groups) for VAT, the
 * vendor's Tax Area and Tax Liable for sales tax.
 */
function taxHint(draft: BcPurchaseInvoice, tax: TaxCheck, tolerance: number): string {
  const bcNet = draft.totalAmountExcludingTax;
  const bcTax = draft.totalTaxAmount;
  if (tax.cin7Tax === undefined || tax.cin7TotalBeforeTax === undefined) return '';
  if (bcNet === null || bcNet === undefined || bcTax === null || bcTax === undefined) return '';
  if (Math.abs(bcNet - tax.cin7TotalBeforeTax) > tolerance) return '';
  const groups = tax.taxCodes.length > 0 ? tax.taxCodes.join(', ') : 'of the lines';
  const taxes = `BC tax ${bcTax.toFixed(2)}, Cin7 tax ${tax.cin7Tax.toFixed(2)}`;
  if (tax.model === 'vat') {
    return (
      `; the difference is VAT (${taxes}): in BC, check VAT Posting Setup for vendor ${tax.vendorNumber}'s ` +
      `VAT Bus. Posting Group with VAT Prod. Posting Group ${groups} (its VAT % must match Cin7's tax rule)`
    );
  }
  if (bcTax === 0) {
    return (
      `; the difference is sales tax (${taxes}): BC charged none, so vendor ${tax.vendorNumber} needs a Tax Area ` +
      `and Tax Liable in BC (or give the draft a Tax Area), then replay`
    );
  }
  return (
    `; the difference is sales tax (${taxes}): in BC, check the rates of vendor ${tax.vendorNumber}'s Tax Area ` +
    `for tax group ${groups}`
  );
}

/**
 * BC's refusal of a line whose VAT Posting Setup row is missing, as the gap to list (needs-mapping), or
 * undefined for any other refusal. BC names both groups in the message ("Identification fields and values").
 */
export function vatSetupGap(message: string): string | undefined {
  if (!/VAT Posting Setup/i.test(message)) return undefined;
  const bus = /VAT Bus\. Posting Group='([^']*)'/i.exec(message)?.[1];
  const prod = /VAT Prod\. Posting Group='([^']*)'/i.exec(message)?.[1];
  if (bus === undefined || prod === undefined) return undefined;
  return (
    `tax:VAT Posting Setup ${bus || '(blank)'} × ${prod || '(blank)'} (BC has no VAT Posting Setup for VAT Bus. ` +
    `Posting Group '${bus}' and VAT Prod. Posting Group '${prod}': ` +
    "set it up in BC with the VAT % of Cin7's tax rule, " +
    `or map the tax rule to another VAT product posting group)`
  );
}

/**
 * What an accountant does about the refusals BC gives for set-up it owns (the messages of the base app's
 * checks: ApprovalsMgmt, the allowed posting dates, the Currency Factor, the vendor's posting groups).
 */
const nextSteps: ReadonlyArray<[RegExp, string]> = [
  [/must be approved and released/i, 'approve the document in BC (or cancel its approval request), then replay'],
  [
    /range of allowed posting dates/i,
    'widen Allow Posting From/To in BC (General Ledger Setup or User Setup), ' +
      'or set POSTING_DATE_POLICY=today, then replay',
  ],
  [/Currency Factor must have a value/i, 'add an exchange rate for the currency in BC, then replay'],
  [
    /Posting Group must have a value in Vendor/i,
    'give the vendor its posting groups in BC ' +
      "(or set up the vendor template rule, README 'Business Central and Entra setup'), then replay",
  ],
];

function nextStep(message: string): string {
  const found = nextSteps.find(([pattern]) => pattern.test(message));
  return found ? `; ${found[1]}` : '';
}

function numbers(documents: readonly BcPurchaseInvoice[]): string {
  return documents.map((d) => d.number).join(', ');
}

function formatTotal(total: number | null | undefined): string {
  return total === null || total === undefined ? 'an unknown total' : total.toFixed(2);
}
