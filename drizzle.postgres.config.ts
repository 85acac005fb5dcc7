import { defineConfig } from "drizzle-kit";

// PostgreSQL's migrations, from the tables derived from app/db/*.ts (decision 034). SQLite's stay in drizzle/.
export default defineConfig({
  dialect: "postgresql",
  schema: "./app/db/postgres/schema.ts",
  out: "./drizzle/postgres",
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://localhost/tally" },
});
