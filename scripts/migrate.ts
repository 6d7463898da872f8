// `npm run db:migrate`: applies the app's migrations to DATABASE_URL and exits, for deploys that
// migrate before they start instances. Safe to run while instances start or run: the runner
// takes PostgreSQL's advisory lock per migration (lib/store/migrations.ts), and instances apply
// whatever is missing at start under the same lock anyway.
import nextEnv from "@next/env";
import { MIGRATIONS, runMigrations } from "../lib/store/migrations";
import { postgresDb } from "../lib/store/postgres";

nextEnv.loadEnvConfig(process.cwd(), false, { info: () => undefined, error: console.error });
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set: nothing to migrate (without it the app uses embedded PGlite, which migrates itself at start).");
  process.exit(1);
}
const db = postgresDb(url, { max: 1 });
try {
  const applied = await runMigrations(db);
  console.log(
    applied.length ? `applied migrations ${applied.join(", ")} of ${MIGRATIONS.length}` : `up to date (${MIGRATIONS.length} migrations)`,
  );
} catch (error) {
  console.error(`migration failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.close();
}
