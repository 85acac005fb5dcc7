// `npm run setup`: creates the SQLite database at DATABASE_PATH (default data/tally.sqlite) and applies every
// migration in drizzle/. The app does the same at start; this is for deploy pipelines that migrate first.
import { openDatabase } from "../app/db/client.server";

const file = process.env.DATABASE_PATH ?? "data/tally.sqlite";
const db = openDatabase(file);
const applied = db.$client.prepare("select count(*) as n from __drizzle_migrations").get() as { n: number };
console.log(`Database ready at ${file} (${applied.n} migrations applied).`);
db.$client.close();
