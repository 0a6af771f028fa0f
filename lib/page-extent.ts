/**
 * How far the lists count: up to this many entries, and "more than" beyond, so a count costs at
 * most this many index entries however long the list (issue 8: a list costs its page). At 1,000,
 * My contacts' two counts cost a tenth of its throughput (README "Performance"); at 200 most
 * customers still see their exact totals.
 */
export const COUNT_CAP = 200;

/**
 * Where a page's first row stands in its list (from 1) and how long the list is, each null when
 * it lies beyond COUNT_CAP. An empty page has no first row.
 */
export type PageExtent = { first: number | null; total: number | null };
