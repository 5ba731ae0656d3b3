import { describe, expect, it } from "vitest";
import { checkLetter, formatRmaNumber, isRmaNumber, newRmaNumber, parseRmaNumber } from "../../functions/domain/rma-number.ts";

describe("RMA numbers", () => {
  it("look like RMA-26-048173-K and carry their own check letter", () => {
    const n = formatRmaNumber(2026, 48173);
    expect(n).toMatch(/^RMA-26-048173-[A-Z]$/);
    expect(isRmaNumber(n)).toBe(true);
  });

  it("are made for the current year from random digits", () => {
    const n = newRmaNumber(new Date("2027-01-01T00:00:00Z"), () => 0.5);
    expect(n).toBe(formatRmaNumber(2027, 500000));
    const many = new Set(Array.from({ length: 200 }, () => newRmaNumber()));
    expect(many.size).toBeGreaterThan(195);
  });

  it("catch every single mistyped digit", () => {
    const digits = "26048173";
    const letter = checkLetter(digits);
    for (let i = 0; i < 8; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === digits[i]) continue;
        const typo = digits.slice(0, i) + d + digits.slice(i + 1);
        expect(checkLetter(typo), typo).not.toBe(letter);
      }
    }
  });

  it("catch every swap of two neighbouring digits", () => {
    for (let trial = 0; trial < 500; trial++) {
      const digits = String(Math.floor(Math.random() * 1e8)).padStart(8, "0");
      for (let i = 0; i < 7; i++) {
        if (digits[i] === digits[i + 1]) continue;
        const swapped = digits.slice(0, i) + digits[i + 1] + digits[i] + digits.slice(i + 2);
        expect(checkLetter(swapped), `${digits} → ${swapped}`).not.toBe(checkLetter(digits));
      }
    }
  });

  it("are read back whatever the case, spaces and dashes", () => {
    const n = formatRmaNumber(2026, 48173);
    const letter = n.slice(-1);
    for (const typed of [
      n,
      n.toLowerCase(),
      ` rma 26 048173 ${letter.toLowerCase()} `,
      `RMA26048173${letter}`,
      `26-048173-${letter}`,
    ]) {
      expect(parseRmaNumber(typed)).toEqual({ ok: true, rmaNumber: n });
    }
  });

  it("tell a wrong shape from a wrong check letter", () => {
    const n = formatRmaNumber(2026, 48173);
    const wrongLetter = n.endsWith("A") ? `${n.slice(0, -1)}B` : `${n.slice(0, -1)}A`;
    expect(parseRmaNumber(wrongLetter)).toEqual({ ok: false, reason: "check" });
    expect(parseRmaNumber("RMA-26-04817-K")).toEqual({ ok: false, reason: "format" });
    expect(parseRmaNumber("../../etc/passwd")).toEqual({ ok: false, reason: "format" });
    expect(parseRmaNumber("")).toEqual({ ok: false, reason: "format" });
  });
});
