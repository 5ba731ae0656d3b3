/** The built Worker (dist/, from `npm run build`) under `wrangler dev` on a free loopback port. */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../../db/sqld.ts";
import { startWorker, type WorkerServer } from "../../scripts/servers.ts";

/** The LINK_SECRET the built Worker runs with in tests, so a test can sign the links our emails carry. */
export const TEST_LINK_SECRET = "test-link-secret";

export async function startBuiltWorker(databaseUrl: string, vars: Record<string, string> = {}): Promise<WorkerServer> {
  if (!existsSync(join(ROOT, "dist", "server", "wrangler.json"))) {
    throw new Error("dist/ is missing: run `npm run build` first (npm test does it).");
  }
  const persistTo = mkdtempSync(join(tmpdir(), "rma-wrangler-"));
  const worker = await startWorker({ databaseUrl, vars: { LINK_SECRET: TEST_LINK_SECRET, ...vars }, persistTo });
  return {
    ...worker,
    // Its local state folder goes with it (suites start a dozen Workers per run).
    stop: async () => {
      await worker.stop();
      rmSync(persistTo, { recursive: true, force: true });
    },
  };
}

/** Runs the Worker's Cron Trigger handler now, as Cloudflare would (the job itself finishes after the answer). */
export function triggerScheduled(worker: Pick<WorkerServer, "url">): Promise<Response> {
  return fetch(`${worker.url}/cdn-cgi/handler/scheduled?cron=17+*+*+*+*`);
}
