/** Calendar-date helpers on `YYYY-MM-DD` strings, all in UTC so the server's zone never matters. */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function parseIsoDate(text: string): Date | null {
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date;
}

export function isIsoDate(text: string): boolean {
  return parseIsoDate(text) !== null;
}

export function toIsoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The calendar date of an instant, in UTC. */
export function dateOf(instant: Date | string): string {
  return (typeof instant === "string" ? instant : instant.toISOString()).slice(0, 10);
}

function daysInMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

/**
 * The same day `months` later; when that month is shorter, its last day
 * (31 Jan + 1 month = 28/29 Feb, 29 Feb 2024 + 24 months = 28 Feb 2026).
 */
export function addMonths(isoDate: string, months: number): string {
  const d = parseIsoDate(isoDate);
  if (!d) throw new RangeError(`not a date: ${isoDate}`);
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const monthIndex = total - year * 12;
  const day = Math.min(d.getUTCDate(), daysInMonth(year, monthIndex));
  return toIsoDate(new Date(Date.UTC(year, monthIndex, day)));
}

export function addDays(isoDate: string, days: number): string {
  const d = parseIsoDate(isoDate);
  if (!d) throw new RangeError(`not a date: ${isoDate}`);
  return toIsoDate(new Date(d.getTime() + days * 86_400_000));
}
