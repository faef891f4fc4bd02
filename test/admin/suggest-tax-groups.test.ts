import { describe, expect, it } from 'vitest';
import type { Landscape } from '../../src/sync/admin/landscape.js';
import { suggestFromLandscape } from '../../src/sync/admin/suggest.js';

function landscape(taxRules: string[], taxGroups: Array<{ code: string; displayName?: string }>): Landscape {
  return {
    cin7: { accounts: [], taxRules: taxRules.map((Name) => ({ Name })), suppliers: [], locations: [], categories: [] },
    bc: {
      accounts: [],
      taxGroups: taxGroups.map((group, i) => ({ id: String(i), ...group })),
      vendors: [],
      dimensions: [],
      dimensionValues: [],
    },
    mappings: [],
  };
}

describe('tax group suggestions', () => {
  it('when a tax group has the rule name as its code, then it is suggested with high confidence, covered by default', () => {
    const [suggestion] = suggestFromLandscape(landscape(['VAT20'], [{ code: 'VAT20', displayName: 'Standard' }]));
    expect(suggestion).toEqual({
      kind: 'tax',
      source: 'VAT20',
      target: 'VAT20',
      targetName: 'Standard',
      confidence: 'high',
      reason: 'same code or name',
      coveredByDefault: true,
    });
  });

  it('when a tax group code differs from the rule name only in case and punctuation, then it is a medium suggestion', () => {
    const [suggestion] = suggestFromLandscape(landscape(['Vat 5'], [{ code: 'VAT-5' }]));
    expect(suggestion).toEqual({
      kind: 'tax',
      source: 'Vat 5',
      target: 'VAT-5',
      confidence: 'medium',
      reason: 'same name apart from case, spacing or punctuation',
      coveredByDefault: false,
    });
  });

  it('when only one tax group shares a telling word with the rule, then it is a low suggestion', () => {
    const groups = [{ code: 'VAT20' }, { code: 'NOTAX', displayName: 'Tax exempt' }];
    const [suggestion] = suggestFromLandscape(landscape(['Exempt'], groups));
    expect(suggestion).toEqual({
      kind: 'tax',
      source: 'Exempt',
      target: 'NOTAX',
      targetName: 'Tax exempt',
      confidence: 'low',
      reason: 'the names share a word',
      coveredByDefault: false,
    });
  });

  it('when no tax group shares a word with the rule, then nothing is suggested', () => {
    expect(suggestFromLandscape(landscape(['Exempt'], [{ code: 'VAT20' }]))).toEqual([]);
  });
});
