/**
 * Failing a whole batch from inside it. A batch runs in one transaction, so a statement that errors rolls
 * back everything before it: `json()` of text that is not JSON is SQLite's way to raise an error from a
 * plain SELECT, reached only when the condition is false. Used by the one-round-trip issuing path (the
 * stated facts must match the database) and by all-or-nothing RMA changes (every change must apply).
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { matchError } from "../../errors.ts";

export function failBatchUnless(db: Db, condition: SQL, why: string) {
  return db.run(sql`SELECT json(CASE WHEN ${condition} THEN '1' ELSE ${why} END)`);
}

/** True when a batch was rolled back by one of its guards. */
export const batchGuardFailed = (err: unknown): boolean => matchError(err, /malformed JSON/) !== null;
