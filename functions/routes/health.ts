import { sql } from "drizzle-orm";
import { Hono } from "hono";
import type { AppBindings } from "../context.ts";
import { unavailable } from "../errors.ts";

export const health = new Hono<AppBindings>().get("/", async (c) => {
  try {
    await c.var.db.run(sql`SELECT 1`);
  } catch {
    throw unavailable();
  }
  return c.json({ ok: true, db: "ok" });
});

/** `GET /api/ping`: the Worker and Hono answering, without the database (the benchmark's trivial route). */
export const ping = new Hono<AppBindings>().get("/", (c) => c.json({ ok: true }));
