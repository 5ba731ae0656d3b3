import { describe, expect, it } from "vitest";
import { checkLetter, formatRmaNumber, isRmaNumber, newRmaNumber, parseRmaNumber } from "../../functions/domain/rma-number.ts";

/**
 * Known answers, worked out by hand from the documented rule (digits YYNNNNNN weighted 2..9, sum modulo 23,
 * letter from ABCDEFGHJKLMNPQRSTUVWXZ):
 * - 26048173: 2·2 + 6·3 + 0·4 + 4·5 + 8·6 + 1·7 + 7·8 + 3·9 = 180 = 7·23 + 19 → V (the 20th letter);
 * - 26123456: 4 + 18 + 4 + 10 + 18 + 28 + 40 + 54 = 176 = 7·23 + 15 → R;
 * - 99999999: 9 · (2 + … + 9) = 396 = 17·23 + 5 → F;
 * - 00000000: 0 → A;
 * - 27500000: 2·2 + 7·3 + 5·4 = 45 = 23 + 22 → Z (the last letter).
 * (This is the example the README, the status page and the format message show.)
 */
const KNOWN: [year: number, serial: number, rmaNumber: string][] = [
  [2026, 48173, "RMA-26-048173-V"],
  [2026, 123456, "RMA-26-123456-R"],
  [2099, 999999, "RMA-99-999999-F"],
  [2000, 0, "RMA-00-000000-A"],
  [2027, 500000, "RMA-27-500000-Z"],
];
const EXAMPLE = "RMA-26-048173-V";

describe("RMA numbers", () => {
  it("look like RMA-26-048173-V: the year, six digits and the check letter of those eight digits", () => {
    for (const [year, serial, rmaNumber] of KNOWN) {
      expect(formatRmaNumber(year, serial), `${year} ${serial}`).toBe(rmaNumber);
      expect(isRmaNumber(rmaNumber), rmaNumber).toBe(true);
      expect(checkLetter(rmaNumber.slice(4, 6) + rmaNumber.slice(7, 13)), rmaNumber).toBe(rmaNumber.slice(-1));
    }
    // Any other letter is not a valid number.
    for (const letter of "ABCDEFGHJKLMNPQRSTUWXZ") expect(isRmaNumber(`RMA-26-048173-${letter}`), letter).toBe(false);
  });

  it("are made for the current year from random digits", () => {
    expect(newRmaNumber(new Date("2027-01-01T00:00:00Z"), () => 0.5)).toBe("RMA-27-500000-Z");
    expect(newRmaNumber(new Date("2026-12-31T23:59:59Z"), () => 0.048173)).toBe(EXAMPLE);
    expect(newRmaNumber(new Date("2026-06-01T00:00:00Z"), () => 0)).toBe("RMA-26-000000-Z");
    const many = new Set(Array.from({ length: 200 }, () => newRmaNumber()));
    expect(many.size).toBeGreaterThan(195);
    for (const n of many) expect(isRmaNumber(n), n).toBe(true);
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
    const n = EXAMPLE;
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
    const n = EXAMPLE;
    const wrongLetter = n.endsWith("A") ? `${n.slice(0, -1)}B` : `${n.slice(0, -1)}A`;
    expect(parseRmaNumber(wrongLetter)).toEqual({ ok: false, reason: "check" });
    expect(parseRmaNumber("RMA-26-04817-K")).toEqual({ ok: false, reason: "format" });
    expect(parseRmaNumber("../../etc/passwd")).toEqual({ ok: false, reason: "format" });
    expect(parseRmaNumber("")).toEqual({ ok: false, reason: "format" });
  });
});
