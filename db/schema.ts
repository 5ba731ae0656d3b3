/**
 * The portal's tables. Times are ISO-8601 UTC strings (`2026-11-25T17:00:00.000Z`), calendar dates
 * are `YYYY-MM-DD`: both sort as text and read well in sqld's shell.
 */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { OPEN_STATUSES, RMA_STATUSES } from "../functions/domain/status.ts";

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;
const openList = sql.raw(OPEN_STATUSES.map((s) => `'${s}'`).join(","));

/** The product registry: how serial numbers are validated and warranty computed. */
export const products = sqliteTable(
  "products",
  {
    serialNumber: text("serial_number").primaryKey(),
    model: text("model").notNull(),
    purchaseDate: text("purchase_date").notNull(),
    createdAt: text("created_at").notNull().default(now),
    updatedAt: text("updated_at").notNull().default(now),
  },
  (t) => [index("products_model_idx").on(t.model)],
);

/** One customer submission of the request form: contact and return address, shared by its RMAs. */
export const returnRequests = sqliteTable(
  "return_requests",
  {
    id: text("id").primaryKey(),
    contactName: text("contact_name").notNull(),
    company: text("company"),
    email: text("email").notNull(),
    phone: text("phone").notNull(),
    country: text("country").notNull(),
    returnStreet: text("return_street").notNull(),
    returnPostalCode: text("return_postal_code").notNull(),
    returnCity: text("return_city").notNull(),
    returnCountry: text("return_country").notNull(),
    locale: text("locale").notNull().default("en"),
    /** Client-chosen key (header or the form's one-time key): the same key answers the first result. */
    idempotencyKey: text("idempotency_key"),
    /** Hash of the request body, so a reused key with a different body is refused. */
    bodyHash: text("body_hash"),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("return_requests_idempotency_key_idx").on(t.idempotencyKey),
    index("return_requests_email_idx").on(t.email),
    index("return_requests_company_idx").on(t.company),
    index("return_requests_created_idx").on(t.createdAt),
    // The staff queue's search: the beginning of an email or company name, whatever its case.
    index("return_requests_email_lower_idx").on(sql`lower(email)`),
    index("return_requests_company_lower_idx").on(sql`lower(company)`),
  ],
);

/** One RMA per returned unit. */
export const rmas = sqliteTable(
  "rmas",
  {
    rmaNumber: text("rma_number").primaryKey(),
    requestId: text("request_id")
      .notNull()
      .references(() => returnRequests.id),
    serialNumber: text("serial_number").notNull(),
    model: text("model").notNull(),
    purchaseDate: text("purchase_date").notNull(),
    invoiceNumber: text("invoice_number"),
    issueDescription: text("issue_description").notNull(),
    /** Verdict computed at request time; staff may refuse it at diagnosis. */
    warrantyCovered: integer("warranty_covered", { mode: "boolean" }).notNull(),
    warrantyUntil: text("warranty_until").notNull(),
    status: text("status", { enum: RMA_STATUSES }).notNull().default("requested"),
    /** Bumped on every change: a staff action names the version it saw, so two clicks cannot both win. */
    version: integer("version").notNull().default(1),
    requestedAt: text("requested_at").notNull().default(now),
    authorizedAt: text("authorized_at"),
    /** End of the 30 days from authorisation: the unit must be received by then. */
    validUntil: text("valid_until"),
    rejectedAt: text("rejected_at"),
    cancelledAt: text("cancelled_at"),
    expiredAt: text("expired_at"),
    receivedAt: text("received_at"),
    /** The day the parcel arrived, as staff recorded it (`YYYY-MM-DD`); `receivedAt` is when they recorded it. */
    receivedOn: text("received_on"),
    diagnosedAt: text("diagnosed_at"),
    quotedAt: text("quoted_at"),
    repairingAt: text("repairing_at"),
    returningAt: text("returning_at"),
    shippedAt: text("shipped_at"),
    closedAt: text("closed_at"),
    /** Receipt: the condition the parcel arrived in, as staff noted it. */
    receivedCondition: text("received_condition"),
    /** Diagnosis: staff may refuse the warranty (damage caused by the customer), with the reason shown to them. */
    warrantyRefusedReason: text("warranty_refused_reason"),
    /** Quote (not covered by warranty), in euro cents, and the customer's answer. */
    quoteLabourCents: integer("quote_labour_cents"),
    quotePartsCents: integer("quote_parts_cents"),
    quoteHandlingCents: integer("quote_handling_cents"),
    quoteShippingCents: integer("quote_shipping_cents"),
    quoteTotalCents: integer("quote_total_cents"),
    quoteDecision: text("quote_decision", { enum: ["accepted", "declined"] }),
    quoteAnsweredAt: text("quote_answered_at"),
    /** Return shipment to the customer. */
    returnCarrier: text("return_carrier"),
    returnTrackingNumber: text("return_tracking_number"),
    /** A customer's cancellation request after receipt, waiting for staff to decide. */
    cancellationRequestedAt: text("cancellation_requested_at"),
    cancellationReason: text("cancellation_reason"),
    /** The staff member responsible for this RMA (staff_users.id), or none. */
    assignedTo: text("assigned_to"),
    updatedAt: text("updated_at").notNull().default(now),
  },
  (t) => [
    // One open RMA per serial number, enforced by the database even under concurrent requests.
    uniqueIndex("rmas_open_serial_idx").on(t.serialNumber).where(sql`status IN (${openList})`),
    index("rmas_serial_idx").on(t.serialNumber),
    index("rmas_request_idx").on(t.requestId),
    index("rmas_status_requested_idx").on(t.status, t.requestedAt),
    index("rmas_valid_until_idx").on(t.status, t.validUntil),
    index("rmas_model_idx").on(t.model, t.requestedAt),
    // The staff queue filtered by warranty: its page and its capped total read a range, not the table.
    index("rmas_warranty_idx").on(t.warrantyCovered, t.requestedAt),
    // The staff queue, newest first, unfiltered.
    index("rmas_requested_idx").on(t.requestedAt),
    index("rmas_cancellation_requested_idx").on(t.cancellationRequestedAt),
    index("rmas_status_updated_idx").on(t.status, t.updatedAt),
    index("rmas_assigned_idx").on(t.assignedTo, t.requestedAt),
  ],
);

/**
 * How many RMAs are stored in each status, kept exact by triggers on `rmas` (see the migration that
 * creates this table): the staff queue reads its counts with one row per status instead of counting
 * every RMA on each visit.
 */
export const rmaStatusCounts = sqliteTable("rma_status_counts", {
  status: text("status").primaryKey(),
  n: integer("n").notNull(),
});

/** Append-only log of everything that happened to an RMA. */
export const rmaEvents = sqliteTable(
  "rma_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    rmaNumber: text("rma_number")
      .notNull()
      .references(() => rmas.rmaNumber),
    at: text("at").notNull().default(now),
    /** `customer`, `system`, or `staff:<email>`. */
    actor: text("actor").notNull(),
    fromStatus: text("from_status", { enum: RMA_STATUSES }),
    toStatus: text("to_status", { enum: RMA_STATUSES }),
    /** What kind of event this is when it is not a plain move (`cancellation-requested`, `reminder`...). */
    kind: text("kind").notNull().default("status"),
    note: text("note"),
  },
  (t) => [index("rma_events_rma_idx").on(t.rmaNumber, t.at)],
);

/** Every email the portal writes. Without a Resend key this is where mail stays. */
export const outbox = sqliteTable(
  "outbox",
  {
    id: text("id").primaryKey(),
    recipient: text("recipient").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html").notNull(),
    /** `pending` (not yet sent or waiting for a retry), `sent`, `failed` (gave up), `held` (no provider configured). */
    status: text("status", { enum: ["pending", "sent", "failed", "held"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    /** Who or what the email is about, so staff can list the emails of one RMA. */
    requestId: text("request_id"),
    rmaNumber: text("rma_number"),
    /** Unique per logical email (e.g. `reminder:RMA-26-123456-K`): writing it twice is a no-op. */
    dedupeKey: text("dedupe_key"),
    /** Set while a sender holds the row, so two senders never send it twice. */
    claimedUntil: text("claimed_until"),
    providerId: text("provider_id"),
    createdAt: text("created_at").notNull().default(now),
    updatedAt: text("updated_at").notNull().default(now),
    sentAt: text("sent_at"),
  },
  (t) => [
    uniqueIndex("outbox_dedupe_idx").on(t.dedupeKey),
    index("outbox_status_idx").on(t.status, t.createdAt),
    index("outbox_rma_idx").on(t.rmaNumber),
    index("outbox_request_idx").on(t.requestId),
    index("outbox_created_idx").on(t.createdAt),
  ],
);

export const staffUsers = sqliteTable("staff_users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  /** `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>` */
  passwordHash: text("password_hash").notNull(),
  createdAt: text("created_at").notNull().default(now),
  lastLoginAt: text("last_login_at"),
  /** What the account may do on the desk (functions/domain/roles.ts); accounts made before roles are admins. */
  role: text("role", { enum: ["admin", "desk", "technician", "viewer"] }).notNull().default("admin"),
  /** The desk's language for this account. */
  locale: text("locale").notNull().default("en"),
  /** Set when an admin disables the account: it can no longer sign in and its sessions are gone. */
  disabledAt: text("disabled_at"),
});

export const staffSessions = sqliteTable(
  "staff_sessions",
  {
    /** SHA-256 of the cookie's token: a leaked table does not leak sessions. */
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => staffUsers.id),
    createdAt: text("created_at").notNull().default(now),
    lastSeenAt: text("last_seen_at").notNull().default(now),
    expiresAt: text("expires_at").notNull(),
  },
  (t) => [index("staff_sessions_user_idx").on(t.userId), index("staff_sessions_expires_idx").on(t.expiresAt)],
);

/** Fixed-window counters for rate limits (lookups, failed tokens, failed logins). */
export const rateLimits = sqliteTable("rate_limits", {
  key: text("key").primaryKey(),
  windowStart: text("window_start").notNull(),
  count: integer("count").notNull().default(0),
});

/** Small key/value settings staff can change (e.g. automatic authorisation). */
export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

/** The rows as read, named once for every module that passes them around. */
export type ProductRow = typeof products.$inferSelect;
export type RequestRow = typeof returnRequests.$inferSelect;
export type RmaRow = typeof rmas.$inferSelect;
export type EventRow = typeof rmaEvents.$inferSelect;
export type OutboxRow = typeof outbox.$inferSelect;
