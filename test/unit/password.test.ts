import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "../../functions/auth/password.ts";

describe("staff passwords", () => {
  it("are hashed with PBKDF2-SHA-256, 100 000 iterations and a salt of their own", async () => {
    const a = await hashPassword("correct horse battery");
    const b = await hashPassword("correct horse battery");
    expect(a).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword("correct horse battery", a)).toBe(true);
    expect(await verifyPassword("correct horse batterY", a)).toBe(false);
    expect(await verifyPassword("anything", "garbage")).toBe(false);
  });
});
