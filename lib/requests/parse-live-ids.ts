import { isRowId } from "@/db/row-id";
import { MAX_LIVE_REQUESTS } from "./read-live-states";

/**
 * The `ids` of a live-state query (`1,2,3`): each a row id, at most MAX_LIVE_REQUESTS. Returns a
 * message for anything else, so a forged query is a 400 and never reaches the database.
 */
export function parseLiveIds(
  value: string | null,
): { ok: true; ids: number[] } | { ok: false; message: string } {
  if (!value) return { ok: false, message: "ids is required: request ids separated by commas." };
  const parts = value.split(",");
  if (parts.length > MAX_LIVE_REQUESTS)
    return { ok: false, message: `ids may name at most ${MAX_LIVE_REQUESTS} requests.` };
  const ids = parts.map((part) => (/^[0-9]{1,10}$/.test(part) ? Number(part) : Number.NaN));
  if (!ids.every(isRowId)) return { ok: false, message: "ids must be request ids separated by commas." };
  return { ok: true, ids };
}
