import fs from "node:fs";
import { getTableConfig as pgConfig } from "drizzle-orm/pg-core";
import { getTableConfig as sqliteConfig } from "drizzle-orm/sqlite-core";
import { describe, expect, expectTypeOf, it } from "vitest";
import * as pg from "./schema.pg";
import * as sqlite from "./schema.sqlite";

/** What both engines must agree on, table by table; the column types are each engine's own. */
function shape(config: ReturnType<typeof sqliteConfig> | ReturnType<typeof pgConfig>) {
  return {
    name: config.name,
    columns: config.columns
      .map((c) => ({ name: c.name, notNull: c.notNull, hasDefault: c.hasDefault, primary: c.primary }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    indexes: config.indexes
      .map((i) => ({
        name: i.config.name,
        unique: i.config.unique,
        partial: Boolean(i.config.where),
        columns: i.config.columns.map((c) => ("name" in c ? c.name : "(expression)")),
      }))
      // Substring search is a GIN trigram index on PostgreSQL and an FTS5 table on SQLite.
      .filter((i) => i.name !== "services_name_trgm_idx")
      .sort((a, b) => String(a.name).localeCompare(String(b.name))),
    uniqueColumns: config.columns
      .filter((c) => c.isUnique)
      .map((c) => c.name)
      .sort(),
    foreignKeys: config.foreignKeys
      .map((fk) => {
        const ref = fk.reference();
        return `${ref.columns.map((c) => c.name).join(",")}->${ref.foreignColumns.map((c) => c.name).join(",")} ${fk.onDelete ?? "no action"}`;
      })
      .sort(),
  };
}

const tableNames = Object.keys(sqlite).filter(
  (key) => typeof (sqlite as Record<string, unknown>)[key] === "object",
);

describe("the SQLite and PostgreSQL schemas", () => {
  it("declare the same tables", () => {
    const pgTables = Object.keys(pg).filter(
      (key) => typeof (pg as Record<string, unknown>)[key] === "object",
    );
    expect(pgTables.sort()).toEqual(tableNames.sort());
    expect(tableNames.length).toBe(23);
  });

  it.each(tableNames)("agree on %s: columns, defaults, keys and indexes", (name) => {
    const a = shape(sqliteConfig((sqlite as never)[name]));
    const b = shape(pgConfig((pg as never)[name]));
    expect(b).toEqual(a);
  });

  it("give the use cases the same row types", () => {
    expectTypeOf<typeof pg.accounts.$inferSelect>().toEqualTypeOf<typeof sqlite.accounts.$inferSelect>();
    expectTypeOf<typeof pg.services.$inferSelect>().toEqualTypeOf<typeof sqlite.services.$inferSelect>();
    expectTypeOf<typeof pg.changeRequests.$inferSelect>().toEqualTypeOf<
      typeof sqlite.changeRequests.$inferSelect
    >();
    expectTypeOf<typeof pg.confirmations.$inferSelect>().toEqualTypeOf<
      typeof sqlite.confirmations.$inferSelect
    >();
    expectTypeOf<typeof pg.requestEvents.$inferSelect>().toEqualTypeOf<
      typeof sqlite.requestEvents.$inferSelect
    >();
    expectTypeOf<typeof pg.outbox.$inferSelect>().toEqualTypeOf<typeof sqlite.outbox.$inferSelect>();
    expectTypeOf<typeof pg.emailChanges.$inferSelect>().toEqualTypeOf<
      typeof sqlite.emailChanges.$inferSelect
    >();
    expectTypeOf<typeof pg.invoices.$inferSelect>().toEqualTypeOf<typeof sqlite.invoices.$inferSelect>();
    expectTypeOf<typeof pg.sessions.$inferSelect>().toEqualTypeOf<typeof sqlite.sessions.$inferSelect>();
    expectTypeOf<typeof pg.throttleAttempts.$inferSelect>().toEqualTypeOf<
      typeof sqlite.throttleAttempts.$inferSelect
    >();
    expectTypeOf<typeof pg.emailProviderState.$inferSelect>().toEqualTypeOf<
      typeof sqlite.emailProviderState.$inferSelect
    >();
    expectTypeOf<typeof pg.apiApplications.$inferSelect>().toEqualTypeOf<
      typeof sqlite.apiApplications.$inferSelect
    >();
    expectTypeOf<typeof pg.apiConsumerKeys.$inferSelect>().toEqualTypeOf<
      typeof sqlite.apiConsumerKeys.$inferSelect
    >();
    expectTypeOf<typeof pg.apiSeenSignatures.$inferSelect>().toEqualTypeOf<
      typeof sqlite.apiSeenSignatures.$inferSelect
    >();
  });

  it("have committed migrations for both engines, PostgreSQL's without a fixed schema", () => {
    const journal = (folder: string) =>
      JSON.parse(fs.readFileSync(`db/${folder}/meta/_journal.json`, "utf8")).entries as { tag: string }[];
    expect(journal("migrations").length).toBeGreaterThan(0);
    for (const { tag } of journal("migrations-pg")) {
      const text = fs.readFileSync(`db/migrations-pg/${tag}.sql`, "utf8");
      // Unqualified names, so the app (and each test) can live in any schema of its search_path.
      expect(text).not.toContain('"public".');
    }
  });
});
