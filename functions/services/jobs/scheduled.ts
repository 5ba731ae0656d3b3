/**
 * The Cron Trigger's work: record RMAs whose 30 days have passed as expired (emailing the customer that a
 * new request is needed), remind customers 7 days before the end, retry emails that failed, and forget
 * old rate-limit counters, ended staff sessions and spent one-time staff links. Idempotent: running it twice, or twice at once, sends nothing twice.
 */
import { and, eq, gt, lte, sql } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { returnRequests, rmas } from "../../../db/schema.ts";
import { pruneLimits } from "../../auth/rate-limit.ts";
import { REMINDER_DAYS_BEFORE, shipByDate } from "../../domain/expiry.ts";
import { expiryReminder } from "../../email/letters.ts";
import { type DeliveryReport, deliverOutbox } from "../../email/outbox.ts";
import type { AppEnv } from "../../env.ts";
import { Refusal } from "../../errors.ts";
import { toLocale } from "../../i18n/index.ts";
import { type LinkContext, printUrl, rmaUrl } from "../../links.ts";
import { pruneCustomerSessions } from "../account/session.ts";
import { pruneSignInTokens } from "../account/sign-in.ts";
import { sweepOrphanFiles } from "../files/sweep.ts";
import { changeRma } from "../rma/change.ts";
import { expiryMove, lapsedCondition } from "../rma/expiry.ts";
import { pruneSessions } from "../staff/session.ts";
import { pruneStaffTokens } from "./staff-tokens.ts";

export interface JobReport {
  expired: number;
  reminded: number;
  email: DeliveryReport;
}

const BATCH = 200;

async function due(db: Db, where: ReturnType<typeof and>) {
  return db
    .select({
      rmaNumber: rmas.rmaNumber,
      model: rmas.model,
      serialNumber: rmas.serialNumber,
      validUntil: rmas.validUntil,
      version: rmas.version,
      name: returnRequests.contactName,
      email: returnRequests.email,
      locale: returnRequests.locale,
    })
    .from(rmas)
    .innerJoin(returnRequests, eq(returnRequests.id, rmas.requestId))
    .where(where)
    .orderBy(rmas.validUntil)
    .limit(BATCH);
}

/** A lost race (another run did it first) is not an error for the job. */
async function unlessDone(work: () => Promise<unknown>): Promise<boolean> {
  try {
    await work();
    return true;
  } catch (err) {
    if (err instanceof Refusal && err.code === "conflict") return false;
    throw err;
  }
}

export async function runScheduledJob(db: Db, env: AppEnv, links: LinkContext, now: Date = new Date()): Promise<JobReport> {
  const nowIso = now.toISOString();
  const report: JobReport = { expired: 0, reminded: 0, email: { attempted: 0, sent: 0, failed: 0 } };

  for (const r of await due(db, lapsedCondition(nowIso))) {
    const move = await expiryMove(r, { links, env, now, expectedVersion: r.version });
    if (await unlessDone(() => changeRma(db, move))) report.expired++;
  }

  const reminderFrom = new Date(now.getTime() + REMINDER_DAYS_BEFORE * 86_400_000).toISOString();
  const notReminded = sql`NOT EXISTS (SELECT 1 FROM rma_events e WHERE e.rma_number = ${rmas.rmaNumber} AND e.kind = 'reminder')`;
  for (const r of await due(
    db,
    and(eq(rmas.status, "authorized"), gt(rmas.validUntil, nowIso), lte(rmas.validUntil, reminderFrom), notReminded),
  )) {
    const locale = toLocale(r.locale);
    const content = expiryReminder({
      locale,
      name: r.name,
      rmaNumber: r.rmaNumber,
      model: r.model,
      serialNumber: r.serialNumber,
      link: await rmaUrl(links, r.rmaNumber, locale),
      printLink: await printUrl(links, r.rmaNumber, locale),
      shipBy: shipByDate(r.validUntil ?? nowIso),
    });
    const done = await unlessDone(() =>
      // An event and its email only: the RMA's version stays, so staff with its page open are not refused.
      changeRma(db, {
        rmaNumber: r.rmaNumber,
        whenStatus: ["authorized"],
        where: notReminded,
        actor: "system",
        kind: "reminder",
        note: `Reminder sent: the RMA expires on ${shipByDate(r.validUntil ?? nowIso)}.`,
        emails: [{ to: r.email, ...content, dedupeKey: `reminder:${r.rmaNumber}` }],
        env,
        now,
      }),
    );
    if (done) report.reminded++;
  }

  report.email = await deliverOutbox(db, env, { now });
  await pruneSessions(db, now);
  await pruneCustomerSessions(db, now);
  await pruneSignInTokens(db, now);
  await pruneStaffTokens(db, now);
  await sweepOrphanFiles(db, env, now);
  // Last, always: the tests take this statement as the job's end (test/support/settled.ts).
  await pruneLimits(db, new Date(now.getTime() - 86_400_000));
  return report;
}
