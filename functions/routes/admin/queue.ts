import { Hono } from "hono";
import { parseQueueFilter } from "../../domain/queue-filter.ts";
import { ApiError } from "../../errors.ts";
import type { AdminBindings } from "../../http/staff-guard.ts";
import { loadQueue } from "../../services/rma/queue.ts";
import { queryOf } from "./context.ts";

/** `GET /api/admin/queue?status=&model=&warranty=covered|not-covered&from=&to=&q=&page=` */
export const adminQueue = new Hono<AdminBindings>().get("/", async (c) => {
  const { filter, errors } = parseQueueFilter(queryOf(c));
  if (Object.keys(errors).length > 0) throw new ApiError(422, "validation_failed", "Some filters cannot be used.", errors);
  return c.json(await loadQueue(c.var.db, filter, new Date()));
});
