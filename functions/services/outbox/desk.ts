/**
 * The outbox for staff: every email with its status, attempts and last error, its text readable
 * (without an email provider, mail stays here and staff read it), and a retry of one or all unsent.
 */
import { and, count, desc, eq, inArray, type SQL } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { outbox } from "../../../db/schema.ts";
import { type DeliveryReport, deliverOutbox } from "../../email/outbox.ts";
import type { AppEnv } from "../../env.ts";
import { Refusal } from "../../errors.ts";
import { type Text, text } from "../../i18n/text.ts";
import { TEAM_EMAIL_PREFIX } from "../team/emails.ts";

export const OUTBOX_PAGE_SIZE = 50;
/** Stands for the text of an email with a one-time account link, for readers who do not manage accounts. */
export const WITHHELD = "—";
export const OUTBOX_STATUSES = ["pending", "sent", "failed", "held"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];
/** What a retry sends: everything not sent yet. */
const UNSENT: OutboxStatus[] = ["pending", "failed", "held"];
const RETRY_ALL_LIMIT = 500;

/** The same words as the outbox page's notice. */
export const NO_PROVIDER: Text = text("desk.outbox.noProvider");

export interface OutboxEntry {
  id: string;
  recipient: string;
  subject: string;
  text: string;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
  rmaNumber: string | null;
  requestId: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface OutboxPage {
  rows: OutboxEntry[];
  counts: Record<OutboxStatus, number>;
  total: number;
  page: number;
  pages: number;
  /** False when no email provider is configured: nothing can be sent. */
  canSend: boolean;
}

export function isOutboxStatus(s: string | undefined | null): s is OutboxStatus {
  return (OUTBOX_STATUSES as readonly string[]).includes(s ?? "");
}

export async function listOutbox(
  db: Db,
  env: Pick<AppEnv, "RESEND_API_KEY">,
  opts: {
    status?: OutboxStatus | undefined;
    id?: string | undefined;
    page: number;
    /**
     * Whether the reader may see the text of the team's emails (invitations and password resets carry a
     * one-time link to an account): only account managers; others see the row with its text withheld.
     */
    showTeamLinks?: boolean;
  },
): Promise<OutboxPage> {
  const where: SQL | undefined = opts.id ? eq(outbox.id, opts.id) : opts.status ? eq(outbox.status, opts.status) : undefined;
  const [rows, byStatus] = await db.batch([
    db
      .select({
        id: outbox.id,
        recipient: outbox.recipient,
        subject: outbox.subject,
        text: outbox.text,
        status: outbox.status,
        attempts: outbox.attempts,
        lastError: outbox.lastError,
        rmaNumber: outbox.rmaNumber,
        requestId: outbox.requestId,
        createdAt: outbox.createdAt,
        sentAt: outbox.sentAt,
        dedupeKey: outbox.dedupeKey,
      })
      .from(outbox)
      .where(where)
      .orderBy(desc(outbox.createdAt), desc(outbox.id))
      .limit(OUTBOX_PAGE_SIZE)
      .offset((opts.page - 1) * OUTBOX_PAGE_SIZE),
    db.select({ status: outbox.status, n: count() }).from(outbox).groupBy(outbox.status),
  ]);
  const counts = Object.fromEntries(OUTBOX_STATUSES.map((s) => [s, 0])) as Record<OutboxStatus, number>;
  for (const c of byStatus) counts[c.status] = c.n;
  const total = opts.id ? rows.length : opts.status ? counts[opts.status] : Object.values(counts).reduce((a, b) => a + b, 0);
  return {
    rows: rows.map(({ dedupeKey, ...row }) =>
      !opts.showTeamLinks && dedupeKey?.startsWith(TEAM_EMAIL_PREFIX) ? { ...row, text: WITHHELD } : row,
    ),
    counts,
    total,
    page: opts.page,
    pages: Math.max(1, Math.ceil(total / OUTBOX_PAGE_SIZE)),
    canSend: Boolean(env.RESEND_API_KEY),
  };
}

export interface RetryReport extends DeliveryReport {
  /** Emails asked for that were already sent (or do not exist): left alone. */
  skipped: number;
}

/** Sends again the given unsent emails, or all unsent ones (`"all"`), now. */
export async function retryOutbox(db: Db, env: AppEnv, which: { ids: string[] } | "all"): Promise<RetryReport> {
  if (!env.RESEND_API_KEY) throw new Refusal("no_email_provider", NO_PROVIDER);
  const unsent = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(inArray(outbox.status, UNSENT), which === "all" ? undefined : inArray(outbox.id, which.ids)))
    .limit(RETRY_ALL_LIMIT);
  const ids = unsent.map((r) => r.id);
  const asked = which === "all" ? ids.length : new Set(which.ids).size;
  if (ids.length === 0) {
    throw new Refusal("nothing_to_send", text(which === "all" ? "errors.desk.outbox.allSent" : "errors.desk.outbox.theseSent"));
  }
  const report = await deliverOutbox(db, env, { ids });
  return { ...report, skipped: asked - ids.length };
}
