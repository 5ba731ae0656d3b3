/**
 * The one-time links of the team desk (invitations, password resets) are kept only while they can still
 * be told apart usefully: a link used or expired more than `STAFF_TOKEN_GRACE_DAYS` ago is deleted by the
 * scheduled job. Within the grace a late click still hears "already used" or "expired" (410) rather than
 * "not valid"; after it, the row (a token hash, who it was for, and when) has no use left.
 */
import { lte, or } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { staffTokens } from "../../../db/schema/team.ts";

export const STAFF_TOKEN_GRACE_DAYS = 7;

/** Deletes the links used, or expired, more than the grace before `now`; returns how many. */
export async function pruneStaffTokens(db: Db, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - STAFF_TOKEN_GRACE_DAYS * 86_400_000).toISOString();
  const gone = await db
    .delete(staffTokens)
    .where(or(lte(staffTokens.expiresAt, cutoff), lte(staffTokens.usedAt, cutoff)))
    .returning({ tokenHash: staffTokens.tokenHash });
  return gone.length;
}
