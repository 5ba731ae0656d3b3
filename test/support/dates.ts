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
