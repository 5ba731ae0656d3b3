/** Only for test/unit/count-reporter.test.ts: runs these fixture files with the suite's closing-line reporter. */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["*.fixture.ts"],
    fileParallelism: false,
    reporters: ["../count-reporter.ts"],
  },
});
