import { describe, expect, it } from 'vitest';
import { parseCsvRows, parseMappingsCsv, toMappingsCsv } from '../../src/sync/admin/mappings.js';
import type { Mapping } from '../../src/core/ports/stores.js';

const account = (source: string, target = '6100', note?: string): Mapping => ({
  kind: 'account',
  source,
  target,
  ...(note === undefined ? {} : { note }),
});

/** The cells of the data rows as a spreadsheet would read them. */
const cellsOf = (csv: string): string[][] =>
  parseCsvRows(csv)
    .rows.slice(1)
    .map((row) => row.fields);

describe('mapping CSV export', () => {
  it.each(['=HYPERLINK("http://evil.example")', '+1+2', '-5', '@SUM(A1)', '\tcmd', '\rcmd'])(
    'when a Cin7 name begins like a formula (%j), then its cell starts with a quote so it is shown as text',
    (name) => {
      const [cells] = cellsOf(toMappingsCsv([account('5000', '6100', name)]));
      expect(cells?.[3]).toBe(`'${name}`);
    },
  );

  it('when the source and target begin like formulas, then they are guarded too', () => {
    const [cells] = cellsOf(toMappingsCsv([account('=1+1', '@6100')]));
    expect(cells?.slice(1, 3)).toEqual(["'=1+1", "'@6100"]);
  });

  it('when an ordinary value is exported, then it is written as it is', () => {
    const [cells] = cellsOf(toMappingsCsv([account('5000', '6100', "O'Brien & Co - freight")]));
    expect(cells).toEqual(['account', '5000', '6100', "O'Brien & Co - freight"]);
  });

  it('when guarded, quoted and quote-led values are exported and imported, then the mappings come back unchanged', () => {
    const mappings = [
      account('=HYPERLINK("x")', '6100', '+note'),
      account('-5', '@6100', '@SUM(A1)'),
      account("'=already guarded", '6100', "''two quotes"),
      account("'plain quote", "'6100", "it's fine"),
    ];
    const parsed = parseMappingsCsv(toMappingsCsv(mappings));
    expect(parsed).toEqual({ ok: true, mappings });
  });
});
