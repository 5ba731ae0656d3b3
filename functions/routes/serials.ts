import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { products } from "../../db/schema.ts";
import type { AppBindings } from "../context.ts";
import { dateOf } from "../domain/dates.ts";
import { isWellFormedSerial, normalizeSerial } from "../domain/serial.ts";
import { LABEL_HINT_TEXT, unknownSerialText } from "../domain/unit-checks.ts";
import { warrantyVerdict } from "../domain/warranty.ts";
import { ApiError } from "../errors.ts";
import { clientAddress } from "../http/client.ts";
import { encodeText, text } from "../i18n/text.ts";
import { countSerialChecks, serialCheckLimit, serialCheckRefusal } from "../services/rma/issuing/limits.ts";

/** `GET /api/serials/{serial}`: is the unit in the registry, and is it under warranty today? Limited per client address. */
export const serials = new Hono<AppBindings>().get("/:serial", async (c) => {
  const raw = c.req.param("serial");
  const serial = normalizeSerial(raw);
  if (!isWellFormedSerial(serial)) {
    throw new ApiError(
      400,
      "malformed_serial",
      text("errors.serial.malformed", { serial: raw.slice(0, 40), labelHint: LABEL_HINT_TEXT }),
      { serialNumber: encodeText(text("errors.serial.malformedField")) },
    );
  }
  // Counted per client address in the same round trip as the read.
  const limit = serialCheckLimit(c.env, new Date());
  const db = c.var.db;
  const query = db.select().from(products).where(eq(products.serialNumber, serial)).limit(1);
  let unit: typeof products.$inferSelect | undefined;
  if (limit) {
    const { rows, verdict } = await countSerialChecks(
      db,
      { address: clientAddress(c.req.raw.headers), rule: limit, checks: 1 },
      query,
    );
    if (!verdict.allowed) throw serialCheckRefusal(verdict.retryAfterSeconds);
    [unit] = rows;
  } else {
    [unit] = await query;
  }
  if (!unit) {
    throw new ApiError(404, "unknown_serial", unknownSerialText(serial), {
      serialNumber: encodeText(text("errors.serial.notInRegistryField")),
    });
  }
  return c.json({
    serialNumber: unit.serialNumber,
    model: unit.model,
    purchaseDate: unit.purchaseDate,
    warranty: warrantyVerdict(unit.purchaseDate, dateOf(new Date())),
  });
});
