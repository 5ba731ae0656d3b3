/** Run with --bail 1: the first test fails, the run stops, and the two tests after it are left pending. */
import { expect, it } from "vitest";

it("fails", () => expect(1).toBe(2));
it("is cut short", async () => {
  await new Promise((r) => setTimeout(r, 5000));
});
it("never starts", () => expect(1).toBe(1));
