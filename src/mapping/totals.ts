/**
 * Invariant 5: BC's total must match Cin7's within the tolerance before anything is posted or adopted. A
 * total BC did not report never agrees: an unverified document is not posted.
 */
export function totalsAgree(bcTotal: number | null | undefined, cin7Total: number, tolerance: number): boolean {
  if (bcTotal === null || bcTotal === undefined || !Number.isFinite(bcTotal)) return false;
  // The epsilon absorbs binary rounding of two-decimal amounts (0.1 + 0.2), not money.
  return Math.abs(bcTotal - cin7Total) <= tolerance + 1e-9;
}
