/**
 * The Worker's entry: Astro's fetch handler, and the Cron Trigger's `scheduled` handler beside it
 * (expiry after 30 days, reminders, email retries). Locally: GET /cdn-cgi/local/scheduled?cron=17+*+*+*+* on the
 * address `npm start` prints for it (see scripts/servers.ts).
 */
import astro from "@astrojs/cloudflare/entrypoints/server";
import { createDb } from "@/db/client.ts";
import { linkContext } from "@/functions/links.ts";
import { runScheduledJob } from "@/functions/services/jobs/scheduled.ts";

export default {
  fetch: astro.fetch,
  async scheduled(_controller: ScheduledController, env: Cloudflare.Env, ctx: ExecutionContext) {
    ctx.waitUntil(
      runScheduledJob(createDb(env), env, linkContext(env)).then((report) => {
        console.log(`scheduled job: ${report.expired} expired, ${report.reminded} reminded, ${report.email.sent} emails sent`);
      }),
    );
  },
} satisfies ExportedHandler<Cloudflare.Env>;
