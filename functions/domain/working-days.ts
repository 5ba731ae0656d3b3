/**
 * Working days at the service centre in Italy: Monday to Friday, less Italy's national public holidays
 * as the maintained `date-holidays` library knows them (Easter Monday, 2 June, the 4 October feast from
 * 2026 on...), from the table generated from it (./italian-holidays.ts). Dates are `YYYY-MM-DD`;
 * nothing here depends on the server's zone.
 */
import { addDays, parseIsoDate } from "./dates.ts";
import { FIRST_YEAR, ITALIAN_PUBLIC_HOLIDAYS, LAST_YEAR } from "./italian-holidays.ts";

const byYear = new Map<number, ReadonlySet<string>>();

/** Italy's national public holidays of `year` (`YYYY-MM-DD`), not observances such as Mother's Day. */
export function italianHolidays(year: number): ReadonlySet<string> {
  let days = byYear.get(year);
  if (!days) {
    const list = ITALIAN_PUBLIC_HOLIDAYS[year];
    if (list === undefined) throw new RangeError(`no holiday table for ${year}: it covers ${FIRST_YEAR} to ${LAST_YEAR}`);
    days = new Set(list.split(" ").map((d) => `${year}-${d}`));
    byYear.set(year, days);
  }
  return days;
}

function parsed(date: string): Date {
  const d = parseIsoDate(date);
  if (!d) throw new RangeError(`not a date: ${date}`);
  return d;
}

export function isWorkingDay(date: string): boolean {
  const d = parsed(date);
  const weekday = d.getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !italianHolidays(d.getUTCFullYear()).has(date);
}

/** The working day `n` working days after `date` (n ≥ 0; with 0, `date` itself or the next working day). */
export function addWorkingDays(date: string, n: number): string {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`not a number of working days: ${n}`);
  let day = date;
  parsed(day);
  if (n === 0) {
    while (!isWorkingDay(day)) day = addDays(day, 1);
    return day;
  }
  let left = n;
  while (left > 0) {
    day = addDays(day, 1);
    if (isWorkingDay(day)) left--;
  }
  return day;
}

/**
 * Working days from `from` to `to`: those after `from` up to and including `to` (0 for the same day,
 * 1 from a Friday to the next Monday). Negative when `to` is before `from`.
 */
export function workingDaysBetween(from: string, to: string): number {
  parsed(from);
  parsed(to);
  if (to < from) return -workingDaysBetween(to, from);
  let count = 0;
  for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) if (isWorkingDay(day)) count++;
  return count;
}
