/**
 * What fails and how fast it is fixed: failure categories admins maintain, the diagnosis details of an
 * RMA, a production batch per registered unit, and aggregate tables the dashboard and the export read
 * instead of scanning every RMA. The aggregates are kept exact by triggers (see the migration that
 * creates them), whoever writes to `rmas`, `products`, `product_batches` or `rma_diagnoses`, as
 * `rma_status_counts` is.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { rmas } from "../schema.ts";

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`;

/** What a failure category means for the RMA: a repair, damage caused by the customer (no warranty), or no fault found. */
export const FAILURE_OUTCOMES = ["repair", "customer-damage", "no-fault-found"] as const;
export type FailureOutcome = (typeof FAILURE_OUTCOMES)[number];

/** The list staff choose a failure category from at diagnosis; admins add, rename and retire entries. */
export const failureCategories = sqliteTable("failure_categories", {
  /** Short stable code (`sensor`, `customer-damage`...), used in exports. */
  code: text("code").primaryKey(),
  name: text("name").notNull(),
  outcome: text("outcome", { enum: FAILURE_OUTCOMES }).notNull().default("repair"),
  position: integer("position").notNull().default(100),
  /** A retired category is no longer offered; RMAs diagnosed with it keep it. */
  retiredAt: text("retired_at"),
  createdAt: text("created_at").notNull().default(now),
});

/** The diagnosis of one RMA: failure category, firmware as received and as shipped, root cause, parts replaced. */
export const rmaDiagnoses = sqliteTable(
  "rma_diagnoses",
  {
    rmaNumber: text("rma_number")
      .primaryKey()
      .references(() => rmas.rmaNumber),
    categoryCode: text("category_code")
      .notNull()
      .references(() => failureCategories.code),
    firmwareReceived: text("firmware_received"),
    rootCause: text("root_cause"),
    partsReplaced: text("parts_replaced"),
    /** Recorded when the repair is finished. */
    firmwareShipped: text("firmware_shipped"),
    diagnosedAt: text("diagnosed_at").notNull().default(now),
  },
  (t) => [index("rma_diagnoses_category_idx").on(t.categoryCode)],
);

/** The production batch (or production date) of a registered unit, from the registry import's optional column. */
export const productBatches = sqliteTable(
  "product_batches",
  {
    serialNumber: text("serial_number").primaryKey(),
    /** The batch as the import names it, else the production month (`YYYY-MM`) of its production date. */
    batch: text("batch").notNull(),
    productionDate: text("production_date"),
  },
  (t) => [index("product_batches_batch_idx").on(t.batch)],
);

/** Per request month (`YYYY-MM`) and model: how many RMAs, and what became of them. */
export const insightMonthly = sqliteTable(
  "insight_monthly",
  {
    month: text("month").notNull(),
    model: text("model").notNull(),
    requested: integer("requested").notNull().default(0),
    /** Covered by warranty at request time. */
    coveredAtRequest: integer("covered_at_request").notNull().default(0),
    warrantyRepairs: integer("warranty_repairs").notNull().default(0),
    paidRepairs: integer("paid_repairs").notNull().default(0),
    quotes: integer("quotes").notNull().default(0),
    quotesAccepted: integer("quotes_accepted").notNull().default(0),
    quotesDeclined: integer("quotes_declined").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.month, t.model] })],
);

/** Per request month, model and failure category: how many RMAs were diagnosed with it. */
export const insightFailures = sqliteTable(
  "insight_failures",
  {
    month: text("month").notNull(),
    model: text("model").notNull(),
    categoryCode: text("category_code").notNull(),
    n: integer("n").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.month, t.model, t.categoryCode] })],
);

/**
 * How long each stage took, as a histogram: per request month, model and stage, how many RMAs spent
 * `days` working days in it. Medians and 90th percentiles come from these few rows.
 */
export const insightStageDays = sqliteTable(
  "insight_stage_days",
  {
    month: text("month").notNull(),
    model: text("model").notNull(),
    stage: text("stage").notNull(),
    days: integer("days").notNull(),
    n: integer("n").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.month, t.model, t.stage, t.days] })],
);

/** Units in the registry per model and batch (`''` when the registry does not say). */
export const insightRegistryUnits = sqliteTable(
  "insight_registry_units",
  {
    model: text("model").notNull(),
    batch: text("batch").notNull(),
    units: integer("units").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.model, t.batch] })],
);

/** RMAs per request month, model and batch of the returned unit (`''` when unknown), for return rates. */
export const insightReturns = sqliteTable(
  "insight_returns",
  {
    month: text("month").notNull(),
    model: text("model").notNull(),
    batch: text("batch").notNull(),
    n: integer("n").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.month, t.model, t.batch] })],
);

/**
 * Day by day from 2020 to 2040, how many working days (Monday to Friday less Italy's public holidays)
 * have passed: the triggers count a stage's working days as the difference of two indexes.
 */
export const workingCalendar = sqliteTable("working_calendar", {
  day: text("day").primaryKey(),
  workingIndex: integer("working_index").notNull(),
});

export type FailureCategoryRow = typeof failureCategories.$inferSelect;
export type DiagnosisRow = typeof rmaDiagnoses.$inferSelect;
