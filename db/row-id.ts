/** The largest id a row can have: ids are 32-bit integers on PostgreSQL (SQLite's are wider). */
export const MAX_ROW_ID = 2_147_483_647;

/** Whether `value` can be a row's id; anything else names no row on either engine. */
export function isRowId(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 1 && value <= MAX_ROW_ID;
}
