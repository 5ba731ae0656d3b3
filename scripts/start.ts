/**
 * `npm start`: sqld, migrations, demo data, build, and the built Worker on http://127.0.0.1:$PORT, on
 * workerd through Miniflare's API (scripts/servers.ts). `npm run dev:wrangler` (`--wrangler`) serves the
 * same build under `wrangler dev` instead. Ctrl-C stops everything it started; data stays in .data/.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { migrateDatabase } from "../db/migrate.ts";
import { DEMO_ADMIN_EMAIL, DEMO_SERIALS, seedDatabase } from "../db/seed.ts";
import { ROOT, startSqld, toolEnv } from "../db/sqld.ts";
import { addStaffUser } from "../db/staff.ts";
import { startWorker, startWranglerDev } from "./servers.ts";

const port = Number(process.env["PORT"] ?? 8787);
const underWrangler = process.argv.includes("--wrangler");
const sqldPort = Number(process.env["SQLD_PORT"] ?? 8880);
const adminEmail = process.env["ADMIN_EMAIL"] ?? DEMO_ADMIN_EMAIL;

/**
 * The local staff password: ADMIN_PASSWORD, or a random one made once into `.data/admin-password` (and
 * printed). `fresh` says it was just made, so the account's password is set to it even if it existed.
 */
function localAdminPassword(): { password: string; fresh: boolean } {
  const given = process.env["ADMIN_PASSWORD"];
  if (given) return { password: given, fresh: false };
  const file = join(ROOT, ".data", sqldPort === 8880 ? "admin-password" : `admin-password-${sqldPort}`);
  if (existsSync(file)) return { password: readFileSync(file, "utf8").trim(), fresh: false };
  const password = randomBytes(15).toString("base64url");
  writeFileSync(file, password, { mode: 0o600 });
  return { password, fresh: true };
}

/** A local signing secret, made once and kept beside the data. */
function localSecret(): string {
  if (process.env["LINK_SECRET"]) return process.env["LINK_SECRET"];
  const file = join(ROOT, ".data", "link-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

const sqld = await startSqld({ port: sqldPort });
console.log(`sqld listening on ${sqld.url} (data in .data/)`);
let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
let stopping = false;
let cron: NodeJS.Timeout | undefined;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  clearTimeout(cron);
  await worker?.stop();
  await sqld.stop();
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

try {
  await migrateDatabase(sqld.url);
  const admin = localAdminPassword();
  const seeded = await seedDatabase(sqld.url, { adminEmail, adminPassword: admin.password });
  if (admin.fresh && !seeded.staffAdded) {
    // An account from before the password file (the old built-in password): it takes the new one.
    const client = createClient({ url: sqld.url });
    await addStaffUser(client, adminEmail, admin.password).finally(() => client.close());
  }
  console.log(`database migrated; seed added ${seeded.productsAdded} registry units`);
  if (process.env["SKIP_BUILD"] !== "1") {
    const build = spawnSync(join(ROOT, "node_modules", ".bin", "astro"), ["build"], {
      cwd: ROOT,
      stdio: "inherit",
      env: toolEnv(),
    });
    if (build.status !== 0) throw new Error("astro build failed");
  }
  const vars: Record<string, string> = { LINK_SECRET: localSecret() };
  for (const k of ["RESEND_API_KEY", "RESEND_BASE_URL", "EMAIL_FROM", "STAFF_EMAIL"]) {
    const v = process.env[k];
    if (v) vars[k] = v;
  }
  // Both runners keep the bindings' local state (R2 and others) in the same folder and layout.
  const run = underWrangler ? startWranglerDev : startWorker;
  worker = await run({ databaseUrl: sqld.url, port, vars, persistTo: join(ROOT, ".data", `wrangler-${port}`), inherit: true });
  worker.process.on("exit", (code) => void shutdown(code ?? 1));
  cron = runCronHourly(`${worker.entryUrl}/cdn-cgi/local/scheduled?cron=17+*+*+*+*`);
  console.log(`
  Alkeria RMA portal is running: ${worker.url}${underWrangler ? " (under wrangler dev)" : ""}

  Staff sign-in:   ${worker.url}/admin/login
                   ${adminEmail} / ${process.env["ADMIN_PASSWORD"] ? "(ADMIN_PASSWORD)" : `${admin.password}   (kept in .data/, made once)`}
  Demo serials:    ${DEMO_SERIALS.inWarranty} (in warranty), ${DEMO_SERIALS.outOfWarranty} (out of warranty), ${DEMO_SERIALS.unknown} (not in the registry)
  Cron Trigger:    runs at minute 17 of every hour, as wrangler.toml declares; to run it now:
                   ${worker.entryUrl}/cdn-cgi/local/scheduled?cron=17+*+*+*+*

  Ctrl-C stops the portal and sqld.
`);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  await shutdown(1);
}

/**
 * Runs the Worker's Cron Trigger at minute 17 of every hour (wrangler.toml's `17 * * * *`), as Cloudflare
 * does in production, so a local portal also records expiries, sends reminders and retries emails.
 * Returns the pending timer (cleared on shutdown).
 */
function runCronHourly(url: string): NodeJS.Timeout {
  const next = new Date();
  next.setUTCMinutes(17, 0, 0);
  if (next.getTime() <= Date.now()) next.setUTCHours(next.getUTCHours() + 1);
  return setTimeout(async () => {
    const answer = await fetch(url).catch((err: unknown) => err);
    if (!(answer instanceof Response) || !answer.ok) {
      console.error(`the hourly Cron Trigger failed: ${answer instanceof Response ? answer.status : String(answer)}`);
    }
    if (!stopping) cron = runCronHourly(url);
  }, next.getTime() - Date.now());
}
