/**
 * Formats a watermark the way Cin7's `UpdatedSince` / `ModifiedSince` parameters expect it: UTC,
 * `yyyy-MM-ddTHH:mm:ss`, no offset (reference/cin7-core-api.md §2: "Send watermarks as UTC with no offset").
 * Milliseconds are dropped, which moves the watermark back by less than a second: a harmless overlap.
 */
export function formatCin7Date(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('formatCin7Date: invalid date');
  return date.toISOString().slice(0, 19);
}
