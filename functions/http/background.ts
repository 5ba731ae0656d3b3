import type { Context } from "hono";
import type { AppBindings } from "../context.ts";
import { deliverOutbox } from "../email/outbox.ts";

/** Work that should not delay the response (sending emails): `waitUntil` in the Worker, awaited elsewhere. */
export async function afterResponse(c: Context, work: () => Promise<unknown>): Promise<void> {
  const run = () =>
    work().catch((err) => {
      console.error("background work failed", err);
    });
  let ctx: { waitUntil(p: Promise<unknown>): void } | undefined;
  try {
    ctx = c.executionCtx;
  } catch {
    ctx = undefined;
  }
  if (ctx) ctx.waitUntil(run());
  else await run();
}

/** Sends these outbox rows after the response (awaited where there is no `waitUntil`, as in Node tests). */
export async function deliverAfterResponse<E extends AppBindings>(c: Context<E>, ids: string[]): Promise<void> {
  if (ids.length > 0) await afterResponse(c, () => deliverOutbox(c.var.db, c.env, { ids }));
}
