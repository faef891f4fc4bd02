/** One page of a Cin7 list: the records and the envelope's `Total` (all matching records). */
export interface Cin7PageResult<T> {
  Total: number;
  rows: T[];
}

/**
 * Walks Cin7's `Page`/`Limit` paging (reference/cin7-core-api.md §2). Cin7 returns no page count and does
 * not echo the limit, so the number of pages is ceil(Total / limit); an empty page also ends the walk, in
 * case `Total` shrinks while we read.
 */
export async function* paginate<T>(
  fetchPage: (page: number, limit: number) => Promise<Cin7PageResult<T>>,
  limit: number,
): AsyncGenerator<T, void, undefined> {
  for (let page = 1; ; page += 1) {
    const { Total, rows } = await fetchPage(page, limit);
    yield* rows;
    if (rows.length === 0 || page >= Math.ceil(Total / limit)) return;
  }
}
