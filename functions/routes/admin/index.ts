/**
 * The staff API under /api/admin: every route needs a staff session (401 without one) except signing
 * in, and every POST/PUT/PATCH/DELETE must carry the portal's own Origin (403 otherwise).
 */
import { Hono } from "hono";
import { type AdminBindings, requireStaff, sameOrigin } from "../../http/staff-guard.ts";
import { adminOutbox } from "./outbox.ts";
import { adminQueue } from "./queue.ts";
import { adminRegistry } from "./registry.ts";
import { adminRmas } from "./rmas.ts";
import { adminSession } from "./session.ts";
import { adminSettings } from "./settings.ts";

const isSignIn = (method: string, path: string) => method === "POST" && /\/admin\/session\/?$/.test(path);

export const admin = new Hono<AdminBindings>()
  .use(sameOrigin)
  .use((c, next) => (isSignIn(c.req.method, c.req.path) ? next() : requireStaff(c, next)))
  .route("/session", adminSession)
  .route("/queue", adminQueue)
  .route("/registry", adminRegistry)
  .route("/outbox", adminOutbox)
  .route("/settings", adminSettings)
  .route("/", adminRmas);
