import { Hono } from "hono";
import type { AppBindings } from "../context.ts";
import { dateOf } from "../domain/dates.ts";
import { isWellFormedSerial, normalizeSerial } from "../domain/serial.ts";
import { LABEL_HINT_TEXT, unknownSerialText } from "../domain/unit-checks.ts";
import { type WarrantyVerdict, warrantyVerdict } from "../domain/warranty.ts";
import { ApiError } from "../errors.ts";
import { clientAddress } from "../http/client.ts";
import type { Locale } from "../i18n/index.ts";
import { encodeText, text } from "../i18n/text.ts";
import {
  registryWithRepairsFrom,
  registryWithRepairsStatement,
  repairWarrantyWords,
} from "../services/insight/repair-warranty.ts";
import { countSerialChecks, serialCheckLimit, serialCheckRefusal } from "../services/rma/issuing/limits.ts";

/**
 * `GET /api/serials/{serial}`: is the unit in the registry, and is it under warranty today — its original
 * warranty, or the warranty on a past repair (`warranty.repair`: that RMA's number and last day, with
 * `words` saying so in the reader's language)? Limited per client address.
 */
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
  // The registry row, its past repairs and the repair warranty's months: one statement.
  const query = registryWithRepairsStatement(db, [serial]);
  let rows: Awaited<typeof query>;
  if (limit) {
    const counted = await countSerialChecks(db, { address: clientAddress(c.req.raw.headers), rule: limit, checks: 1 }, query);
    if (!counted.verdict.allowed) throw serialCheckRefusal(counted.verdict.retryAfterSeconds);
    rows = counted.rows;
  } else {
    rows = await query;
  }
  const { registry, repairs } = registryWithRepairsFrom(rows);
  const unit = registry.get(serial);
  if (!unit) {
    throw new ApiError(404, "unknown_serial", unknownSerialText(serial), {
      serialNumber: encodeText(text("errors.serial.notInRegistryField")),
    });
  }
  return c.json({
    serialNumber: unit.serialNumber,
    model: unit.model,
    purchaseDate: unit.purchaseDate,
    warranty: withWords(
      warrantyVerdict(unit.purchaseDate, dateOf(new Date()), { past: repairs.past.get(serial) ?? [], months: repairs.months }),
      c.var.locale,
    ),
  });
});

/** A verdict covered by a repair's warranty carries its sentence in the reader's language. */
function withWords(verdict: WarrantyVerdict, locale: Locale) {
  if (!verdict.repair) return verdict;
  return { ...verdict, repair: { ...verdict.repair, words: repairWarrantyWords(verdict.repair, locale) } };
}
