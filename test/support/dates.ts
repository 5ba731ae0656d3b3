/**
 * Calendar arithmetic for what a test expects, written apart from functions/domain/dates.ts (and from
 * the warranty and expiry rules), so an expected date never comes from the code under test.
 */
const DAY_MS = 86_400_000;

/** Today (UTC), `YYYY-MM-DD`. */
export const today = (): string => new Date().toISOString().slice(0, 10);

/** The day `n` days before today (UTC). */
export const daysAgo = (n: number): string => new Date(Date.now() - n * DAY_MS).toISOString().slice(0, 10);

/** The day `n` days after `date` (`YYYY-MM-DD`, UTC). */
export const plusDays = (date: string, n: number): string =>
  new Date(Date.parse(`${date}T00:00:00.000Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** The same day two years on, as the FAQ's 24 months read: a purchase on 29 February ends on 28 February. */
export function twoYearsOn(date: string): string {
  const monthDay = date.slice(5);
  return `${Number(date.slice(0, 4)) + 2}-${monthDay === "02-29" ? "02-28" : monthDay}`;
}

/** A purchase this recent is under the 24-month warranty whatever the day: 700 days is well inside 730. */
export const surelyCovered = (r: { purchaseDate: string }): boolean => r.purchaseDate >= daysAgo(700);

/** A purchase this old is past the 24-month warranty whatever the day: 760 days is well past 731. */
export const surelyNotCovered = (r: { purchaseDate: string }): boolean => r.purchaseDate < daysAgo(760);

/** `day` plus `months` calendar months, the day clamped to the month's last (written out, not asked of the rule). */
export function monthsOn(day: string, months: number): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const month = m - 1 + months;
  const year = y + Math.floor(month / 12);
  const last = new Date(Date.UTC(year, (month % 12) + 1, 0)).getUTCDate();
  return `${year}-${String((month % 12) + 1).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

/** A day (`YYYY-MM-DD`) written out in a BCP 47 locale, as the portal says dates: "7 April 2026", "7 aprile 2026". */
export const longDate = (locale: string, day: string): string =>
  new Intl.DateTimeFormat(locale, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(`${day}T00:00:00Z`),
  );
