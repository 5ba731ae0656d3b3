/**
 * The closing `N passed, N failed, N skipped` line (test/support/count-reporter.ts) never says 0 failed
 * when something did not pass: vitest is run on small fixture files and its last line is read.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../db/sqld.ts";

const FIXTURES = join(ROOT, "test", "support", "count-reporter-fixtures");

/** Runs vitest on these fixture files and returns its closing line. */
function closingLine(files: string[], extra: string[] = []): string {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST")));
  const run = spawnSync(
    join(ROOT, "node_modules", ".bin", "vitest"),
    ["run", "--root", FIXTURES, "--config", join(FIXTURES, "vitest.config.ts"), ...extra, ...files],
    { encoding: "utf8", env, timeout: 60_000 },
  );
  const lines = `${run.stdout}`.split("\n").filter((l) => /^\d+ passed, \d+ failed, \d+ skipped/.test(l));
  expect(lines, `${run.stdout}\n${run.stderr}`).toHaveLength(1);
  return lines[0] ?? "";
}

describe("the closing line of a test run", () => {
  it("counts the tests a describe block's failed beforeAll left unrun as failures, not skipped", () => {
    expect(closingLine(["hook-in-block.fixture.ts"])).toBe("1 passed, 2 failed, 0 skipped");
  });

  it("counts the tests left pending by an interrupted run as failures, and says the run was interrupted", () => {
    expect(closingLine(["interrupted.fixture.ts"], ["--bail", "1"])).toBe("0 passed, 3 failed, 0 skipped (run interrupted)");
  });

  it("counts tests skipped on purpose as skipped, not failed", () => {
    expect(closingLine(["skipped.fixture.ts"])).toBe("1 passed, 0 failed, 2 skipped");
  });
});
