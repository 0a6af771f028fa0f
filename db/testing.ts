import { randomBytes } from "node:crypto";
import { type SQL, sql } from "drizzle-orm";
import pg from "pg";
import { databaseDialect, databaseUrl } from "@/lib/config";
import { type Db, migrateDb, openDb, type Reader, rawRows } from "./client";

let admin: pg.Pool | undefined;

/** `url` with `search_path` set to `schema` (then public, where pg_trgm lives) for every connection. */
function inSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set("options", `-c search_path=${schema},public`);
  return parsed.toString();
}

/**
 * A migrated, empty database for one test. On SQLite it is in memory unless a file is given (for
 * tests that open several connections); on PostgreSQL (DATABASE_URL set) it is a fresh schema of
 * that database. Either way `openDb(db.location)` opens another connection to the same data.
 */
export async function openTestDb(file = ":memory:"): Promise<Db> {
  if (databaseDialect() === "sqlite") {
    const db = openDb(file);
    await migrateDb(db);
    return db;
  }
  const url = databaseUrl() as string;
  admin ??= new pg.Pool({ connectionString: url, max: 1 });
  const schema = `t_${process.pid}_${randomBytes(4).toString("hex")}`;
  await admin.query(`CREATE SCHEMA ${schema}`);
  const db = openDb(inSchema(url, schema));
  await migrateDb(db, { migrationsSchema: schema });
  return db;
}

/** One node of PostgreSQL's `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)`. */
export type PlanNode = {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  "Actual Rows": number;
  "Actual Loops": number;
  "Rows Removed by Filter"?: number;
  "Rows Removed by Index Recheck"?: number;
  "Shared Hit Blocks": number;
  "Shared Read Blocks": number;
  Plans?: PlanNode[];
};
export type PlanAnalysis = { nodes: PlanNode[]; rowsRead: number; buffers: number };

/**
 * Runs `query` under EXPLAIN ANALYZE on PostgreSQL: every node of its plan, the rows the nodes
 * `isCounted` picks took from indexes and tables (kept or filtered out, times their loops), and
 * the buffers the whole plan touched.
 */
export async function analyzeOnPostgres(
  reader: Reader,
  query: SQL,
  isCounted: (node: PlanNode) => boolean,
): Promise<PlanAnalysis> {
  const [row] = await rawRows<{ "QUERY PLAN": unknown }>(
    reader,
    sql`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${query}`,
  );
  const output = row?.["QUERY PLAN"];
  const [{ Plan: root }] = (typeof output === "string" ? JSON.parse(output) : output) as [{ Plan: PlanNode }];
  const nodes: PlanNode[] = [];
  const visit = (node: PlanNode) => {
    nodes.push(node);
    for (const child of node.Plans ?? []) visit(child);
  };
  visit(root);
  const rowsRead = nodes
    .filter(isCounted)
    .reduce(
      (sum, node) =>
        sum +
        (node["Actual Rows"] +
          (node["Rows Removed by Filter"] ?? 0) +
          (node["Rows Removed by Index Recheck"] ?? 0)) *
          node["Actual Loops"],
      0,
    );
  return { nodes, rowsRead, buffers: root["Shared Hit Blocks"] + root["Shared Read Blocks"] };
}
