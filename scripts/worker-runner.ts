/**
 * The built Worker (dist/server/wrangler.json) on workerd through Miniflare's API, as a child process of
 * `startWorker` in scripts/servers.ts (which documents the addresses and why it is a child process).
 *
 * Started with an IPC channel and its settings as JSON in RMA_WORKER_RUNNER; it sends
 * `{ url, entryUrl }` over IPC when workerd listens, prints the Worker's logs on stdout/stderr, and
 * stops workerd and exits on the IPC message `stop`, on SIGTERM or SIGINT, and when its parent goes away
 * (the IPC channel closes).
 */
import { readdirSync } from "node:fs";
import { dirname, join, matchesGlob } from "node:path";
import { convertV4MiniflareOptions, type Json, Log, LogLevel, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

export interface RunnerSettings {
  /** dist/server/wrangler.json, as `astro build` writes it. */
  config: string;
  /** The Worker's address on 127.0.0.1 (0: a free port). */
  port: number;
  /** Miniflare's entry socket (0: a free port). */
  entryPort: number;
  /** Bindings over the config's `[vars]`. */
  vars: Record<string, string>;
  /** Local state (R2, KV, caches…): `<persistTo>/v3`, the layout `wrangler dev --persist-to` uses. */
  persistTo: string;
  /** Miniflare's own messages (the Worker's console output is always printed). */
  logLevel: "info" | "warn";
}

export interface RunnerReady {
  url: string;
  entryUrl: string;
}

type ModuleType = "ESModule" | "CommonJS" | "Text" | "Data" | "CompiledWasm" | "PythonModule" | "PythonRequirement";

/**
 * Every file of the built Worker that the config's module rules name (the bundle is not rebuilt:
 * `no_bundle`), the entry first, as wrangler would upload them.
 */
function workerModules(root: string, main: string, rules: { type: ModuleType; include: string[] }[]) {
  const modules: { type: ModuleType; path: string }[] = [];
  for (const file of readdirSync(root, { recursive: true, encoding: "utf8" }).sort()) {
    const rule = rules.find((r) => r.include.some((glob) => matchesGlob(file, glob)));
    if (rule) modules.push({ type: rule.type, path: join(root, file) });
  }
  const first = modules.findIndex((m) => m.path === main);
  if (first < 0) throw new Error(`${main} is not among the built modules in ${root}`);
  modules.unshift(...modules.splice(first, 1));
  return modules;
}

function miniflareOptions(s: RunnerSettings) {
  const { workerOptions, main, externalWorkers } = unstable_getMiniflareWorkerOptions(s.config);
  const root = dirname(s.config);
  if (!main) throw new Error(`${s.config} names no main module`);
  const rules = (workerOptions.modulesRules ?? []).map((r) => ({ type: r.type, include: r.include }));
  const name = "rma-portal";
  return convertV4MiniflareOptions({
    host: "127.0.0.1",
    port: s.entryPort,
    log: new Log(s.logLevel === "info" ? LogLevel.INFO : LogLevel.WARN),
    // Request.cf is a fixed placeholder: nothing is fetched from Cloudflare.
    cf: false,
    // The entry socket answers /cdn-cgi/local/scheduled (the Cron Trigger), as `wrangler dev` does (which also
    // rewrites the older /cdn-cgi/handler/* paths).
    unsafeTriggerHandlers: true,
    // No request lines: each would be a call from workerd back into this Node process.
    logRequests: false,
    // workerd prints uncaught exceptions (a failed Cron Trigger run, a rejected waitUntil) only when verbose;
    // `wrangler dev` shows them through its inspector connection instead.
    verbose: true,
    resourcePersistencePath: join(s.persistTo, "v3"),
    workers: [
      {
        ...workerOptions,
        name,
        modulesRoot: root,
        modules: workerModules(root, main, rules),
        // wrangler's type of these options (an Omit of an indexed type) has lost the field types.
        bindings: { ...(workerOptions["bindings"] as Record<string, Json> | undefined), ...s.vars },
        unsafeDirectSockets: [{ host: "127.0.0.1", port: s.port }],
      },
      ...externalWorkers,
    ],
  });
}

async function main(): Promise<void> {
  const settings = JSON.parse(process.env["RMA_WORKER_RUNNER"] ?? "null") as RunnerSettings | null;
  if (!settings || !process.send) throw new Error("scripts/worker-runner.ts is started by startWorker (scripts/servers.ts)");
  const mf = new Miniflare(miniflareOptions(settings));
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= mf
      .dispose()
      .catch((err: unknown) => console.error(`stopping workerd: ${String(err)}`))
      .finally(() => process.exit(0));
    return stopping;
  };
  // `stop` from startWorker; SIGTERM/SIGINT also stop workerd (Miniflare's exit hook) but without waiting for it.
  process.on("message", (m) => m === "stop" && void stop());
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
  process.on("disconnect", () => void stop());
  const entry = await mf.ready;
  const direct = await mf.unsafeGetDirectURL("rma-portal");
  const ready: RunnerReady = { url: direct.origin, entryUrl: entry.origin };
  process.send(ready);
}

await main();
