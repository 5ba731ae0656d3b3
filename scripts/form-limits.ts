/**
 * The public form's limits turned off: for the benchmark and the tests, whose thousands of requests come
 * from one address and one email address by design. Tests of the limits turn them back on.
 */
export const NO_FORM_LIMITS = {
  REQUESTS_PER_ADDRESS_PER_HOUR: "0",
  REQUESTS_PER_EMAIL_PER_DAY: "0",
  SERIAL_CHECKS_PER_ADDRESS_PER_HOUR: "0",
} as const;
