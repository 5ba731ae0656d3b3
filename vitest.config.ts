import { defineConfig } from "vitest/config";

export default defineConfig({
  // The `@/…` alias of tsconfig.json (Astro reads it there; Node scripts cannot, so db/, scripts/, bench/ and
  // what they load from functions/ keep relative imports).
  resolve: { alias: { "@/": new URL("./", import.meta.url).pathname } },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Server-starting suites share two cores: keep the pool small so timings stay sane.
    maxWorkers: 2,
    // Unpacks the npm Chromium once, before the workers that share it start.
    globalSetup: ["./test/support/global-setup.ts"],
    reporters: ["default", "./test/support/count-reporter.ts"],
  },
});
