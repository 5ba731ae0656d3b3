/** Password refusals in the desk's words, and changing one's own password. */
import { and, eq, ne } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { staffSessions, staffUsers } from "../../../db/schema.ts";
import { hashPassword, MIN_PASSWORD_LENGTH, type PasswordProblem, passwordProblem, verifyPassword } from "../../auth/password.ts";
import { Refusal } from "../../errors.ts";
import { type Locale, t } from "../../i18n/index.ts";
import type { StaffIdentity } from "../staff/session.ts";
import { type Auditor, auditStatement } from "./audit.ts";
import { sha256Hex } from "./links.ts";

export function passwordRefusal(problem: PasswordProblem, locale: Locale, field: string): Refusal {
  const message = t(locale, `team.password.${problem}`, { min: MIN_PASSWORD_LENGTH });
  return new Refusal("validation_failed", message, { [field]: message });
}

/**
 * Changes one's own password (the current one required) and ends every other session of the account;
 * the session in use (`keepToken`) stays.
 */
export async function changeOwnPassword(
  db: Db,
  staff: StaffIdentity,
  input: { currentPassword: string; newPassword: string; keepToken: string | undefined },
  by: Auditor,
  now: Date,
): Promise<void> {
  const locale = staff.locale;
  const [row] = await db
    .select({ passwordHash: staffUsers.passwordHash })
    .from(staffUsers)
    .where(eq(staffUsers.id, staff.userId))
    .limit(1);
  if (!row || !(await verifyPassword(input.currentPassword, row.passwordHash))) {
    const message = t(locale, "team.password.wrongCurrent");
    throw new Refusal("validation_failed", message, { currentPassword: message });
  }
  const problem = passwordProblem(input.newPassword, staff.email);
  if (problem) throw passwordRefusal(problem, locale, "newPassword");
  const passwordHash = await hashPassword(input.newPassword);
  const keep = input.keepToken ? await sha256Hex(input.keepToken) : "";
  await db.batch([
    db.update(staffUsers).set({ passwordHash }).where(eq(staffUsers.id, staff.userId)),
    db.delete(staffSessions).where(and(eq(staffSessions.userId, staff.userId), ne(staffSessions.tokenHash, keep))),
    auditStatement(db, by, { kind: "password-changed", subject: staff.email }, now),
  ]);
}
