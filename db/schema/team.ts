/**
 * The team desk's tables: one-time links for invitations and password resets, the audit log, and
 * internal notes on RMAs. (The shared columns, `staff_users.role/locale/disabled_at` and
 * `rmas.assigned_to`, are in db/schema.ts, migration 0005.)
 */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { rmas, staffUsers } from "../schema.ts";

/**
 * One-time links to set a password: an invitation (a new account) or a reset. Only the SHA-256 of
 * the link's token is stored; a link works once (`usedAt`), for 48 hours (`expiresAt`).
 */
export const staffTokens = sqliteTable(
  "staff_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => staffUsers.id),
    purpose: text("purpose", { enum: ["invite", "reset"] }).notNull(),
    /** The admin who made the link. */
    createdBy: text("created_by"),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    usedAt: text("used_at"),
  },
  (t) => [index("staff_tokens_user_idx").on(t.userId)],
);

/**
 * Append-only: who (the staff member's email, or none for a failed sign-in), when, from which
 * address, what kind of event, about what, and what changed (JSON). Nothing in the desk edits or
 * deletes a row; triggers refuse both.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: text("at").notNull(),
    actorId: text("actor_id"),
    actor: text("actor"),
    address: text("address").notNull(),
    kind: text("kind").notNull(),
    /** What it is about: an RMA number, an account's email, a setting's name… */
    subject: text("subject"),
    detail: text("detail"),
  },
  (t) => [index("audit_log_at_idx").on(t.at), index("audit_log_kind_idx").on(t.kind, t.at)],
);

/** Internal notes of staff on an RMA: never shown or emailed to the customer. */
export const rmaNotes = sqliteTable(
  "rma_notes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    rmaNumber: text("rma_number")
      .notNull()
      .references(() => rmas.rmaNumber),
    at: text("at").notNull(),
    authorId: text("author_id").notNull(),
    author: text("author").notNull(),
    body: text("body").notNull(),
  },
  (t) => [index("rma_notes_rma_idx").on(t.rmaNumber, t.at)],
);

export type AuditRow = typeof auditLog.$inferSelect;
