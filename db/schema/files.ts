/**
 * Attachments and messages of an RMA (issue 15). A file's bytes live in R2 (the `FILES` binding) as
 * pieces `files/<id>/<n>` of at most 1 MiB; its row here says what it is. Rows are written only after
 * every piece of a submission is stored, in one batch with the message or request they belong to, so a
 * file without a row is never shown, and the hourly job removes its pieces.
 */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { returnRequests, rmas } from "../schema.ts";

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

/** A message on an RMA's page, from the customer or from staff. */
export const rmaMessages = sqliteTable(
  "rma_messages",
  {
    id: text("id").primaryKey(),
    rmaNumber: text("rma_number")
      .notNull()
      .references(() => rmas.rmaNumber),
    /** `customer` or `staff:<email>`. */
    author: text("author").notNull(),
    /** Plain text as written (shown escaped, line breaks kept). */
    body: text("body").notNull(),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [index("rma_messages_rma_idx").on(t.rmaNumber, t.createdAt)],
);

/** One uploaded file: of a unit of a request (its RMA), or of a message. */
export const rmaFiles = sqliteTable(
  "rma_files",
  {
    id: text("id").primaryKey(),
    rmaNumber: text("rma_number")
      .notNull()
      .references(() => rmas.rmaNumber),
    /** The request the file came with (a unit's attachment), or null. */
    requestId: text("request_id").references(() => returnRequests.id),
    /** The message the file came with, or null. */
    messageId: text("message_id").references(() => rmaMessages.id),
    /** The file name the uploader gave, cleaned (no path, no control characters). */
    name: text("name").notNull(),
    /** The type found by content (functions/domain/file-type.ts), e.g. `image/png`. */
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    /** Hex SHA-256 of the bytes. */
    sha256: text("sha256").notNull(),
    /** How many R2 pieces hold the bytes. */
    pieces: integer("pieces").notNull(),
    /** `customer` or `staff:<email>`. */
    uploadedBy: text("uploaded_by").notNull(),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [index("rma_files_rma_idx").on(t.rmaNumber, t.createdAt), index("rma_files_message_idx").on(t.messageId)],
);

export type MessageRow = typeof rmaMessages.$inferSelect;
export type FileRow = typeof rmaFiles.$inferSelect;
