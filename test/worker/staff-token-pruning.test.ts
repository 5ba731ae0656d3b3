/**
 * The scheduled job forgets spent one-time staff links (invitations, password resets): a link used or
 * expired more than a week ago is deleted; fresh ones, and ones spent within the week (so a late click still
 * hears "used" or "expired"), stay. Through the built Worker's Cron Trigger, and with a controlled clock.
 */
import { describe, expect, it } from "vitest";
import { createDb } from "../../db/client.ts";
import { DEMO_ADMIN_EMAIL } from "../../db/seed.ts";
import { linkContext } from "../../functions/links.ts";
import { runScheduledJob } from "../../functions/services/jobs/scheduled.ts";
import { testEnv } from "../support/app.ts";
import { mark, settled } from "../support/settled.ts";
import { triggerScheduled, useStack } from "../support/worker.ts";

const stack = useStack({ databaseProxy: true });

const DAY = 86_400_000;
const at = (from: Date, days: number) => new Date(from.getTime() + days * DAY).toISOString();

/** One link per case, made `createdDaysAgo` (each lives 48 hours), used `usedDaysAgo` (or never). */
async function seedLinks(now: Date, prefix: string): Promise<void> {
  const [admin] = await stack.db.query<{ id: string }>("SELECT id FROM staff_users WHERE email = ?", [DEMO_ADMIN_EMAIL]);
  const cases: [name: string, createdDaysAgo: number, usedDaysAgo: number | null][] = [
    ["fresh", 0, null],
    ["used-yesterday", 1, 1],
    ["used-8-days-ago", 9, 8],
    ["expired-2-days-ago", 4, null],
    ["expired-8-days-ago", 10, null],
  ];
  for (const [name, created, used] of cases) {
    await stack.db.query(
      "INSERT INTO staff_tokens (token_hash, user_id, purpose, created_by, created_at, expires_at, used_at) VALUES (?, ?, 'reset', NULL, ?, ?, ?)",
      [`${prefix}${name}`, admin?.id ?? "", at(now, -created), at(now, -created + 2), used === null ? null : at(now, -used)],
    );
  }
}

const left = async (prefix: string) =>
  (
    await stack.db.query<{ token_hash: string }>("SELECT token_hash FROM staff_tokens WHERE token_hash LIKE ? ORDER BY 1", [
      `${prefix}%`,
    ])
  ).map((r) => r.token_hash.slice(prefix.length));

describe("the scheduled job and spent staff links", () => {
  it("deletes the links used or expired more than a week ago, through the Worker's Cron Trigger", async () => {
    await seedLinks(new Date(), "worker:");
    const before = mark(stack.proxy);
    expect((await triggerScheduled(stack.worker)).status).toBe(200);
    await settled(stack, before, { jobs: 1 });
    expect(await left("worker:")).toEqual(["expired-2-days-ago", "fresh", "used-yesterday"]);
  });

  it("lets the rest go once their week has passed (a clock ten days on)", async () => {
    const now = new Date();
    await seedLinks(now, "clock:");
    const env = testEnv(stack.db.url);
    await runScheduledJob(createDb(env), env, linkContext(env), now);
    expect(await left("clock:")).toEqual(["expired-2-days-ago", "fresh", "used-yesterday"]);
    await runScheduledJob(createDb(env), env, linkContext(env), new Date(now.getTime() + 10 * DAY));
    expect(await left("clock:")).toEqual([]);
  });
});
