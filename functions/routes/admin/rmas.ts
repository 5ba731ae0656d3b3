import { Hono } from "hono";
import { ApiError } from "../../errors.ts";
import { deliverAfterResponse } from "../../http/background.ts";
import { limitBody, readBody } from "../../http/body.ts";
import type { AdminBindings } from "../../http/staff-guard.ts";
import { runRmaAction } from "../../services/rma/actions.ts";
import { loadRmaDetail } from "../../services/rma/detail.ts";
import { lookupParcel } from "../../services/rma/parcel-lookup.ts";
import { actionContext, queryOf } from "./context.ts";

/**
 * `GET /api/admin/rmas/{n}`: everything about one RMA and the actions allowed now.
 * `POST /api/admin/rmas/{n}/{action}`: one staff action (authorize, reject, receive, quote, ship...).
 * `GET /api/admin/lookup?q=`: a parcel's RMA by number or serial.
 */
export const adminRmas = new Hono<AdminBindings>()
  .get("/rmas/:number", async (c) => {
    const number = c.req.param("number");
    const detail = await loadRmaDetail(c.var.db, number, new Date());
    if (!detail) throw new ApiError(404, "not_found", `There is no RMA ${number.slice(0, 40)}.`);
    return c.json(detail);
  })
  .post("/rmas/:number/:action", limitBody(), async (c) => {
    const body = await readBody(c, ["json"]);
    const result = await runRmaAction(c.var.db, c.req.param("number"), c.req.param("action"), body.data, actionContext(c));
    await deliverAfterResponse(c, result.emailIds);
    return c.json(result);
  })
  .get("/lookup", async (c) => {
    const q = queryOf(c).get("q")?.trim() ?? "";
    if (!q) throw new ApiError(422, "validation_failed", "Type an RMA number or a serial number.", { q: "Required." });
    return c.json(await lookupParcel(c.var.db, q, new Date()));
  });
