/** The portal's API, mounted under /api by src/pages/api/[...path].ts. Route modules are composed here. */
import { Hono } from "hono";
import { createDb, type DbOptions } from "../db/client.ts";
import type { AppBindings } from "./context.ts";
import { internalError, noSuchEndpoint, toApiError } from "./errors.ts";
import { addSecurityHeaders } from "./http/protection.ts";
import { DEFAULT_LOCALE, preferredLocales } from "./i18n/index.ts";
import { account } from "./routes/account.ts";
import { admin } from "./routes/admin/index.ts";
import { files } from "./routes/files.ts";
import { health, ping } from "./routes/health.ts";
import { insight } from "./routes/insight.ts";
import { messages } from "./routes/messages.ts";
import { quotes } from "./routes/quotes.ts";
import { rmaRequests } from "./routes/rma-requests.ts";
import { rmasRoutes } from "./routes/rmas.ts";
import { serials } from "./routes/serials.ts";
import { staffMessages } from "./routes/staff-messages.ts";

export function createApp(dbOptions: DbOptions = {}) {
  const app = new Hono<AppBindings>().basePath("/api");

  app.use(async (c, next) => {
    c.set("db", createDb(c.env, dbOptions));
    c.set("locale", preferredLocales(c.req.header("accept-language"))[0] ?? DEFAULT_LOCALE);
    await next();
    // Also after an error: onError's answer is in place by now.
    addSecurityHeaders(c.res.headers, { noStore: true, url: c.req.url });
  });

  app.route("/health", health);
  app.route("/ping", ping);
  app.route("/serials", serials);
  app.route("/rma-requests", rmaRequests);
  app.route("/rmas", rmasRoutes);
  app.route("/rmas", messages);
  app.route("/rmas", files);
  // Before the staff API: its `POST /rmas/:number/:action` would take `/messages` for an action.
  app.route("/admin/rmas", staffMessages);
  app.route("/admin/insight", insight);
  app.route("/admin", admin);
  app.route("/quotes", quotes);
  app.route("/account", account);

  app.notFound((c) => c.json(noSuchEndpoint(c.req.method, new URL(c.req.url).pathname).toBody(c.var.locale), 404));

  app.onError((err, c) => {
    const known = toApiError(err);
    if (!known) console.error(err);
    const apiError = known ?? internalError();
    if (apiError.retryAfterSeconds) c.header("Retry-After", String(apiError.retryAfterSeconds));
    return c.json(apiError.toBody(c.var.locale), apiError.status);
  });

  return app;
}

export const app = createApp();
export type App = typeof app;
