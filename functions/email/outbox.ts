/**
 * Every email is first a row in the outbox, written in the same batch as the change it reports.
 * With RESEND_API_KEY set, `deliverOutbox` sends due rows through Resend; a failed send stays in the
 * outbox with its error, to be retried by the Cron Trigger or by staff. Without a key, rows are `held`.
 */
import { and, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { Resend } from "resend";
import type { Db } from "../../db/client.ts";
import { outbox } from "../../db/schema.ts";
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

/**
 * Sends due outbox rows (all of them, or only `ids`). Each row is claimed with a conditional update
 * first, so two senders running at once (cron and a request, or cron twice) never send it twice;
 * Resend is also given the row id as idempotency key.
 */
export async function deliverOutbox(
  db: Db,
  env: AppEnv,
  opts: { ids?: string[]; now?: Date; limit?: number } = {},
): Promise<DeliveryReport> {
  const report: DeliveryReport = { attempted: 0, sent: 0, failed: 0 };
  if (!env.RESEND_API_KEY) return report;
  if (opts.ids && opts.ids.length === 0) return report;
  const now = opts.now ?? new Date();
  const nowIso = now.toISOString();
  const claimedUntil = new Date(now.getTime() + CLAIM_MS).toISOString();
  // Claim in one statement: only rows nobody else holds.
  const claimed = await db
    .update(outbox)
    .set({ claimedUntil, updatedAt: nowIso })
    .where(
      and(
        opts.ids ? inArray(outbox.id, opts.ids) : sql`1 = 1`,
        // Staff may retry any unsent row; the scheduled job only sends pending ones.
        inArray(outbox.status, opts.ids ? ["pending", "held", "failed"] : ["pending"]),
        or(isNull(outbox.claimedUntil), lt(outbox.claimedUntil, nowIso)),
        opts.ids ? sql`1 = 1` : lt(outbox.attempts, MAX_ATTEMPTS),
        opts.ids
          ? sql`1 = 1`
          : sql`${outbox.id} IN (SELECT id FROM outbox WHERE status = 'pending' ORDER BY created_at LIMIT ${opts.limit ?? 50})`,
      ),
    )
    .returning();
  if (claimed.length === 0) return report;
  const resend = new Resend(env.RESEND_API_KEY, env.RESEND_BASE_URL ? { baseUrl: env.RESEND_BASE_URL } : {});
  const from = env.EMAIL_FROM ?? "Alkeria RMA <rma@alkeria.example>";
  await Promise.all(
    claimed.map(async (row) => {
      report.attempted++;
      let error: string | null = null;
      let providerId: string | null = null;
      try {
        const res = await resend.emails.send(
          { from, to: row.recipient, subject: row.subject, text: row.text, html: row.html },
          { idempotencyKey: `outbox-${row.id}` },
        );
        if (res.error) error = `${res.error.name ?? "error"}: ${res.error.message}`;
        else providerId = res.data?.id ?? null;
      } catch (err) {
        error = err instanceof Error ? err.message : String(err);
      }
      const at = new Date().toISOString();
      const attempts = row.attempts + 1;
      if (error === null) {
        report.sent++;
        await db
          .update(outbox)
          .set({ status: "sent", attempts, lastError: null, providerId, sentAt: at, updatedAt: at, claimedUntil: null })
          .where(eq(outbox.id, row.id));
      } else {
        report.failed++;
        await db
          .update(outbox)
          .set({
            status: attempts >= MAX_ATTEMPTS ? "failed" : "pending",
            attempts,
            lastError: error.slice(0, 1000),
            updatedAt: at,
            claimedUntil: null,
          })
          .where(eq(outbox.id, row.id));
      }
    }),
  );
  return report;
}
