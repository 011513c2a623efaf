import type cassandra from 'cassandra-driver';

/** Rows per page of a full-table scan: large enough to amortise round trips, small enough for any row size. */
export const DEFAULT_FETCH_SIZE = 5_000;

/**
 * Every row of `query`, one page at a time (`fetchSize` + `pageState`), so a
 * table of any size is scanned in bounded memory. Only small columns should
 * be selected: a page of blobs is `fetchSize` blobs.
 */
export async function* scanPages(
  client: cassandra.Client,
  query: string,
  params: unknown[] = [],
  fetchSize = DEFAULT_FETCH_SIZE,
): AsyncGenerator<cassandra.types.Row[]> {
  let pageState: string | undefined;
  do {
    const rs = await client.execute(query, params, {
      prepare: true,
      fetchSize,
      ...(pageState !== undefined ? { pageState } : {}),
    });
    if (rs.rows.length > 0) yield rs.rows;
    pageState = rs.pageState ?? undefined;
  } while (pageState !== undefined);
}
