import { describe, expect, it } from 'vitest';
import { totalsAgree } from '../../src/mapping/totals.js';

describe('totalsAgree', () => {
  it.each([
    [110, 110, 0.01, true],
    [110.01, 110, 0.01, true],
    [0.1 + 0.2, 0.3, 0, true],
    [110.02, 110, 0.01, false],
    [109.98, 110, 0.01, false],
  ])('when BC says %d and Cin7 %d with tolerance %d, then they agree: %s', (bc, cin7, tolerance, agree) => {
    expect(totalsAgree(bc, cin7, tolerance)).toBe(agree);
  });

  it.each([null, undefined, Number.NaN])('when BC reported no total (%s), then they never agree', (bc) => {
    expect(totalsAgree(bc, 0, 1_000_000)).toBe(false);
  });
});
