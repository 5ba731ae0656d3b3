/**
 * The hourly sweep of R2: pieces of files that have no row in `rma_files` (a submission whose database
 * write failed after its files were stored, or a Worker stopped mid-upload) are deleted once they are
 * older than FILES_ORPHAN_MINUTES (60 by default), so an upload still in progress is never touched.
 */
import { inArray } from "drizzle-orm";
import type { Db } from "../../../db/client.ts";
import { rmaFiles } from "../../../db/schema/files.ts";
import type { AppEnv } from "../../env.ts";
import { FILE_PREFIX } from "./store.ts";

export const DEFAULT_ORPHAN_MINUTES = 60;
/** Listing pages (1000 keys each) one run reads at most; the next run goes on. */
const MAX_PAGES = 20;

export interface SweepReport {
  /** Files (sets of pieces) without a row that were deleted. */
  files: number;
  pieces: number;
}

function orphanMinutes(env: Pick<AppEnv, "FILES_ORPHAN_MINUTES">): number {
  const n = Number(env.FILES_ORPHAN_MINUTES);
  return env.FILES_ORPHAN_MINUTES !== undefined && Number.isFinite(n) && n >= 0 ? n : DEFAULT_ORPHAN_MINUTES;
}

export async function sweepOrphanFiles(
  db: Db,
  env: Pick<AppEnv, "FILES" | "FILES_ORPHAN_MINUTES">,
  now: Date,
): Promise<SweepReport> {
  const report: SweepReport = { files: 0, pieces: 0 };
  const bucket = env.FILES;
  if (!bucket) return report;
  const cutoff = now.getTime() - orphanMinutes(env) * 60_000;
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const listed = await bucket.list({ prefix: FILE_PREFIX, limit: 1000, ...(cursor ? { cursor } : {}) });
    // Keys of old enough pieces by file id; a file with any recent piece is still being written.
    const byFile = new Map<string, string[]>();
    const recent = new Set<string>();
    for (const o of listed.objects) {
      const id = o.key.slice(FILE_PREFIX.length).split("/")[0] ?? "";
      if (o.uploaded.getTime() > cutoff) recent.add(id);
      else byFile.set(id, [...(byFile.get(id) ?? []), o.key]);
    }
    for (const id of recent) byFile.delete(id);
    const ids = [...byFile.keys()];
    if (ids.length > 0) {
      const known = new Set<string>();
      for (let i = 0; i < ids.length; i += 100) {
        const rows = await db
          .select({ id: rmaFiles.id })
          .from(rmaFiles)
          .where(inArray(rmaFiles.id, ids.slice(i, i + 100)));
        for (const r of rows) known.add(r.id);
      }
      const orphans = ids.filter((id) => !known.has(id));
      const keys = orphans.flatMap((id) => byFile.get(id) ?? []);
      if (keys.length > 0) await bucket.delete(keys);
      report.files += orphans.length;
      report.pieces += keys.length;
    }
    if (!listed.truncated) break;
    cursor = listed.cursor;
  }
  return report;
}
