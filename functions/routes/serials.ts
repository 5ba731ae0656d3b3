import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { products } from "../../db/schema.ts";
import { countStatement, type LimitRule, verdictOf } from "../auth/rate-limit.ts";
import type { AppBindings } from "../context.ts";
import { dateOf } from "../domain/dates.ts";
import { isWellFormedSerial, normalizeSerial } from "../domain/serial.ts";
import { LABEL_HINT, unknownSerialMessage } from "../domain/unit-checks.ts";
import { warrantyVerdict } from "../domain/warranty.ts";
import type { AppEnv } from "../env.ts";
import { ApiError, Refusal } from "../errors.ts";
import { clientAddress } from "../http/client.ts";

/** Serial checks allowed per client address per hour by default (the form checks each unit as it is typed). */
export const SERIAL_CHECKS_PER_HOUR = 200;

function serialCheckLimit(env: AppEnv, now: Date): LimitRule | null {
  const raw = env.SERIAL_CHECKS_PER_ADDRESS_PER_HOUR;
  const n = raw === undefined || raw.trim() === "" ? SERIAL_CHECKS_PER_HOUR : Number(raw);
  const limit = Number.isInteger(n) && n >= 0 ? n : SERIAL_CHECKS_PER_HOUR;
  return limit > 0 ? { limit, windowSeconds: 3600, now } : null;
}

/** `GET /api/serials/{serial}`: is the unit in the registry, and is it under warranty today? Limited per client address. */
export const serials = new Hono<AppBindings>().get("/:serial", async (c) => {
  const raw = c.req.param("serial");
  const serial = normalizeSerial(raw);
  if (!isWellFormedSerial(serial)) {
    throw new ApiError(
      400,
      "malformed_serial",
      `"${raw.slice(0, 40)}" is not a serial number (4 to 32 letters, digits or dashes). ${LABEL_HINT}`,
      { serialNumber: "Malformed serial number." },
    );
  }
  // Counted per client address in the same round trip as the read.
  const limit = serialCheckLimit(c.env, new Date());
  const db = c.var.db;
  const query = db.select().from(products).where(eq(products.serialNumber, serial)).limit(1);
  let unit: typeof products.$inferSelect | undefined;
  if (limit) {
    const [counted, rows] = await db.batch([
      countStatement(db, `serial-check:ip:${clientAddress(c.req.raw.headers)}`, limit),
      query,
    ]);
    const verdict = verdictOf(counted, limit);
    if (!verdict.allowed) {
      const minutes = Math.max(1, Math.ceil(verdict.retryAfterSeconds / 60));
      const err = new Refusal(
        "too_many_requests",
        `Too many serial number checks from your connection. Please wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again; you can also send the form without checking: we check every serial number when it arrives.`,
      );
      err.retryAfterSeconds = verdict.retryAfterSeconds;
      throw err;
    }
    [unit] = rows;
  } else {
    [unit] = await query;
  }
  if (!unit) throw new ApiError(404, "unknown_serial", unknownSerialMessage(serial), { serialNumber: "Not in the registry." });
  return c.json({
    serialNumber: unit.serialNumber,
    model: unit.model,
    purchaseDate: unit.purchaseDate,
    warranty: warrantyVerdict(unit.purchaseDate, dateOf(new Date())),
  });
});
