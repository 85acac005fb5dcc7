import { execFileSync } from "node:child_process";

/*
 * `npm run db:generate [-- --name <what>]`: a migration for each dialect from app/db/*.ts (decision 034), SQLite's in
 * drizzle/ and PostgreSQL's in drizzle/postgres/ (from the tables app/db/postgres/derive.ts derives).
 */
const args = process.argv.slice(2);
for (const config of ["drizzle.config.ts", "drizzle.postgres.config.ts"]) {
  execFileSync("npx", ["drizzle-kit", "generate", "--config", config, ...args], { stdio: "inherit" });
}
