import { describe, expect, it } from 'vitest';
import { buildQuery, odata, odataGuid, quotedKey } from '../../src/bc/odata.js';
import { parseFilter, matchesFilter } from '../sandbox/bc/odata-query.js';

const awkward = [
  "O'Brien & Sons #1",
  "''",
  "'",
  'a+b=c',
  'x?y/z\\w',
  '100%',
  'tab\there',
  'emoji 🍕',
  '<tag>',
  '"double"',
  'semi;colon,comma',
  '(paren)',
  'é ü ñ',
  ' leading and trailing ',
];

describe('odata template', () => {
  it('when values are interpolated, then strings are quoted with doubled quotes and others are bare', () => {
    const date = new Date('2026-01-02T03:04:05.000Z');
    expect(odata`a eq ${"O'Brien"} and b eq ${3} and c eq ${true} and d gt ${date} and e eq ${null}`).toBe(
      "a eq 'O''Brien' and b eq 3 and c eq true and d gt 2026-01-02T03:04:05.000Z and e eq null",
    );
    expect(odata`id eq ${odataGuid('5D115C9C-44E3-EA11-BB43-000D3A2FECA1')}`).toBe(
      'id eq 5d115c9c-44e3-ea11-bb43-000d3a2feca1',
    );
  });

  it.each(awkward)('when the value is %j, then it survives the query string and the filter parser', (value) => {
    const query = buildQuery({ $filter: odata`displayName eq ${value}` });
    const url = new URL(`http://host/vendors${query}`);
    expect([...url.searchParams.keys()]).toEqual(['$filter']);
    const filter = url.searchParams.get('$filter') ?? '';
    const context = { codeFields: new Set<string>(), knownFields: new Set(['displayName']), typeName: 'vendor' };
    expect(matchesFilter(parseFilter(filter), { displayName: value }, context)).toBe(true);
    expect(matchesFilter(parseFilter(filter), { displayName: `${value}x` }, context)).toBe(false);
  });

  it('when a value contains & # +, then they are percent-encoded', () => {
    expect(buildQuery({ $filter: odata`n eq ${'a&b#c+d'}` })).toBe("?$filter=n%20eq%20'a%26b%23c%2Bd'");
  });

  it('when a string key is quoted, then quotes are doubled and encoded', () => {
    expect(decodeURIComponent(quotedKey("ab'c"))).toBe("'ab''c'");
  });

  it('when a number is not finite, then it is refused', () => {
    expect(() => odata`n eq ${Number.NaN}`).toThrow(TypeError);
  });
});
