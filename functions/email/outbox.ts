/**
 * Every email is first a row in the outbox, written in the same batch as the change it reports.
 * With RESEND_API_KEY set, `deliverOutbox` sends due rows through Resend; a failed send stays in the
 * outbox with its error, to be retried by the Cron Trigger or by staff. Without a key, rows are `held`.
 */
import { and, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { Resend } from "resend";
import type { Db } from "../../db/client.ts";
import { type OutboxRow, outbox } from "../../db/schema.ts";
import type { AppEnv } from "../env.ts";

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  requestId?: string;
  rmaNumber?: string;
  /** Unique per logical email: writing the same key twice stores one row. */
  dedupeKey?: string;
}

/** After this many failed attempts a row is marked `failed` and only a staff retry sends it again. */
export const MAX_ATTEMPTS = 8;
const CLAIM_MS = 2 * 60_000;

export function outboxRow(email: OutgoingEmail, env: Pick<AppEnv, "RESEND_API_KEY">): typeof outbox.$inferInsert {
  return {
    id: crypto.randomUUID(),
    recipient: email.to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    status: env.RESEND_API_KEY ? "pending" : "held",
    requestId: email.requestId ?? null,
    rmaNumber: email.rmaNumber ?? null,
    dedupeKey: email.dedupeKey ?? null,
  };
}

/** Statement that stores emails (for a batch); rows with a dedupe key already stored are skipped. */
export function insertEmails(db: Db, emails: OutgoingEmail[], env: Pick<AppEnv, "RESEND_API_KEY">) {
  return db
    .insert(outbox)
    .values(emails.map((e) => outboxRow(e, env)))
    .onConflictDoNothing();
}

export interface DeliveryReport {
  attempted: number;
  sent: number;
  failed: number;
}

/**
 * Sends these outbox rows after the response (`waitUntil`): the customer does not wait for the email
 * provider. A failure is logged; the rows stay in the outbox for the hourly retry.
 */
export function deliverLater(waitUntil: (p: Promise<unknown>) => void, db: Db, env: AppEnv, ids: string[]): void {
  if (ids.length === 0) return;
  waitUntil(deliverOutbox(db, env, { ids }).catch((err) => console.error("sending emails after the response failed", err)));
}

/** Resend's default limit is a few requests per second per team: the sender keeps under it. */
export const DEFAULT_SEND_RATE_PER_SECOND = 2;
/** How long the hourly job keeps sending (and waiting out a provider that says "later") before it stops. */
export const JOB_SEND_BUDGET_MS = 10 * 60_000;
/** The longest wait between two tries of one email when the provider says "later". */
const MAX_BACKOFF_MS = 60_000;
const JOB_BATCH = 50;

function sendRate(env: AppEnv): number {
  const n = Number(env.EMAIL_SEND_RATE_PER_SECOND);
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_SEND_RATE_PER_SECOND;
}

/** The provider's answer to one send: sent, "try later" (429, 5xx: no attempt spent) or an error. */
type Outcome =
  | { kind: "sent"; providerId: string | null }
  | { kind: "later"; error: string; retryAfterMs: number | null }
  | { kind: "error"; error: string };

type ResendError = { name?: string; message?: string; statusCode?: number | null };

function outcomeOf(error: ResendError, headers: Record<string, string> | null): Outcome {
  const text = `${error.name ?? "error"}: ${error.message ?? ""}`;
  const status = error.statusCode ?? null;
  const later =
    status === 429 ||
    (status !== null && status >= 500) ||
    ["rate_limit_exceeded", "daily_quota_exceeded", "internal_server_error"].includes(error.name ?? "");
  if (!later) return { kind: "error", error: text };
  const retryAfter = Number(headers?.["retry-after"]);
  return { kind: "later", error: text, retryAfterMs: Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter * 1000 : null };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Sends due outbox rows: only `ids` (after a request, or a staff retry), or, for the hourly job, every
 * pending row (and every held one, once RESEND_API_KEY is set) in batches, oldest first, until none is
 * left or its time budget is spent. Each batch is claimed with a conditional update first, so two
 * senders running at once never send a row twice; Resend is also given the row id as idempotency key.
 *
 * Sends are paced at `EMAIL_SEND_RATE_PER_SECOND`. A `429` or `5xx` is "try later": the row keeps its
 * attempts; the job waits (the provider's Retry-After, else 1 s doubling up to a minute) and tries the
 * same row again while its budget lasts, while a delivery of given ids leaves it for the job. Any other
 * error spends one of the row's `MAX_ATTEMPTS`.
 */
export async function deliverOutbox(
  db: Db,
  env: AppEnv,
  opts: { ids?: string[]; now?: Date; limit?: number; budgetMs?: number } = {},
): Promise<DeliveryReport> {
  const report: DeliveryReport = { attempted: 0, sent: 0, failed: 0 };
  if (!env.RESEND_API_KEY) return report;
  if (opts.ids && opts.ids.length === 0) return report;
  const now = opts.now ?? new Date();
  const started = Date.now();
  const budgetMs = opts.budgetMs ?? JOB_SEND_BUDGET_MS;
  const inBudget = () => Date.now() - started < budgetMs;
  const resend = new Resend(env.RESEND_API_KEY, env.RESEND_BASE_URL ? { baseUrl: env.RESEND_BASE_URL } : {});
  const from = env.EMAIL_FROM ?? "Alkeria RMA <rma@alkeria.example>";
  const interval = 1000 / sendRate(env);
  let nextSendAt = 0;

  const send = async (row: OutboxRow): Promise<Outcome> => {
    const wait = nextSendAt - Date.now();
    if (wait > 0) await sleep(wait);
    nextSendAt = Date.now() + interval;
    try {
      const res = await resend.emails.send(
        { from, to: row.recipient, subject: row.subject, text: row.text, html: row.html },
        { idempotencyKey: `outbox-${row.id}` },
      );
      if (res.error) return outcomeOf(res.error as ResendError, (res.headers as Record<string, string> | null) ?? null);
      return { kind: "sent", providerId: res.data?.id ?? null };
    } catch (err) {
      return { kind: "error", error: err instanceof Error ? err.message : String(err) };
    }
  };

  const record = async (row: OutboxRow, outcome: Outcome) => {
    const at = new Date().toISOString();
    if (outcome.kind === "sent") {
      report.sent++;
      await db
        .update(outbox)
        .set({
          status: "sent",
          attempts: row.attempts + 1,
          lastError: null,
          providerId: outcome.providerId,
          sentAt: at,
          updatedAt: at,
          claimedUntil: null,
        })
        .where(eq(outbox.id, row.id));
      return;
    }
    report.failed++;
    const attempts = outcome.kind === "later" ? row.attempts : row.attempts + 1;
    await db
      .update(outbox)
      .set({
        // A held row tried once the key is set stays pending; only errors that are not "later" spend attempts.
        status: attempts >= MAX_ATTEMPTS ? "failed" : "pending",
        attempts,
        lastError: outcome.error.slice(0, 1000),
        updatedAt: at,
        claimedUntil: null,
      })
      .where(eq(outbox.id, row.id));
  };

  const release = (rows: OutboxRow[]) =>
    rows.length === 0
      ? Promise.resolve()
      : db
          .update(outbox)
          // NULL as SQL, not a bound value: the tests take `set "claimed_until" = ?` as a claim (test/support/settled.ts).
          .set({ claimedUntil: sql`NULL` })
          .where(
            inArray(
              outbox.id,
              rows.map((r) => r.id),
            ),
          );

  // Given ids: each tried once, in order; "later" leaves the row for the hourly job.
  if (opts.ids) {
    const claimed = await claim(db, now, { ids: opts.ids });
    for (const row of claimed) {
      report.attempted++;
      await record(row, await send(row));
    }
    return report;
  }

  // The hourly job: batch after batch, oldest first, each row at most once per run (keyset on created_at, id).
  let after: { createdAt: string; id: string } | null = null;
  const batch = opts.limit ?? JOB_BATCH;
  while (inBudget()) {
    const claimed = await claim(db, now, { after, batch });
    if (claimed.length === 0) break;
    const last = claimed[claimed.length - 1];
    if (last) after = { createdAt: last.createdAt, id: last.id };
    for (let i = 0; i < claimed.length; i++) {
      const row = claimed[i] as OutboxRow;
      report.attempted++;
      let outcome = await send(row);
      for (let tries = 0; outcome.kind === "later"; tries++) {
        const backoff = Math.min(MAX_BACKOFF_MS, outcome.retryAfterMs ?? 1000 * 2 ** tries);
        if (Date.now() - started + backoff >= budgetMs) break;
        await sleep(backoff);
        outcome = await send(row);
      }
      await record(row, outcome);
      if (outcome.kind === "later") {
        // Out of time while the provider still says "later": the rest of the batch waits for the next run.
        await release(claimed.slice(i + 1));
        return report;
      }
    }
    if (claimed.length < batch) break;
  }
  return report;
}

/**
 * Claims rows in one statement, only those nobody else holds: the given ids (any unsent status: a staff
 * retry), or the next batch of due rows for the job, after `after` in (created_at, id) order.
 */
async function claim(
  db: Db,
  now: Date,
  which: { ids: string[] } | { after: { createdAt: string; id: string } | null; batch: number },
): Promise<OutboxRow[]> {
  const nowIso = now.toISOString();
  const claimedUntil = new Date(now.getTime() + CLAIM_MS).toISOString();
  const free = or(isNull(outbox.claimedUntil), lt(outbox.claimedUntil, nowIso));
  if ("ids" in which) {
    return db
      .update(outbox)
      .set({ claimedUntil, updatedAt: nowIso })
      .where(and(inArray(outbox.id, which.ids), inArray(outbox.status, ["pending", "held", "failed"]), free))
      .returning();
  }
  // Held rows too: they were written before RESEND_API_KEY was set, and are sent now that it is.
  const due = sql`status IN ('pending', 'held') AND attempts < ${MAX_ATTEMPTS}`;
  const afterKey = which.after
    ? sql` AND (created_at > ${which.after.createdAt} OR (created_at = ${which.after.createdAt} AND id > ${which.after.id}))`
    : sql``;
  const rows = await db
    .update(outbox)
    .set({ claimedUntil, updatedAt: nowIso })
    .where(
      and(
        free,
        lt(outbox.attempts, MAX_ATTEMPTS),
        sql`${outbox.id} IN (SELECT id FROM outbox WHERE ${due}${afterKey} ORDER BY created_at, id LIMIT ${which.batch})`,
      ),
    )
    .returning();
  return rows.sort((a, b) => (a.createdAt === b.createdAt ? a.id.localeCompare(b.id) : a.createdAt.localeCompare(b.createdAt)));
}
