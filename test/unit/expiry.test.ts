import { describe, expect, it } from "vitest";
import { effectiveStatus, reminderDue, shipByDate, validUntilFrom } from "../../functions/domain/expiry.ts";

const authorizedAt = "2026-11-02T15:30:00.000Z";
const validUntil = validUntilFrom(authorizedAt);
const day = (n: number, time = "12:00:00.000Z") =>
  new Date(`${new Date(Date.parse("2026-11-02T00:00:00Z") + n * 86_400_000).toISOString().slice(0, 10)}T${time}`);
const rma = { status: "authorized" as const, validUntil };

describe("30 days from authorisation", () => {
  it("ends on the 30th day after the day of authorisation", () => {
    expect(validUntil).toBe("2026-12-02T23:59:59.999Z");
    expect(shipByDate(validUntil)).toBe("2026-12-02");
  });

  it("is still valid at the very end of day 30", () => {
    expect(effectiveStatus(rma, day(30, "23:59:59.000Z"))).toBe("authorized");
  });

  it("is expired on day 31, before any job has run", () => {
    expect(effectiveStatus(rma, day(31, "00:00:00.000Z"))).toBe("expired");
  });

  it("only ever expires authorised RMAs", () => {
    expect(effectiveStatus({ status: "received", validUntil }, day(40))).toBe("received");
    expect(effectiveStatus({ status: "requested", validUntil: null }, day(40))).toBe("requested");
  });

  it("wants a reminder from 7 days before the end, and not after expiry", () => {
    expect(reminderDue(rma, day(23, "23:59:00.000Z"))).toBe(false);
    expect(reminderDue(rma, day(24, "00:00:00.000Z"))).toBe(true);
    expect(reminderDue(rma, day(30))).toBe(true);
    expect(reminderDue(rma, day(31))).toBe(false);
  });
});
