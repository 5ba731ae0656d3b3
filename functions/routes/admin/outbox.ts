import { Hono } from "hono";
import { pageNumberOf } from "../../domain/queue-filter.ts";
import { outboxRetrySchema } from "../../domain/staff-input.ts";
import { ApiError } from "../../errors.ts";
import { limitBody } from "../../http/body.ts";
import { readJson } from "../../http/json-input.ts";
import type { AdminBindings } from "../../http/staff-guard.ts";
import { isOutboxStatus, listOutbox, OUTBOX_STATUSES, retryOutbox } from "../../services/outbox/desk.ts";
import { queryOf } from "./context.ts";

/** `GET /api/admin/outbox?status=&page=`; `POST /api/admin/outbox/retry { ids } | { all: true }`. */
export const adminOutbox = new Hono<AdminBindings>()
  .get("/", async (c) => {
    const q = queryOf(c);
    const status = q.get("status") || undefined;
    if (status !== undefined && !isOutboxStatus(status)) {
      throw new ApiError(422, "validation_failed", `The status is one of ${OUTBOX_STATUSES.join(", ")}.`, {
        status: "Unknown status.",
      });
    }
    return c.json(await listOutbox(c.var.db, c.env, { status, page: pageNumberOf(q.get("page")) ?? 1 }));
  })
  .post("/retry", limitBody(), async (c) => {
    const input = await readJson(c, outboxRetrySchema);
    return c.json(await retryOutbox(c.var.db, c.env, "all" in input ? "all" : { ids: input.ids }));
  });
