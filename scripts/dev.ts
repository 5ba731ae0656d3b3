/** `npm run dev`: sqld (migrated, seeded) and `astro dev` against it, both stopped with Ctrl-C. */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { migrateDatabase } from "../db/migrate.ts";
import { seedDatabase } from "../db/seed.ts";
import { ROOT, startSqld, toolEnv } from "../db/sqld.ts";

const port = Number(process.env["PORT"] ?? 8787);
const sqld = await startSqld({ port: Number(process.env["SQLD_PORT"] ?? 8880) });
await migrateDatabase(sqld.url);
await seedDatabase(sqld.url, {
  ...(process.env["ADMIN_EMAIL"] ? { adminEmail: process.env["ADMIN_EMAIL"] } : {}),
  ...(process.env["ADMIN_PASSWORD"] ? { adminPassword: process.env["ADMIN_PASSWORD"] } : {}),
});
// astro dev runs the server code in workerd and reads vars from wrangler.toml, overridden by .dev.vars.
writeFileSync(
  join(ROOT, ".dev.vars"),
  `DATABASE_URL=${sqld.url}\nPUBLIC_URL=http://127.0.0.1:${port}\nLINK_SECRET=${process.env["LINK_SECRET"] ?? "dev-only-secret"}\n`,
);
const astro = spawn(join(ROOT, "node_modules", ".bin", "astro"), ["dev", "--host", "127.0.0.1", "--port", String(port)], {
  cwd: ROOT,
  env: toolEnv(),
  stdio: "inherit",
});
const stop = async () => {
  astro.kill("SIGTERM");
  await sqld.stop();
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());
astro.on("exit", () => void stop());
