import Database from "better-sqlite3";
import { SQLiteSyncDialect } from "drizzle-orm/sqlite-core";
import { AWAITING_FIRST_LIMIT } from "@/lib/requests/list-requests";
import { awaitingRequestIdsSql, listCountsSql, partyRequestIdsSql } from "@/lib/requests/request-list-sql";
const raw = new Database(".test-data/bench-10000/app.db", { readonly: true });
const accountId = (raw.prepare("SELECT id FROM accounts WHERE customer_id = 'xx900000-ovh'").get() as { id: number }).id;
const now = new Date();
const d = new SQLiteSyncDialect();
const ids = (limit: number, shares: boolean) => ({
  opening: awaitingRequestIdsSql({ dialect: "sqlite", accountId, bound: null, limit: AWAITING_FIRST_LIMIT, now }),
  rest: partyRequestIdsSql({ dialect: "sqlite", accountId, filter: "all", bound: null, excludesOpening: true, limit, sharesLimitWithOpening: shares, now }),
});
const q = d.sqlToQuery(listCountsSql({ ids: ids(1001, true), above: null }));
const time = (label: string, source: string, params: unknown[], n = 300) => {
  const st = raw.prepare(source);
  for (let i = 0; i < 30; i++) st.all(...params);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) st.all(...params);
  console.log(label, ((performance.now() - t0) / n).toFixed(3), "ms", JSON.stringify(st.all(...params)));
};
console.log(q.sql);
for (let r = 0; r < 2; r++) {
time("count", q.sql, q.params);
time("arm admin 1001", "SELECT count(*) FROM (SELECT id FROM change_requests WHERE service_admin_id = ? ORDER BY id DESC LIMIT 1001)", [accountId]);
time("union plain", "SELECT count(*) FROM (SELECT id FROM (SELECT id FROM change_requests WHERE service_admin_id = ? ORDER BY id DESC LIMIT 1001) UNION SELECT id FROM (SELECT id FROM change_requests WHERE requested_by_id = ? ORDER BY id DESC LIMIT 1001) UNION SELECT id FROM (SELECT id FROM change_requests WHERE old_contact_id = ? ORDER BY id DESC LIMIT 1001) UNION SELECT id FROM (SELECT id FROM change_requests WHERE new_contact_id = ? ORDER BY id DESC LIMIT 1001))", [accountId, accountId, accountId, accountId]);
time("union ordered", "SELECT count(*) FROM (SELECT id FROM (SELECT id FROM change_requests WHERE service_admin_id = ? ORDER BY id DESC LIMIT 1001) UNION SELECT id FROM (SELECT id FROM change_requests WHERE requested_by_id = ? ORDER BY id DESC LIMIT 1001) UNION SELECT id FROM (SELECT id FROM change_requests WHERE old_contact_id = ? ORDER BY id DESC LIMIT 1001) UNION SELECT id FROM (SELECT id FROM change_requests WHERE new_contact_id = ? ORDER BY id DESC LIMIT 1001) ORDER BY id DESC LIMIT 1001)", [accountId, accountId, accountId, accountId]);
}
