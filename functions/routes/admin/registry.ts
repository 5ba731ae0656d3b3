import { Hono } from "hono";
import { pageNumberOf } from "../../domain/queue-filter.ts";
import { registryImportSchema, registryPreviewSchema } from "../../domain/staff-input.ts";
import { limitBody } from "../../http/body.ts";
import { readJson } from "../../http/json-input.ts";
import type { AdminBindings } from "../../http/staff-guard.ts";
import { commitImport, MAX_CSV_BYTES, previewImport } from "../../services/registry/import.ts";
import { searchRegistry } from "../../services/registry/search.ts";
import { queryOf } from "./context.ts";

/** The CSV travels inside JSON: a little room for its quoting. */
const csvBody = () => limitBody(MAX_CSV_BYTES + 64 * 1024);

/**
 * `GET /api/admin/registry?q=&page=`: search serial numbers. `POST /api/admin/registry/preview { csv }`:
 * what an import would add, change and refuse, writing nothing. `POST /api/admin/registry/import
 * { csv, expected? }`: write it, in one batch.
 */
export const adminRegistry = new Hono<AdminBindings>()
  .get("/", async (c) => {
    const q = queryOf(c);
    return c.json(await searchRegistry(c.var.db, q.get("q") ?? "", pageNumberOf(q.get("page")) ?? 1, new Date()));
  })
  .post("/preview", csvBody(), async (c) => {
    const { csv } = await readJson(c, registryPreviewSchema);
    return c.json(await previewImport(c.var.db, csv));
  })
  .post("/import", csvBody(), async (c) => {
    const { csv, expected } = await readJson(c, registryImportSchema);
    return c.json(await commitImport(c.var.db, csv, { ...(expected ? { expected } : {}), now: new Date() }));
  });
