/**
 * Ends the run with the plain line CI reads: `N passed, N failed, N skipped`, followed by
 * `(run interrupted)` when the run was cut short (a bail, Ctrl-C). Whatever did not pass counts as
 * failed, so the line can never say 0 failed while something did not pass:
 * - a failed test, and a test still pending when the run ended (it was interrupted);
 * - a file, or a describe block, whose own code failed (an import, a beforeAll or afterAll: a missing
 *   browser, say): every test it left unrun (vitest shows them as skipped), or one if it left none;
 * - a file that never ran (still queued when the run ended);
 * - an unhandled error.
 * Skipped is only what was skipped on purpose (skip, todo, another test's `only`).
 */
import type { Reporter, SerializedError, TestCase, TestModule, TestRunEndReason, TestSuite } from "vitest/node";

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
    if (mod.state() === "queued") counts.failed++;
    // Each scope (the file, a describe block) whose own code failed fails every test it left unrun, and
    // counts as one failure if it left none (a failing afterAll, an import with no tests after it).
    const notRun = new Set<TestCase>();
    const scopes: Array<TestModule | TestSuite> = [mod, ...mod.children.allSuites()];
    for (const scope of scopes) {
      if (scope.errors().length === 0) continue;
      let left = 0;
      for (const test of scope.children.allTests()) {
        if (test.result().state === "skipped" && !notRun.has(test)) {
          notRun.add(test);
          left++;
        }
      }
      counts.failed += Math.max(left, 1);
    }
    for (const test of mod.children.allTests()) {
      if (notRun.has(test)) continue;
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
