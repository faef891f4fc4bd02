/**
 * BC's real targets for a mapping, searchable, so an operator picks a value BC accepts instead of typing one
 * (DESIGN §3.2: every line references a record that exists). Read from the reference cache, the same data the
 * translation checks against, so a target offered here is one the next replay finds.
 */
import { z } from 'zod';
import type { SyncDeps } from '../deps.js';
import { accountProblem } from './landscape.js';

export const targetKinds = ['account', 'vendor', 'tax', 'item', 'currency', 'dimension-value'] as const;
export const TargetKindSchema = z.enum(targetKinds);
export type TargetKind = z.infer<typeof TargetKindSchema>;

export const ListTargetsQuery = z.object({
  kind: TargetKindSchema,
  search: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
export type ListTargetsQuery = z.infer<typeof ListTargetsQuery>;

export interface Target {
  /** What a mapping stores as its target. */
  value: string;
  label: string;
}

export interface TargetList {
  kind: TargetKind;
  items: Target[];
  /** Targets matching the search, of which `items` holds at most `limit`. */
  total: number;
}

function matches(target: Target, search: string): boolean {
  const wanted = search.toLowerCase();
  return target.value.toLowerCase().includes(wanted) || target.label.toLowerCase().includes(wanted);
}

export async function listTargets(deps: Pick<SyncDeps, 'reference'>, query: ListTargetsQuery): Promise<TargetList> {
  const reference = await deps.reference.get();
  let all: Target[];
  switch (query.kind) {
    case 'account':
      // Only accounts a purchase line can take: posting type, direct posting on, not blocked.
      all = [...reference.accounts.values()]
        .filter((a) => accountProblem(a) === undefined)
        .map((a) => ({ value: a.number, label: a.displayName }));
      break;
    case 'vendor':
      all = [...reference.vendors.values()]
        .filter((v) => v.blocked !== 'All')
        .map((v) => ({ value: v.number, label: v.displayName }));
      break;
    case 'tax':
      all = [...reference.taxCodes.values()].map((t) => ({ value: t.code, label: t.displayName ?? t.code }));
      break;
    case 'item':
      all = [...reference.items.values()]
        .filter((i) => i.blocked !== true)
        .map((i) => ({ value: i.number, label: i.displayName }));
      break;
    case 'currency':
      all = [
        { value: '', label: `local currency (${reference.localCurrencyCode})` },
        ...[...reference.currencies].map((c) => ({ value: c, label: c })),
      ];
      break;
    case 'dimension-value':
      all = [...reference.dimensions].flatMap(([code, values]) =>
        [...values].map((value) => ({ value: `${code}=${value}`, label: `${code} ${value}` })),
      );
      break;
  }
  const found = (query.search ? all.filter((t) => matches(t, query.search ?? '')) : all).sort((a, b) =>
    a.value.localeCompare(b.value, undefined, { numeric: true }),
  );
  return { kind: query.kind, items: found.slice(0, query.limit ?? 50), total: found.length };
}
