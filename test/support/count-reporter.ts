/**
 * Ends the run with the plain line CI reads: `N passed, N failed, N skipped`, followed by
 * `(run interrupted)` when the run was cut short (a bail, Ctrl-C). Whatever did not pass counts as
 * failed, so the line can never say 0 failed while something did not pass:
 * - a failed test, and a test still pending when the run ended (it was interrupted);
 * - a file, or a describe block, whose own code failed (an import, a beforeAll or afterAll): one each,
 *   as its tests show as skipped;
 * - a file that never ran (still queued when the run ended);
 * - an unhandled error.
 * Skipped is what was skipped on purpose (skip, todo, another test's `only`) and the tests of a file or
 * block whose set-up failed (that failure is counted above).
 */
import type { Reporter, SerializedError, TestModule, TestRunEndReason } from "vitest/node";

export interface RunCounts {
  passed: number;
  failed: number;
  skipped: number;
  interrupted: boolean;
}

export function countRun(
  testModules: ReadonlyArray<TestModule>,
  unhandledErrors: ReadonlyArray<SerializedError>,
  reason: TestRunEndReason,
): RunCounts {
  const counts: RunCounts = { passed: 0, failed: unhandledErrors.length, skipped: 0, interrupted: reason === "interrupted" };
  for (const mod of testModules) {
    const state = mod.state();
    if (mod.errors().length > 0 || state === "queued") counts.failed++;
    for (const suite of mod.children.allSuites()) if (suite.errors().length > 0) counts.failed++;
    for (const test of mod.children.allTests()) {
      const result = test.result().state;
      if (result === "passed") counts.passed++;
      else if (result === "skipped") counts.skipped++;
      else counts.failed++; // failed, or pending: it never finished
    }
  }
  return counts;
}

export function closingLine(c: RunCounts): string {
  return `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped${c.interrupted ? " (run interrupted)" : ""}`;
}

export default class CountReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
    reason: TestRunEndReason,
  ): void {
    console.log(`\n${closingLine(countRun(testModules, unhandledErrors, reason))}`);
  }
}
