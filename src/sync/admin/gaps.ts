/**
 * Every missing reference across parked records, grouped so one mapping fixes many records at once (issue 14):
 * "Cin7 account 477: 3 invoices, 1,284.50". Each group says which mapping kind would close it and lists the
 * records to replay once it is added.
 */
import type { SyncDeps } from '../deps.js';
import type { LedgerEntry, MappingKind, RecordType } from '../../core/ports/stores.js';
import { collectRecords } from './records.js';

/** One gap as the translation writes it: `kind:value (explanation)`. */
export interface ParsedGap {
  kind: string;
  value: string;
  explanation: string;
}

/** Where the balanced bracket group that ends `text` opens (at its leading space), or -1. */
function explanationStart(text: string): number {
  if (!text.endsWith(')')) return -1;
  let depth = 0;
  for (let i = text.length - 1; i > 0; i -= 1) {
    if (text[i] === ')') depth += 1;
    else if (text[i] === '(') {
      depth -= 1;
      if (depth === 0) return text[i - 1] === ' ' ? i - 1 : -1;
    }
  }
  return -1;
}

export function parseGap(text: string): ParsedGap {
  const colon = text.indexOf(':');
  if (colon < 0) return { kind: 'other', value: text.trim(), explanation: '' };
  const kind = text.slice(0, colon).trim();
  const rest = text.slice(colon + 1);
  // The explanation is the last parenthesised part; a value may itself hold brackets (a line name), and an
  // explanation may quote another record's gaps with their own brackets (a credit note's invoice).
  const open = explanationStart(rest);
  if (open < 0) return { kind, value: rest.trim(), explanation: '' };
  return { kind, value: rest.slice(0, open).trim(), explanation: rest.slice(open + 2, -1).trim() };
}

/** What a mapping that closes a gap looks like, when one can: its kind and the Cin7 value it maps. */
export interface GapFix {
  mappingKind: MappingKind;
  source: string;
  /** The kind of BC target to choose from (`targets.ts`). */
  target: 'account' | 'vendor' | 'tax' | 'item' | 'currency';
}

export interface GapRecord {
  type: RecordType;
  id: string;
  label: string;
  /** The Cin7 invoice total held up, when the park recorded it. */
  amount?: number;
}

export interface GapGroup {
  /** `kind:value`, stable across calls (the form posts it back). */
  key: string;
  kind: string;
  value: string;
  /** Why the default rule found nothing (from the first record). */
  explanation: string;
  /** How to close it with a mapping; absent when the fix is in BC or in a setting (the hint says which). */
  fix?: GapFix;
  hint?: string;
  count: number;
  /** Sum of the Cin7 totals of the records held up (those whose park recorded one). */
  amount: number;
  records: GapRecord[];
}

export interface GapReport {
  groups: GapGroup[];
  /** Parked records read. */
  records: number;
  /** More parked records existed than one report reads. */
  truncated: boolean;
}

/** A report reads at most this many parked records (and one short audit query each, for the amount). */
export const maxGapRecords = 2000;

const supplierInExplanation = /Cin7 supplier ([0-9a-fA-F-]{8,})/;

function fixFor(gap: ParsedGap, supplierId: string | undefined): { fix?: GapFix; hint?: string } {
  // A value in brackets is a description of what is missing, not a Cin7 value a mapping could name.
  if (gap.value.startsWith('(')) return { hint: `fix the Cin7 record: ${gap.value.slice(1, -1)}` };
  switch (gap.kind) {
    case 'account':
      return { fix: { mappingKind: 'account', source: gap.value, target: 'account' } };
    case 'tax':
      if (gap.value.startsWith('VAT Posting Setup'))
        return { hint: 'add the VAT Posting Setup combination in BC, then replay' };
      return { fix: { mappingKind: 'tax', source: gap.value, target: 'tax' } };
    case 'item':
      return { fix: { mappingKind: 'item', source: gap.value, target: 'item' } };
    case 'currency':
      return { fix: { mappingKind: 'currency', source: gap.value, target: 'currency' } };
    case 'unit':
      return { hint: 'add a unit mapping under Mappings: the BC unit code to the Cin7 unit name' };
    case 'vendor': {
      const id = supplierInExplanation.exec(gap.explanation)?.[1] ?? supplierId;
      return id
        ? { fix: { mappingKind: 'supplier', source: id, target: 'vendor' } }
        : { hint: 'add a supplier mapping from the Cin7 supplier ID to a BC vendor' };
    }
    case 'dimension':
      return { hint: 'add the dimension value in BC, or change the dimension rule under Mappings' };
    case 'setting':
      return { hint: `set ${gap.value} in the app settings` };
    case 'posted-invoice':
      // A credit note waiting for the invoice it credits: fixing the invoice's own gaps lets both post.
      return { hint: `fix invoice ${gap.value} first: this credit note posts, applied to it, once it is posted` };
    default:
      return {};
  }
}

/** The Cin7 total and supplier the park recorded in its audit row (newest park first). */
async function parkDetails(
  deps: Pick<SyncDeps, 'stores'>,
  entry: LedgerEntry,
): Promise<{ amount?: number; supplierId?: string }> {
  const audit = await deps.stores.audit.list(entry.recordType, entry.recordId, { limit: 10 });
  const park = [...audit]
    .sort((a, b) => (a.at < b.at ? 1 : -1))
    .find((row) => row.state === 'needs-mapping' && row.details !== undefined);
  const total = park?.details?.['cin7Total'];
  const supplier = park?.details?.['supplierId'];
  return {
    ...(typeof total === 'number' ? { amount: total } : {}),
    ...(typeof supplier === 'string' ? { supplierId: supplier } : {}),
  };
}

export async function listGaps(deps: Pick<SyncDeps, 'stores'>): Promise<GapReport> {
  const parked = await collectRecords(deps, { state: 'needs-mapping' }, maxGapRecords);
  const groups = new Map<string, GapGroup>();
  // One short audit query per parked record, a few at a time.
  const details: Array<{ amount?: number; supplierId?: string }> = [];
  for (let i = 0; i < parked.items.length; i += 8)
    details.push(...(await Promise.all(parked.items.slice(i, i + 8).map((entry) => parkDetails(deps, entry)))));
  for (const [index, entry] of parked.items.entries()) {
    const park = details[index] ?? {};
    const record: GapRecord = {
      type: entry.recordType,
      id: entry.recordId,
      label: entry.label ?? entry.recordId,
      ...(park.amount !== undefined ? { amount: park.amount } : {}),
    };
    // One record listing the same gap twice (two lines, one account) counts once in its group.
    const seen = new Set<string>();
    for (const text of entry.missing ?? []) {
      const gap = parseGap(text);
      const key = `${gap.kind}:${gap.value}`;
      if (seen.has(key)) continue;
      seen.add(key);
      let group = groups.get(key);
      if (!group) {
        group = { key, ...gap, ...fixFor(gap, park.supplierId), count: 0, amount: 0, records: [] };
        groups.set(key, group);
      }
      group.count += 1;
      group.amount = Math.round((group.amount + (park.amount ?? 0)) * 100) / 100;
      group.records.push(record);
    }
  }
  const sorted = [...groups.values()].sort(
    (a, b) => b.count - a.count || b.amount - a.amount || a.key.localeCompare(b.key),
  );
  return { groups: sorted, records: parked.items.length, truncated: parked.truncated };
}
