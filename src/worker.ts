/**
 * The Worker's entry: Astro's fetch handler, and the Cron Trigger's `scheduled` handler beside it.
 */
import astro from "@astrojs/cloudflare/entrypoints/server";

export default {
  fetch: astro.fetch,
  async scheduled(_controller: ScheduledController, _env: Cloudflare.Env, _ctx: ExecutionContext) {
    // Expiry, reminders and outbox retries arrive with the lookup issue.
  },
} satisfies ExportedHandler<Cloudflare.Env>;
