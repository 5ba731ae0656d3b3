import type { Db } from "../db/client.ts";
import type { AppEnv } from "./env.ts";
import type { Locale } from "./i18n/index.ts";

/**
 * Hono's typing for the portal's app: `c.env` is the Worker's env, `c.var.db` the per-request database,
 * `c.var.locale` the language of the answer's words (a body's `locale` field, else `Accept-Language`, else English).
 */
export interface AppBindings {
  Bindings: AppEnv;
  Variables: { db: Db; locale: Locale };
}
