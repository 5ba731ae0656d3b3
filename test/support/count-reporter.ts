/** Ends the run with the plain line CI reads: `N passed, N failed, N skipped`. */
import type { Reporter, SerializedError, TestModule } from "vitest/node";

export default class CountReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>) {
    // A file whose set-up failed (beforeAll, import: a missing browser, say) fails every test it did not
    // run, and counts as one failure if it has none; an unhandled error is one failure. Otherwise its
    // tests would show as skipped and the line would read as a pass with something left out.
    const counts = { passed: 0, failed: unhandledErrors.length, skipped: 0 };
    for (const mod of testModules) {
      const setUpFailed = mod.errors().length > 0;
      let notRun = 0;
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") counts.passed++;
        else if (state === "failed") counts.failed++;
        else if (setUpFailed) notRun++;
        else counts.skipped++;
      }
      if (setUpFailed) counts.failed += Math.max(notRun, 1);
    }
    console.log(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  }
}
