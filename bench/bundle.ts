/** The Worker's size as `wrangler deploy --dry-run` reports it (offline: a dry run uploads nothing). */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ROOT, toolEnv } from "../db/sqld.ts";

export interface BundleSize {
  totalKiB: number;
  gzipKiB: number;
  modules: number;
  /** The largest modules, as wrangler lists them. */
  largest: { name: string; kiB: number }[];
}

export function parseDryRun(output: string): BundleSize {
  const total = /Total Upload:\s*([\d.]+)\s*KiB\s*\/\s*gzip:\s*([\d.]+)\s*KiB/.exec(output);
  if (!total) throw new Error(`wrangler's dry run did not report a size:\n${output.slice(-2000)}`);
  const modules = [...output.matchAll(/│\s*(\S+\.m?js)\s*│\s*esm\s*│\s*([\d.]+)\s*KiB\s*│/g)].map((m) => ({
    name: m[1] as string,
    kiB: Number(m[2]),
  }));
  return {
    totalKiB: Number(total[1]),
    gzipKiB: Number(total[2]),
    modules: modules.length,
    largest: modules.sort((a, b) => b.kiB - a.kiB).slice(0, 5),
  };
}

export async function measureBundle(): Promise<BundleSize> {
  const out = mkdtempSync(join(tmpdir(), "rma-bundle-"));
  try {
    const { stdout, stderr } = await promisify(execFile)(
      join(ROOT, "node_modules", ".bin", "wrangler"),
      ["deploy", "--dry-run", "--outdir", out, "-c", join(ROOT, "dist", "server", "wrangler.json")],
      { cwd: ROOT, env: toolEnv({ WRANGLER_SEND_METRICS: "false", CI: "true", NO_COLOR: "1" }), maxBuffer: 16 * 2 ** 20 },
    );
    return parseDryRun(`${stdout}\n${stderr}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
