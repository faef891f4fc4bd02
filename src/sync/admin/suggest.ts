/**
 * Proposes mappings by matching names and numbers across both systems (issue 5). Writes nothing: the
 * operator reviews the list and imports or upserts what is right. A suggestion the default rules already
 * apply is marked `coveredByDefault`, so saving it only makes the match explicit.
 */
import type { BcDimensionValue } from '../../bc/schemas.js';
import type { SyncDeps } from '../deps.js';
import type { MappingKind } from '../../core/ports/stores.js';
import {
  Resolver,
  accountProblem,
  activeAccounts,
  purchaseTaxRules,
  readLandscape,
  type Landscape,
  type Progress,
} from './landscape.js';

export type Confidence = 'high' | 'medium' | 'low';

export interface MappingSuggestion {
  kind: MappingKind;
  source: string;
  /** The Cin7 name when the source is a code or an id. */
  sourceName?: string;
  target: string;
  /** The BC name of the target. */
  targetName?: string;
  confidence: Confidence;
  reason: string;
  /** The default rule already resolves it this way: a mapping would change nothing. */
  coveredByDefault: boolean;
}

/** Case, spacing, punctuation and common company suffixes do not make two names different. */
export function normaliseName(name: string): string {
  return name
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .replace(/\b(ltd|limited|inc|incorporated|llc|plc|pty|gmbh|co|corp|corporation|company|the)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function words(name: string): Set<string> {
  return new Set(
    normaliseName(name)
      .split(' ')
      .filter((w) => w.length > 0),
  );
}

export async function suggestMappings(
  deps: Pick<SyncDeps, 'cin7' | 'bc' | 'stores'>,
  options: { progress?: Progress } = {},
): Promise<MappingSuggestion[]> {
  return suggestFromLandscape(await readLandscape(deps, options.progress));
}

/** Pure: the suggestions for data already read. */
export function suggestFromLandscape(landscape: Landscape): MappingSuggestion[] {
  const resolver = new Resolver(landscape);
  const mapped = (kind: MappingKind, source: string) => resolver.index.get(kind, source) !== undefined;
  const { cin7, bc } = landscape;
  const dimensions = {
    values: bc.dimensionValues,
    codeById: new Map(bc.dimensions.map((d) => [d.id, d.code.toUpperCase()])),
  };
  const locations = cin7.locations.map((l) => l.Name);
  const categories = cin7.categories.map((c) => c.Name);
  return [
    ...suggestAccounts(landscape, mapped),
    ...suggestTaxGroups(landscape, resolver, mapped),
    ...suggestVendors(landscape, resolver, mapped),
    ...suggestDimensionValues('dimension-location', locations, (n) => resolver.locationMapped(n), dimensions),
    ...suggestDimensionValues('dimension-category', categories, (n) => resolver.categoryMapped(n), dimensions),
  ];
}

type IsMapped = (kind: MappingKind, source: string) => boolean;

/** A postable BC account with the Cin7 account's number, else the one postable account of the same name. */
function suggestAccounts({ cin7, bc }: Landscape, mapped: IsMapped): MappingSuggestion[] {
  const suggestions: MappingSuggestion[] = [];
  const postable = bc.accounts.filter((a) => accountProblem(a) === undefined);
  for (const account of activeAccounts(cin7.accounts)) {
    if (mapped('account', account.Code)) continue;
    const sameNumber = postable.find((a) => a.number === account.Code.trim());
    if (sameNumber) {
      suggestions.push({
        kind: 'account',
        source: account.Code,
        sourceName: account.Name,
        target: sameNumber.number,
        targetName: sameNumber.displayName,
        confidence: 'high',
        reason: 'same account number',
        coveredByDefault: true,
      });
      continue;
    }
    const name = normaliseName(account.Name);
    const byName = postable.filter((a) => normaliseName(a.displayName) === name);
    if (byName.length === 1 && byName[0]) {
      suggestions.push({
        kind: 'account',
        source: account.Code,
        sourceName: account.Name,
        target: byName[0].number,
        targetName: byName[0].displayName,
        confidence: 'medium',
        reason: `same name "${byName[0].displayName}", different number`,
        coveredByDefault: false,
      });
    }
  }
  return suggestions;
}

/** The tax group of the same code or name, else the one that shares the most telling words. */
function suggestTaxGroups({ cin7, bc }: Landscape, resolver: Resolver, mapped: IsMapped): MappingSuggestion[] {
  const suggestions: MappingSuggestion[] = [];
  for (const rule of purchaseTaxRules(cin7.taxRules)) {
    if (mapped('tax', rule.Name)) continue;
    const covered = resolver.taxGap(rule.Name) === undefined;
    const wanted = normaliseName(rule.Name);
    const exact = bc.taxGroups.find(
      (t) => normaliseName(t.code) === wanted || normaliseName(t.displayName ?? '') === wanted,
    );
    const group = exact ?? closestTaxGroup(rule.Name, bc.taxGroups);
    if (!group) continue;
    const grade: Pick<MappingSuggestion, 'confidence' | 'reason' | 'coveredByDefault'> = exact
      ? {
          confidence: covered ? 'high' : 'medium',
          reason: covered ? 'same code or name' : 'same name apart from case, spacing or punctuation',
          coveredByDefault: covered,
        }
      : { confidence: 'low', reason: 'the names share a word', coveredByDefault: false };
    suggestions.push({
      kind: 'tax',
      source: rule.Name,
      target: group.code,
      ...(group.displayName ? { targetName: group.displayName } : {}),
      ...grade,
    });
  }
  return suggestions;
}

/** The group sharing the most telling words (not "tax" itself) with the rule, when one clearly leads. */
function closestTaxGroup<T extends { code: string; displayName?: string | undefined }>(
  ruleName: string,
  groups: readonly T[],
): T | undefined {
  const ruleWords = [...words(ruleName)].filter((w) => w.length > 2 && w !== 'tax');
  const scored = groups
    .map((t) => {
      const groupWords = words(`${t.code} ${t.displayName ?? ''}`);
      return { group: t, score: ruleWords.filter((w) => groupWords.has(w)).length };
    })
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score);
  const [best, second] = scored;
  return best && (!second || second.score < best.score) ? best.group : undefined;
}

/** The vendor the default rules find, else the one vendor of a similar name. */
function suggestVendors({ cin7, bc }: Landscape, resolver: Resolver, mapped: IsMapped): MappingSuggestion[] {
  const suggestions: MappingSuggestion[] = [];
  for (const supplier of cin7.suppliers) {
    if (mapped('supplier', supplier.ID)) continue;
    const found = resolver.vendorFor(supplier);
    if (found.vendor) {
      suggestions.push({
        kind: 'supplier',
        source: supplier.ID.toLowerCase(),
        sourceName: supplier.Name,
        target: found.vendor.number,
        targetName: found.vendor.displayName,
        confidence: 'high',
        reason: found.how,
        coveredByDefault: true,
      });
      continue;
    }
    const name = normaliseName(supplier.Name);
    const byName = name === '' ? [] : bc.vendors.filter((v) => normaliseName(v.displayName) === name);
    if (byName.length === 1 && byName[0]) {
      suggestions.push({
        kind: 'supplier',
        source: supplier.ID.toLowerCase(),
        sourceName: supplier.Name,
        target: byName[0].number,
        targetName: byName[0].displayName,
        confidence: 'medium',
        reason: `similar name "${byName[0].displayName}"`,
        coveredByDefault: false,
      });
    }
  }
  return suggestions;
}

/** Dimension values named like the Cin7 location or category, else those whose code is a word of its name. */
function suggestDimensionValues(
  kind: 'dimension-location' | 'dimension-category',
  names: string[],
  isMapped: (name: string) => boolean,
  dimensions: { values: readonly BcDimensionValue[]; codeById: ReadonlyMap<string, string> },
): MappingSuggestion[] {
  const { values, codeById } = dimensions;
  const suggestions: MappingSuggestion[] = [];
  const pick = (source: string, picked: BcDimensionValue[], confidence: Confidence, reason: string) => {
    for (const value of picked) {
      const code = codeById.get(value.dimensionId);
      if (code === undefined) continue;
      suggestions.push({
        kind,
        source,
        target: `${code}=${value.code.toUpperCase()}`,
        ...(value.displayName ? { targetName: value.displayName } : {}),
        confidence,
        reason,
        coveredByDefault: false,
      });
    }
  };
  for (const name of names) {
    if (isMapped(name)) continue;
    const wanted = normaliseName(name);
    const exact = values.filter(
      (v) => normaliseName(v.code) === wanted || normaliseName(v.displayName ?? '') === wanted,
    );
    if (exact.length > 0) {
      pick(name, exact, exact.length === 1 ? 'high' : 'medium', 'same name as the dimension value');
      continue;
    }
    const nameWords = words(name);
    pick(
      name,
      values.filter((v) => nameWords.has(normaliseName(v.code)) && normaliseName(v.code).length > 1),
      'low',
      'the name contains the dimension value code',
    );
  }
  return suggestions;
}
