import type { Context } from "hono";

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
