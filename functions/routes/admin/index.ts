/**
 * The staff API under /api/admin: every route needs a staff session (401 without one) except signing
 * in and setting a password from a one-time link, every POST/PUT/PATCH/DELETE must carry the portal's
 * own Origin (403 otherwise), and each route checks the role's permission (403 `forbidden`;
 * functions/domain/roles.ts).
 */
import { Hono } from "hono";
import { type AdminBindings, requireStaff, sameOrigin } from "../../http/staff-guard.ts";
import { adminAccount } from "./account.ts";
import { adminAudit } from "./audit.ts";
import { adminOutbox } from "./outbox.ts";
import { adminPassword } from "./password.ts";
import { adminQueue } from "./queue.ts";
import { adminRegistry } from "./registry.ts";
import { adminRmas } from "./rmas.ts";
import { adminSession } from "./session.ts";
import { adminSettings } from "./settings.ts";
import { adminStaff } from "./staff.ts";

const isPublic = (method: string, path: string) =>
  method === "POST" && (/\/admin\/session\/?$/.test(path) || /\/admin\/password\/?$/.test(path));

export const admin = new Hono<AdminBindings>()
  .use(sameOrigin)
  .use(async (c, next) => {
    if (isPublic(c.req.method, c.req.path)) return next();
    // Signed in, the staff API answers in the account's desk language (requireStaff sets it).
    await requireStaff(c, next);
  })
  .route("/session", adminSession)
  .route("/password", adminPassword)
  .route("/account", adminAccount)
  .route("/queue", adminQueue)
  .route("/registry", adminRegistry)
  .route("/outbox", adminOutbox)
  .route("/settings", adminSettings)
  .route("/staff", adminStaff)
  .route("/audit", adminAudit)
  .route("/", adminRmas);
