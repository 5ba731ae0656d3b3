/** The failure categories admins maintain: add, rename, reorder, retire (never delete: diagnoses keep theirs). */
import { asc, eq } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "../../../db/client.ts";
import { type FailureCategoryRow, failureCategories } from "../../../db/schema/insight.ts";
import type { categorySchema, categoryUpdateSchema } from "../../domain/staff-input.ts";
import { Refusal } from "../../errors.ts";
import { encodeText, text } from "../../i18n/text.ts";

export function allCategories(db: Db): Promise<FailureCategoryRow[]> {
  return db.select().from(failureCategories).orderBy(asc(failureCategories.position), asc(failureCategories.code));
}

export async function addCategory(db: Db, input: z.infer<typeof categorySchema>): Promise<FailureCategoryRow> {
  const [row] = await db
    .insert(failureCategories)
    .values({ code: input.code, name: input.name, outcome: input.outcome ?? "repair", position: input.position ?? 100 })
    .onConflictDoNothing()
    .returning();
  if (!row) {
    throw new Refusal("validation_failed", text("errors.desk.categories.codeTaken"), {
      code: encodeText(text("errors.desk.categories.codeTakenField", { code: input.code })),
    });
  }
  return row;
}

export async function updateCategory(
  db: Db,
  code: string,
  input: z.infer<typeof categoryUpdateSchema>,
  now: Date,
): Promise<FailureCategoryRow> {
  const set = {
    ...(input.name === undefined ? {} : { name: input.name }),
    ...(input.position === undefined ? {} : { position: input.position }),
    ...(input.retired === undefined ? {} : { retiredAt: input.retired ? now.toISOString() : null }),
  };
  const [row] =
    Object.keys(set).length === 0
      ? await db.select().from(failureCategories).where(eq(failureCategories.code, code)).limit(1)
      : await db.update(failureCategories).set(set).where(eq(failureCategories.code, code)).returning();
  if (!row) throw new Refusal("not_found", text("errors.desk.categories.notFound", { code: code.slice(0, 40) }));
  return row;
}
