/** A describe block whose beforeAll throws: vitest shows its two tests as skipped; both count as failures. */
import { beforeAll, describe, expect, it } from "vitest";

describe("a block whose set-up fails", () => {
  beforeAll(() => {
    throw new Error("the block's set-up failed");
  });
  it("is skipped, one", () => expect(1).toBe(1));
  it("is skipped, two", () => expect(1).toBe(1));
});

it("passes", () => expect(1).toBe(1));
