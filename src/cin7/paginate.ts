import { ValidationError } from '../core/errors.js';

/** One page of a Cin7 list: the records and the envelope's `Total` (all matching records). */
export interface Cin7PageResult<T> {
  Total: number;
  rows: T[];
}

/**
 * Walks Cin7's `Page`/`Limit` paging (reference/cin7-core-api.md §2). Cin7 returns no page count and does
 * not echo the limit, so the number of pages is ceil(Total / limit); an empty page also ends the walk, in
 * case `Total` shrinks while we read.
 *
 * `Total` alone is not trusted to end the walk: an answer that ignores `Page` (a proxy dropping the query
 * string, a Cin7 fault) would be read again and again until the function times out, and the poll's
 * watermark would never move. So a page equal to the one before, or more pages than the first `Total`
 * allows plus one (records added while we read), ends the walk with a `ValidationError` naming `listing`:
 * an incomplete listing is an error, never a silent partial result.
 */
export async function* paginate<T>(
  fetchPage: (page: number, limit: number) => Promise<Cin7PageResult<T>>,
  limit: number,
  listing: string,
): AsyncGenerator<T, void, undefined> {
  let maxPages: number | undefined;
  let previous: string | undefined;
  for (let page = 1; ; page += 1) {
    const { Total, rows } = await fetchPage(page, limit);
    if (rows.length === 0) return;
    const pages = Math.ceil(Total / limit);
    maxPages ??= pages + 1;
    const fingerprint = JSON.stringify(rows);
    if (fingerprint === previous) {
      throw truncated(listing, `page ${page} repeated page ${page - 1} while Total says ${Total} records`);
    }
    previous = fingerprint;
    yield* rows;
    if (page >= pages) return;
    if (page >= maxPages) {
      throw truncated(listing, `Total still says ${Total} records after ${page} pages of ${limit}`);
    }
  }
}

function truncated(listing: string, what: string): ValidationError {
  return new ValidationError(
    `Cin7 ${listing} did not page: ${what}, so the listing is incomplete and nothing after it is trusted ` +
      '(a poll keeps its watermark). Check that CIN7_BASE_URL reaches Cin7 without a proxy that drops the query ' +
      'string, then run again.',
    { system: 'cin7' },
  );
}
