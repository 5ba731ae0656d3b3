/**
 * "My returns": customers sign in with a one-time link mailed to the address they used on their
 * requests. Only SHA-256 hashes of the link's token and of the session's cookie are stored, so a
 * leaked table opens nothing. Separate from the staff sessions: another table, another cookie.
 */
import { sql } from "drizzle-orm";
import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

/** One-time sign-in links: valid 15 minutes, used once, bound to their purpose. */
export const customerSignInTokens = sqliteTable(
  "customer_sign_in_tokens",
  {
    /** SHA-256 of `purpose:token`: a token made for one purpose never matches another. */
    tokenHash: text("token_hash").primaryKey(),
    /** What the token may do; only `sign-in` so far. */
    purpose: text("purpose", { enum: ["sign-in"] }).notNull(),
    /** The address the link was mailed to, lower-cased: the session opens this address's RMAs. */
    email: text("email").notNull(),
    /** The language the link was asked for in (the landing page's and the email's). */
    locale: text("locale").notNull().default("en"),
    createdAt: text("created_at").notNull().default(now),
    expiresAt: text("expires_at").notNull(),
    /** Set when the link is used: a second use is refused. */
    usedAt: text("used_at"),
    /** The session the link opened (its hash), written with `usedAt` so the session row follows from this one alone. */
    sessionHash: text("session_hash"),
  },
  (t) => [index("customer_sign_in_tokens_expires_idx").on(t.expiresAt)],
);

/** Customer sessions behind the `rma_customer` cookie: 30 days without activity at most. */
export const customerSessions = sqliteTable(
  "customer_sessions",
  {
    /** SHA-256 of the cookie's token. */
    tokenHash: text("token_hash").primaryKey(),
    /** Lower-cased email address: the session sees the RMAs requested with it, nothing else. */
    email: text("email").notNull(),
    createdAt: text("created_at").notNull().default(now),
    lastSeenAt: text("last_seen_at").notNull().default(now),
    expiresAt: text("expires_at").notNull(),
  },
  (t) => [index("customer_sessions_email_idx").on(t.email), index("customer_sessions_expires_idx").on(t.expiresAt)],
);

export type CustomerSessionRow = typeof customerSessions.$inferSelect;
