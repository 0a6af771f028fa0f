import { and, eq, gt, inArray, lte, or, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Db, Reader } from "@/db/client";
import { accounts, changeRequests } from "@/db/schema";
import { type OvhTaskState, requestStateOf } from "./ovh-vocabulary";

/** `GET /me/task/contactChange`'s filters, customer IDs already parsed. */
export type TaskListFilters = {
  state?: OvhTaskState;
  askingAccount?: string;
  toAccount?: string;
};

/**
 * The condition an OVH state filter puts on a request, read as effectiveState reads it: a request
 * stored as pending but past its deadline is expired, not waiting. Undefined: no filter.
 */
export function stateCondition(state: OvhTaskState | undefined, now: Date): SQL | undefined | null {
  if (state === undefined) return undefined;
  const ours = requestStateOf(state);
  switch (ours) {
    case null:
      return null;
    case "pending":
      return and(eq(changeRequests.state, "pending"), gt(changeRequests.expiresAt, now));
    case "expired":
      return or(
        eq(changeRequests.state, "expired"),
        and(eq(changeRequests.state, "pending"), lte(changeRequests.expiresAt, now)),
      );
    default:
      return eq(changeRequests.state, ours);
  }
}

/**
 * The ids of the contact change tasks `accountId` is party to (the ones My requests lists),
 * newest first, narrowed by OVH's filters: `state` in OVH's names, `askingAccount` (who asked)
 * and `toAccount` (the new contact) as customer IDs. Two statements: the filters' accounts, then
 * one arm per party column, each a range of that column's (party, state, id) or (party, id)
 * index, merged by UNION. An administrator of 10,000 requests costs 10,000 index entries.
 */
export async function listContactChangeTasks(
  db: Db,
  { accountId, filters, now }: { accountId: number; filters: TaskListFilters; now: Date },
): Promise<number[]> {
  const state = stateCondition(filters.state, now);
  // An OVH state this app never reaches (todo, doing…) matches nothing.
  if (state === null) return [];

  const named = [filters.askingAccount, filters.toAccount].filter((id): id is string => id !== undefined);
  const idOf = new Map<string, number>();
  if (named.length > 0) {
    const rows = await db.read
      .select({ id: accounts.id, customerId: accounts.customerId })
      .from(accounts)
      .where(inArray(accounts.customerId, named));
    for (const row of rows) idOf.set(row.customerId, row.id);
  }
  const askingId = filters.askingAccount === undefined ? undefined : idOf.get(filters.askingAccount);
  const toId = filters.toAccount === undefined ? undefined : idOf.get(filters.toAccount);
  // A filter naming no account matches nothing, whether or not the account exists elsewhere.
  if (
    (filters.askingAccount !== undefined && askingId === undefined) ||
    (filters.toAccount !== undefined && toId === undefined)
  ) {
    return [];
  }

  const rows = await taskIdsQuery(db.read, { accountId, state, askingId, toId });
  // UNION leaves the order to the engine; ids sort newest first at no cost worth an ORDER BY.
  return rows.map((row) => Number(row.id)).sort((a, b) => b - a);
}

/**
 * The statement behind listContactChangeTasks (exported for its query plan tests): one arm per
 * party column, each narrowed by the filters, merged by UNION.
 */
export function taskIdsQuery(
  reader: Reader,
  {
    accountId,
    state,
    askingId,
    toId,
  }: { accountId: number; state: SQL | undefined; askingId?: number; toId?: number },
) {
  const extra = and(
    state,
    askingId === undefined ? undefined : eq(changeRequests.requestedById, askingId),
    toId === undefined ? undefined : eq(changeRequests.newContactId, toId),
  );
  // The columns that make an account party to a request: it asked, is replaced, is the new
  // contact, or administers the service now (`service_admin_id`, kept current by a trigger). These
  // are the accounts canViewRequest lets see a request: a confirmer is always the account that
  // asked or the new contact (CONFIRMERS_BY_KIND), so confirmations add no one, as in My requests
  // (lib/requests/request-list-sql.ts).
  const arm = (column: SQLiteColumn) =>
    reader
      .select({ id: changeRequests.id })
      .from(changeRequests)
      .where(and(eq(column, accountId), extra));
  const [asker, old, fresh, admin] = [
    arm(changeRequests.requestedById),
    arm(changeRequests.oldContactId),
    arm(changeRequests.newContactId),
    arm(changeRequests.serviceAdminId),
  ];
  return asker.union(old).union(fresh).union(admin);
}
