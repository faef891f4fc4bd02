/**
 * Invariant 3 on a draft as BC holds it: every line carries every dimension the connector's rules name, with
 * the rule's value; a dimension the rules do not name keeps whatever BC defaulted. Pure: from the draft read
 * with its lines' dimension set lines, the writes that complete it, or why it cannot be completed.
 */
import type { BcPurchaseInvoiceWithLines } from '../../bc/schemas.js';
import type { LineDimensions } from '../../mapping/to-bc-purchase-invoice.js';

export type DimensionFix =
  | { kind: 'add'; lineId: string; sequence: number; code: string; valueCode: string }
  | {
      kind: 'change';
      lineId: string;
      sequence: number;
      code: string;
      valueCode: string;
      from: string;
      dimensionId: string;
      etag: string;
    };

export interface DimensionCheck {
  fixes: DimensionFix[];
  /** Lines of the plan the draft does not hold as planned: no write can complete those. */
  problems: string[];
}

export function checkDraftDimensions(
  draft: BcPurchaseInvoiceWithLines,
  planned: readonly LineDimensions[],
): DimensionCheck {
  const fixes: DimensionFix[] = [];
  const problems: string[] = [];
  for (const want of planned) {
    const line = draft.purchaseInvoiceLines.find((l) => l.sequence === want.sequence);
    if (line === undefined || (line.lineObjectNumber ?? '').toUpperCase() !== want.lineObjectNumber.toUpperCase()) {
      problems.push(`line ${want.sequence} (${want.lineObjectNumber}) is not on the draft as built`);
      continue;
    }
    for (const dimension of want.dimensions) {
      const found = line.dimensionSetLines.find((d) => d.code.toUpperCase() === dimension.code);
      const base = { lineId: line.id, sequence: want.sequence, code: dimension.code, valueCode: dimension.valueCode };
      if (found === undefined) {
        fixes.push({ kind: 'add', ...base });
      } else if ((found.valueCode ?? '').toUpperCase() !== dimension.valueCode) {
        if (found.id === undefined) {
          problems.push(`line ${want.sequence}: BC did not name dimension ${dimension.code}, so it cannot be changed`);
          continue;
        }
        fixes.push({
          kind: 'change',
          ...base,
          from: found.valueCode ?? '',
          dimensionId: found.id,
          etag: found['@odata.etag'] ?? '*',
        });
      }
    }
  }
  return { fixes, problems };
}

/** `line 20000: AREA=NORTH (BC has SOUTH)` */
export function describeFix(fix: DimensionFix): string {
  const now = fix.kind === 'change' ? `BC has ${fix.from}` : 'missing';
  return `line ${fix.sequence}: ${fix.code}=${fix.valueCode} (${now})`;
}
