/** Assigning an RMA to a staff member (or to nobody), with its audit entry in the same batch. */
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { rmas, staffUsers } from "../../../db/schema.ts";
import { Refusal } from "../../errors.ts";
import { t } from "../../i18n/index.ts";
import { rmaNotFound } from "../rma/action-context.ts";
import type { StaffIdentity } from "../staff/session.ts";
import { type Auditor, auditStatement } from "./audit.ts";

export interface Assignee {
  id: string;
  email: string;
}

/** The staff member an RMA is assigned to (no row when nobody): a statement for a caller's batch. */
export function assigneeStatement(db: Db, rmaNumber: string) {
  return db
    .select({ id: staffUsers.id, email: staffUsers.email })
    .from(rmas)
    .innerJoin(staffUsers, eq(staffUsers.id, rmas.assignedTo))
    .where(eq(rmas.rmaNumber, rmaNumber))
    .limit(1);
}

/** `to`: a staff member's id or email, `"me"`, or null/"" for nobody. */
export async function assign(
  db: Db,
  rmaNumber: string,
  to: unknown,
  staff: StaffIdentity,
  by: Auditor,
  now: Date,
): Promise<Assignee | null> {
  const locale = staff.locale;
  let assignee: Assignee | null = null;
  if (to === "me") assignee = { id: staff.userId, email: staff.email };
  else if (typeof to === "string" && to.trim() !== "") {
    const key = to.trim();
    const [row] = await db
      .select({ id: staffUsers.id, email: staffUsers.email })
      .from(staffUsers)
      .where(
        and(key.includes("@") ? eq(staffUsers.email, key.toLowerCase()) : eq(staffUsers.id, key), isNull(staffUsers.disabledAt)),
      )
      .limit(1);
    if (!row) {
      const message = t(locale, "team.assign.unknown");
      throw new Refusal("validation_failed", message, { assignee: message });
    }
    assignee = row;
  } else if (to !== null && to !== undefined && to !== "") {
    const message = t(locale, "team.assign.unknown");
    throw new Refusal("validation_failed", message, { assignee: message });
  }
  const [rma] = await db
    .select({ n: rmas.rmaNumber, previous: staffUsers.email })
    .from(rmas)
    .leftJoin(staffUsers, eq(staffUsers.id, rmas.assignedTo))
    .where(eq(rmas.rmaNumber, rmaNumber))
    .limit(1);
  if (!rma) throw new Refusal("not_found", rmaNotFound(rmaNumber));
  await db.batch([
    db
      .update(rmas)
      .set({ assignedTo: assignee?.id ?? null })
      .where(eq(rmas.rmaNumber, rmaNumber)),
    auditStatement(
      db,
      by,
      { kind: "rma-assigned", subject: rmaNumber, detail: { from: rma.previous ?? null, to: assignee?.email ?? null } },
      now,
    ),
  ]);
  return assignee;
}
