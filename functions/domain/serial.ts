/** Serial numbers as printed on the label: letters and digits, optionally with dashes. */
export const SERIAL_PATTERN = /^[A-Z0-9](?:[A-Z0-9-]{2,30}[A-Z0-9])$/;

/** Trim, upper-case and drop inner spaces: what the customer types becomes what the registry holds. */
export function normalizeSerial(input: string): string {
  return input.trim().toUpperCase().replace(/\s+/g, "");
}

export function isWellFormedSerial(normalized: string): boolean {
  return SERIAL_PATTERN.test(normalized);
}
