import { defineConfig } from "drizzle-kit";

/** Migrations for PostgreSQL (DATABASE_URL=postgres://…); drizzle.config.ts has SQLite's. */
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.pg.ts",
  out: "./db/migrations-pg",
  dbCredentials: { url: process.env.DATABASE_URL || "postgres://localhost/service_contacts" },
});
