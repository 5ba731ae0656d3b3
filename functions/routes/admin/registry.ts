import { Hono } from "hono";
import { pageNumberOf } from "../../domain/queue-filter.ts";
import { registryImportSchema, registryPreviewSchema } from "../../domain/staff-input.ts";
import { limitBody } from "../../http/body.ts";
import { readJson } from "../../http/json-input.ts";
import { type AdminBindings, requirePermission } from "../../http/staff-guard.ts";
import { commitImport, MAX_CSV_BYTES, previewImport } from "../../services/registry/import.ts";
import { searchRegistry } from "../../services/registry/search.ts";
import { recordAudit } from "../../services/team/audit.ts";
import { auditorFor, queryOf } from "./context.ts";

/** The CSV travels inside JSON: a little room for its quoting. */
const csvBody = () => limitBody(MAX_CSV_BYTES + 64 * 1024);

/**
 * `GET /api/admin/registry?q=&page=`: search serial numbers. `POST /api/admin/registry/preview { csv }`:
 * what an import would add, change and refuse, writing nothing. `POST /api/admin/registry/import
 * { csv, expected? }`: write it, in one batch.
 */
export const adminRegistry = new Hono<AdminBindings>()
  .get("/", requirePermission("desk.read"), async (c) => {
    const q = queryOf(c);
    return c.json(await searchRegistry(c.var.db, q.get("q") ?? "", pageNumberOf(q.get("page")) ?? 1, new Date()));
  })
  .post("/preview", requirePermission("registry.import"), csvBody(), async (c) => {
    const { csv } = await readJson(c, registryPreviewSchema);
    return c.json(await previewImport(c.var.db, csv));
  })
  .post("/import", requirePermission("registry.import"), csvBody(), async (c) => {
    const { csv, expected } = await readJson(c, registryImportSchema);
    const result = await commitImport(c.var.db, csv, { ...(expected ? { expected } : {}), now: new Date() });
    await recordAudit(c.var.db, auditorFor(c), { kind: "registry-import", subject: "registry", detail: importSummary(result) });
    return c.json(result);
  });

/** What an import changed, for the audit log: its counts (never the whole CSV). */
export function importSummary(result: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (result && typeof result === "object") {
    for (const [k, v] of Object.entries(result)) if (typeof v === "number" || typeof v === "boolean") out[k] = v;
  }
  return out;
}
