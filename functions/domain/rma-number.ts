/**
 * RMA numbers: `RMA-26-048173-V` — the year, six random digits and a check letter.
 * Short enough to write on a box by hand; the check letter catches any single mistyped digit
 * and any swap of two neighbouring digits before a lookup is made.
 */

import { type Text, text } from "../i18n/text.ts";

/** 23 letters: no I, O or Y, which are read as 1, 0 or V in handwriting. */
const CHECK_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXZ";
const NUMBER = /^RMA-(\d{2})-(\d{6})-([A-Z])$/;

/** The check letter of the eight digits `YYNNNNNN`: weighted sum (weights 2..9) modulo 23. */
export function checkLetter(digits: string): string {
  if (!/^\d{8}$/.test(digits)) throw new RangeError(`expected 8 digits, got ${digits}`);
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(digits[i]) * (i + 2);
  return CHECK_LETTERS[sum % 23] as string;
}

export function formatRmaNumber(year: number, serial: number): string {
  const yy = String(year % 100).padStart(2, "0");
  const nnnnnn = String(serial).padStart(6, "0");
  return `RMA-${yy}-${nnnnnn}-${checkLetter(yy + nnnnnn)}`;
}

/** A new random RMA number for the given date's year (uniqueness is the database's job). */
export function newRmaNumber(date: Date = new Date(), random: () => number = secureRandom): string {
  return formatRmaNumber(date.getUTCFullYear(), Math.floor(random() * 1_000_000));
}

function secureRandom(): number {
  const [n] = crypto.getRandomValues(new Uint32Array(1));
  return (n ?? 0) / 2 ** 32;
}

export type RmaNumberCheck = { ok: true; rmaNumber: string } | { ok: false; reason: "format" | "check" };

/**
 * Reads what a customer typed: case, spaces and missing dashes do not matter
 * (`rma 26 048173 v`, `RMA26048173V`). Says whether the shape or the check letter is wrong.
 */
export function parseRmaNumber(input: string): RmaNumberCheck {
  const compact = input.toUpperCase().replace(/[\s-]+/g, "");
  const m = /^(?:RMA)?(\d{2})(\d{6})([A-Z])$/.exec(compact);
  if (!m) return { ok: false, reason: "format" };
  const [, yy, nnnnnn, letter] = m as unknown as [string, string, string, string];
  if (checkLetter(yy + nnnnnn) !== letter) return { ok: false, reason: "check" };
  return { ok: true, rmaNumber: `RMA-${yy}-${nnnnnn}-${letter}` };
}

export function isRmaNumber(text: string): boolean {
  const m = NUMBER.exec(text);
  return m !== null && checkLetter(`${m[1]}${m[2]}`) === m[3];
}

export const RMA_NUMBER_TEXTS: Readonly<Record<"format" | "check", Text>> = {
  format: text("errors.rmaNumber.format"),
  check: text("errors.rmaNumber.check"),
};
