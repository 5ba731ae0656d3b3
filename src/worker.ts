/**
 * The Worker's entry: Astro's fetch handler, and the Cron Trigger's `scheduled` handler beside it
 * (expiry after 30 days, reminders, email retries). Locally: GET /cdn-cgi/local/scheduled?cron=17+*+*+*+* on the
 * address `npm start` prints for it (see scripts/servers.ts).
 * GET `/` reaches the Worker before the static files (wrangler.toml `run_worker_first`): the home page
 * offers Italian or German to a visitor whose browser prefers it (src/lib/language-offer.ts).
 */
import astro from "@astrojs/cloudflare/entrypoints/server";
import { createDb } from "@/db/client.ts";
import { linkContext } from "@/functions/links.ts";
import { runScheduledJob } from "@/functions/services/jobs/scheduled.ts";
import { homeWithOffer } from "@/src/lib/language-offer.ts";

export default {
  fetch(request: Request, env: Cloudflare.Env, ctx: ExecutionContext) {
    const assets = (env as Cloudflare.Env & { ASSETS?: Fetcher }).ASSETS;
    // Only `/` runs the Worker first; any other method than GET/HEAD gets the assets' own answer (405), as before.
    if (assets && new URL(request.url).pathname === "/")
      return request.method === "GET" || request.method === "HEAD" ? homeWithOffer(request, assets) : assets.fetch(request);
    return astro.fetch(request, env, ctx);
  },
  async scheduled(_controller: ScheduledController, env: Cloudflare.Env, ctx: ExecutionContext) {
    ctx.waitUntil(
      runScheduledJob(createDb(env), env, linkContext(env)).then((report) => {
        console.log(`scheduled job: ${report.expired} expired, ${report.reminded} reminded, ${report.email.sent} emails sent`);
      }),
    );
  },
} satisfies ExportedHandler<Cloudflare.Env>;
