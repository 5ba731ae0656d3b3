import type { Db } from "../db/client.ts";
import type { AppEnv } from "./env.ts";

/** Hono's typing for the portal's app: `c.env` is the Worker's env, `c.var.db` the per-request database. */
export interface AppBindings {
  Bindings: AppEnv;
  Variables: { db: Db };
}
