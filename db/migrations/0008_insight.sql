CREATE TABLE `failure_categories` (
	`code` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`outcome` text DEFAULT 'repair' NOT NULL,
	`position` integer DEFAULT 100 NOT NULL,
	`retired_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `insight_failures` (
	`month` text NOT NULL,
	`model` text NOT NULL,
	`category_code` text NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`month`, `model`, `category_code`)
);
--> statement-breakpoint
CREATE TABLE `insight_monthly` (
	`month` text NOT NULL,
	`model` text NOT NULL,
	`requested` integer DEFAULT 0 NOT NULL,
	`covered_at_request` integer DEFAULT 0 NOT NULL,
	`warranty_repairs` integer DEFAULT 0 NOT NULL,
	`paid_repairs` integer DEFAULT 0 NOT NULL,
	`quotes` integer DEFAULT 0 NOT NULL,
	`quotes_accepted` integer DEFAULT 0 NOT NULL,
	`quotes_declined` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`month`, `model`)
);
--> statement-breakpoint
CREATE TABLE `insight_registry_units` (
	`model` text NOT NULL,
	`batch` text NOT NULL,
	`units` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`model`, `batch`)
);
--> statement-breakpoint
CREATE TABLE `insight_returns` (
	`month` text NOT NULL,
	`model` text NOT NULL,
	`batch` text NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`month`, `model`, `batch`)
);
--> statement-breakpoint
CREATE TABLE `insight_stage_days` (
	`month` text NOT NULL,
	`model` text NOT NULL,
	`stage` text NOT NULL,
	`days` integer NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`month`, `model`, `stage`, `days`)
);
--> statement-breakpoint
CREATE TABLE `product_batches` (
	`serial_number` text PRIMARY KEY NOT NULL,
	`batch` text NOT NULL,
	`production_date` text
);
--> statement-breakpoint
CREATE INDEX `product_batches_batch_idx` ON `product_batches` (`batch`);--> statement-breakpoint
CREATE TABLE `rma_diagnoses` (
	`rma_number` text PRIMARY KEY NOT NULL,
	`category_code` text NOT NULL,
	`firmware_received` text,
	`root_cause` text,
	`parts_replaced` text,
	`firmware_shipped` text,
	`diagnosed_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`rma_number`) REFERENCES `rmas`(`rma_number`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`category_code`) REFERENCES `failure_categories`(`code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rma_diagnoses_category_idx` ON `rma_diagnoses` (`category_code`);--> statement-breakpoint
CREATE TABLE `working_calendar` (
	`day` text PRIMARY KEY NOT NULL,
	`working_index` integer NOT NULL
);
--> statement-breakpoint
-- Hand-written below: the seeded failure categories, the working-day calendar and the triggers that keep
-- the insight aggregates exact, whoever writes to rmas, products, product_batches or rma_diagnoses.
INSERT INTO `failure_categories` (`code`, `name`, `outcome`, `position`) VALUES
	('sensor', 'Sensor / pixels', 'repair', 10),
	('interface', 'Interface and connector', 'repair', 20),
	('firmware', 'Firmware', 'repair', 30),
	('power', 'Power', 'repair', 40),
	('optics', 'Optics', 'repair', 50),
	('housing', 'Housing / mechanical', 'repair', 60),
	('customer-damage', 'Customer damage', 'customer-damage', 70),
	('no-fault-found', 'No fault found', 'no-fault-found', 80);
--> statement-breakpoint
-- Working days: Monday to Friday less Italy's public holidays, as the date-holidays library lists them
-- (test/db/insight-calendar.test.ts checks every day against functions/domain/working-days.ts).
WITH RECURSIVE `days`(`d`) AS (
	SELECT '2020-01-01' UNION ALL SELECT date(`d`, '+1 day') FROM `days` WHERE `d` < '2040-12-31'
), `holidays`(`h`) AS (VALUES
	('2020-01-01'), ('2020-01-06'), ('2020-04-12'), ('2020-04-13'), ('2020-04-25'), ('2020-05-01'), ('2020-06-02'), ('2020-08-15'),
	('2020-11-01'), ('2020-12-08'), ('2020-12-25'), ('2020-12-26'), ('2021-01-01'), ('2021-01-06'), ('2021-04-04'), ('2021-04-05'),
	('2021-04-25'), ('2021-05-01'), ('2021-06-02'), ('2021-08-15'), ('2021-11-01'), ('2021-12-08'), ('2021-12-25'), ('2021-12-26'),
	('2022-01-01'), ('2022-01-06'), ('2022-04-17'), ('2022-04-18'), ('2022-04-25'), ('2022-05-01'), ('2022-06-02'), ('2022-08-15'),
	('2022-11-01'), ('2022-12-08'), ('2022-12-25'), ('2022-12-26'), ('2023-01-01'), ('2023-01-06'), ('2023-04-09'), ('2023-04-10'),
	('2023-04-25'), ('2023-05-01'), ('2023-06-02'), ('2023-08-15'), ('2023-11-01'), ('2023-12-08'), ('2023-12-25'), ('2023-12-26'),
	('2024-01-01'), ('2024-01-06'), ('2024-03-31'), ('2024-04-01'), ('2024-04-25'), ('2024-05-01'), ('2024-06-02'), ('2024-08-15'),
	('2024-11-01'), ('2024-12-08'), ('2024-12-25'), ('2024-12-26'), ('2025-01-01'), ('2025-01-06'), ('2025-04-20'), ('2025-04-21'),
	('2025-04-25'), ('2025-05-01'), ('2025-06-02'), ('2025-08-15'), ('2025-11-01'), ('2025-12-08'), ('2025-12-25'), ('2025-12-26'),
	('2026-01-01'), ('2026-01-06'), ('2026-04-05'), ('2026-04-06'), ('2026-04-25'), ('2026-05-01'), ('2026-06-02'), ('2026-08-15'),
	('2026-10-04'), ('2026-11-01'), ('2026-12-08'), ('2026-12-25'), ('2026-12-26'), ('2027-01-01'), ('2027-01-06'), ('2027-03-28'),
	('2027-03-29'), ('2027-04-25'), ('2027-05-01'), ('2027-06-02'), ('2027-08-15'), ('2027-10-04'), ('2027-11-01'), ('2027-12-08'),
	('2027-12-25'), ('2027-12-26'), ('2028-01-01'), ('2028-01-06'), ('2028-04-16'), ('2028-04-17'), ('2028-04-25'), ('2028-05-01'),
	('2028-06-02'), ('2028-08-15'), ('2028-10-04'), ('2028-11-01'), ('2028-12-08'), ('2028-12-25'), ('2028-12-26'), ('2029-01-01'),
	('2029-01-06'), ('2029-04-01'), ('2029-04-02'), ('2029-04-25'), ('2029-05-01'), ('2029-06-02'), ('2029-08-15'), ('2029-10-04'),
	('2029-11-01'), ('2029-12-08'), ('2029-12-25'), ('2029-12-26'), ('2030-01-01'), ('2030-01-06'), ('2030-04-21'), ('2030-04-22'),
	('2030-04-25'), ('2030-05-01'), ('2030-06-02'), ('2030-08-15'), ('2030-10-04'), ('2030-11-01'), ('2030-12-08'), ('2030-12-25'),
	('2030-12-26'), ('2031-01-01'), ('2031-01-06'), ('2031-04-13'), ('2031-04-14'), ('2031-04-25'), ('2031-05-01'), ('2031-06-02'),
	('2031-08-15'), ('2031-10-04'), ('2031-11-01'), ('2031-12-08'), ('2031-12-25'), ('2031-12-26'), ('2032-01-01'), ('2032-01-06'),
	('2032-03-28'), ('2032-03-29'), ('2032-04-25'), ('2032-05-01'), ('2032-06-02'), ('2032-08-15'), ('2032-10-04'), ('2032-11-01'),
	('2032-12-08'), ('2032-12-25'), ('2032-12-26'), ('2033-01-01'), ('2033-01-06'), ('2033-04-17'), ('2033-04-18'), ('2033-04-25'),
	('2033-05-01'), ('2033-06-02'), ('2033-08-15'), ('2033-10-04'), ('2033-11-01'), ('2033-12-08'), ('2033-12-25'), ('2033-12-26'),
	('2034-01-01'), ('2034-01-06'), ('2034-04-09'), ('2034-04-10'), ('2034-04-25'), ('2034-05-01'), ('2034-06-02'), ('2034-08-15'),
	('2034-10-04'), ('2034-11-01'), ('2034-12-08'), ('2034-12-25'), ('2034-12-26'), ('2035-01-01'), ('2035-01-06'), ('2035-03-25'),
	('2035-03-26'), ('2035-04-25'), ('2035-05-01'), ('2035-06-02'), ('2035-08-15'), ('2035-10-04'), ('2035-11-01'), ('2035-12-08'),
	('2035-12-25'), ('2035-12-26'), ('2036-01-01'), ('2036-01-06'), ('2036-04-13'), ('2036-04-14'), ('2036-04-25'), ('2036-05-01'),
	('2036-06-02'), ('2036-08-15'), ('2036-10-04'), ('2036-11-01'), ('2036-12-08'), ('2036-12-25'), ('2036-12-26'), ('2037-01-01'),
	('2037-01-06'), ('2037-04-05'), ('2037-04-06'), ('2037-04-25'), ('2037-05-01'), ('2037-06-02'), ('2037-08-15'), ('2037-10-04'),
	('2037-11-01'), ('2037-12-08'), ('2037-12-25'), ('2037-12-26'), ('2038-01-01'), ('2038-01-06'), ('2038-04-25'), ('2038-04-26'),
	('2038-05-01'), ('2038-06-02'), ('2038-08-15'), ('2038-10-04'), ('2038-11-01'), ('2038-12-08'), ('2038-12-25'), ('2038-12-26'),
	('2039-01-01'), ('2039-01-06'), ('2039-04-10'), ('2039-04-11'), ('2039-04-25'), ('2039-05-01'), ('2039-06-02'), ('2039-08-15'),
	('2039-10-04'), ('2039-11-01'), ('2039-12-08'), ('2039-12-25'), ('2039-12-26'), ('2040-01-01'), ('2040-01-06'), ('2040-04-01'),
	('2040-04-02'), ('2040-04-25'), ('2040-05-01'), ('2040-06-02'), ('2040-08-15'), ('2040-10-04'), ('2040-11-01'), ('2040-12-08'),
	('2040-12-25'), ('2040-12-26')
)
INSERT INTO `working_calendar` (`day`, `working_index`)
	SELECT `d`, sum(CASE WHEN strftime('%w', `d`) IN ('0', '6') OR `d` IN (SELECT `h` FROM `holidays`) THEN 0 ELSE 1 END) OVER (ORDER BY `d`)
	FROM `days`;
--> statement-breakpoint
CREATE TRIGGER `rmas_insight_insert` AFTER INSERT ON `rmas` BEGIN
	INSERT INTO `insight_monthly` (`month`, `model`, `requested`, `covered_at_request`)
		VALUES (substr(new.`requested_at`, 1, 7), new.`model`, 1, new.`warranty_covered`)
		ON CONFLICT (`month`, `model`) DO UPDATE SET `requested` = `requested` + 1, `covered_at_request` = `covered_at_request` + excluded.`covered_at_request`;
	INSERT INTO `insight_returns` (`month`, `model`, `batch`, `n`)
		VALUES (substr(new.`requested_at`, 1, 7), new.`model`,
			coalesce((SELECT `batch` FROM `product_batches` WHERE `serial_number` = new.`serial_number`), ''), 1)
		ON CONFLICT (`month`, `model`, `batch`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `rmas_insight_delete` AFTER DELETE ON `rmas` BEGIN
	-- (An RMA's diagnosis is deleted before it: a unit with no fault found counts here as the repair it was not.)
	UPDATE `insight_monthly` SET `requested` = `requested` - 1, `covered_at_request` = `covered_at_request` - old.`warranty_covered`,
		`warranty_repairs` = `warranty_repairs` - (old.`repairing_at` IS NOT NULL AND old.`warranty_covered` = 1),
		`paid_repairs` = `paid_repairs` - (old.`repairing_at` IS NOT NULL AND old.`warranty_covered` = 0),
		`quotes` = `quotes` - (old.`quoted_at` IS NOT NULL),
		`quotes_accepted` = `quotes_accepted` - (old.`quote_decision` IS 'accepted'),
		`quotes_declined` = `quotes_declined` - (old.`quote_decision` IS 'declined')
		WHERE `month` = substr(old.`requested_at`, 1, 7) AND `model` = old.`model`;
	UPDATE `insight_returns` SET `n` = `n` - 1
		WHERE `month` = substr(old.`requested_at`, 1, 7) AND `model` = old.`model`
			AND `batch` = coalesce((SELECT `batch` FROM `product_batches` WHERE `serial_number` = old.`serial_number`), '');
END;
--> statement-breakpoint
-- The portal never rewrites an RMA's request time or model, but a hand-made correction moves its counts
-- (RMAs, repairs, quotes, returns and failure categories; not the stage histogram, whose working days
-- were counted when each stage ended).
CREATE TRIGGER `rmas_insight_regroup` AFTER UPDATE OF `requested_at`, `model` ON `rmas`
	WHEN substr(old.`requested_at`, 1, 7) IS NOT substr(new.`requested_at`, 1, 7) OR old.`model` IS NOT new.`model` BEGIN
	UPDATE `insight_monthly` SET `requested` = `requested` - 1, `covered_at_request` = `covered_at_request` - old.`warranty_covered`,
		`warranty_repairs` = `warranty_repairs` - (old.`repairing_at` IS NOT NULL AND old.`warranty_covered` = 1 AND NOT EXISTS (SELECT 1 FROM `rma_diagnoses` `d` JOIN `failure_categories` `c` ON `c`.`code` = `d`.`category_code` WHERE `d`.`rma_number` = old.`rma_number` AND `c`.`outcome` = 'no-fault-found')),
		`paid_repairs` = `paid_repairs` - (old.`repairing_at` IS NOT NULL AND old.`warranty_covered` = 0 AND NOT EXISTS (SELECT 1 FROM `rma_diagnoses` `d` JOIN `failure_categories` `c` ON `c`.`code` = `d`.`category_code` WHERE `d`.`rma_number` = old.`rma_number` AND `c`.`outcome` = 'no-fault-found')),
		`quotes` = `quotes` - (old.`quoted_at` IS NOT NULL),
		`quotes_accepted` = `quotes_accepted` - (old.`quote_decision` IS 'accepted'),
		`quotes_declined` = `quotes_declined` - (old.`quote_decision` IS 'declined')
		WHERE `month` = substr(old.`requested_at`, 1, 7) AND `model` = old.`model`;
	INSERT INTO `insight_monthly` (`month`, `model`, `requested`, `covered_at_request`, `warranty_repairs`, `paid_repairs`, `quotes`, `quotes_accepted`, `quotes_declined`)
		SELECT substr(new.`requested_at`, 1, 7), new.`model`, 1, new.`warranty_covered`,
			(new.`repairing_at` IS NOT NULL AND new.`warranty_covered` = 1 AND `nff` = 0), (new.`repairing_at` IS NOT NULL AND new.`warranty_covered` = 0 AND `nff` = 0),
			(new.`quoted_at` IS NOT NULL), (new.`quote_decision` IS 'accepted'), (new.`quote_decision` IS 'declined')
		FROM (SELECT EXISTS (SELECT 1 FROM `rma_diagnoses` `d` JOIN `failure_categories` `c` ON `c`.`code` = `d`.`category_code`
			WHERE `d`.`rma_number` = new.`rma_number` AND `c`.`outcome` = 'no-fault-found') AS `nff`)
		WHERE true
		ON CONFLICT (`month`, `model`) DO UPDATE SET `requested` = `requested` + 1, `covered_at_request` = `covered_at_request` + excluded.`covered_at_request`,
			`warranty_repairs` = `warranty_repairs` + excluded.`warranty_repairs`, `paid_repairs` = `paid_repairs` + excluded.`paid_repairs`,
			`quotes` = `quotes` + excluded.`quotes`, `quotes_accepted` = `quotes_accepted` + excluded.`quotes_accepted`,
			`quotes_declined` = `quotes_declined` + excluded.`quotes_declined`;
	UPDATE `insight_returns` SET `n` = `n` - 1
		WHERE `month` = substr(old.`requested_at`, 1, 7) AND `model` = old.`model`
			AND `batch` = coalesce((SELECT `batch` FROM `product_batches` WHERE `serial_number` = old.`serial_number`), '');
	INSERT INTO `insight_returns` (`month`, `model`, `batch`, `n`)
		VALUES (substr(new.`requested_at`, 1, 7), new.`model`,
			coalesce((SELECT `batch` FROM `product_batches` WHERE `serial_number` = new.`serial_number`), ''), 1)
		ON CONFLICT (`month`, `model`, `batch`) DO UPDATE SET `n` = `n` + 1;
	UPDATE `insight_failures` SET `n` = `n` - 1
		WHERE `month` = substr(old.`requested_at`, 1, 7) AND `model` = old.`model`
			AND `category_code` = (SELECT `category_code` FROM `rma_diagnoses` WHERE `rma_number` = old.`rma_number`);
	INSERT INTO `insight_failures` (`month`, `model`, `category_code`, `n`)
		SELECT substr(new.`requested_at`, 1, 7), new.`model`, `category_code`, 1 FROM `rma_diagnoses` WHERE `rma_number` = new.`rma_number`
		ON CONFLICT (`month`, `model`, `category_code`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
-- A repair starts (warranty, or paid after an accepted quote); a unit with no fault found is not a repair.
CREATE TRIGGER `rmas_insight_repairing` AFTER UPDATE OF `repairing_at` ON `rmas`
	WHEN old.`repairing_at` IS NULL AND new.`repairing_at` IS NOT NULL BEGIN
	UPDATE `insight_monthly` SET
		`warranty_repairs` = `warranty_repairs` + (new.`warranty_covered` = 1),
		`paid_repairs` = `paid_repairs` + (new.`warranty_covered` = 0)
		WHERE `month` = substr(new.`requested_at`, 1, 7) AND `model` = new.`model`
			AND NOT EXISTS (SELECT 1 FROM `rma_diagnoses` `d` JOIN `failure_categories` `c` ON `c`.`code` = `d`.`category_code`
				WHERE `d`.`rma_number` = new.`rma_number` AND `c`.`outcome` = 'no-fault-found');
END;
--> statement-breakpoint
CREATE TRIGGER `rmas_insight_quoted` AFTER UPDATE OF `quoted_at` ON `rmas`
	WHEN old.`quoted_at` IS NULL AND new.`quoted_at` IS NOT NULL BEGIN
	UPDATE `insight_monthly` SET `quotes` = `quotes` + 1 WHERE `month` = substr(new.`requested_at`, 1, 7) AND `model` = new.`model`;
END;
--> statement-breakpoint
CREATE TRIGGER `rmas_insight_quote_answer` AFTER UPDATE OF `quote_decision` ON `rmas`
	WHEN old.`quote_decision` IS NULL AND new.`quote_decision` IS NOT NULL BEGIN
	UPDATE `insight_monthly` SET
		`quotes_accepted` = `quotes_accepted` + (new.`quote_decision` = 'accepted'),
		`quotes_declined` = `quotes_declined` + (new.`quote_decision` = 'declined')
		WHERE `month` = substr(new.`requested_at`, 1, 7) AND `model` = new.`model`;
END;
--> statement-breakpoint
-- Stage durations in working days (functions/domain/turnaround.ts defines the stages the same way).
CREATE TRIGGER `rmas_insight_stage_decision` AFTER UPDATE OF `authorized_at`, `rejected_at` ON `rmas`
	WHEN old.`authorized_at` IS NULL AND old.`rejected_at` IS NULL AND coalesce(new.`authorized_at`, new.`rejected_at`) IS NOT NULL BEGIN
	INSERT INTO `insight_stage_days` (`month`, `model`, `stage`, `days`, `n`)
		SELECT substr(new.`requested_at`, 1, 7), new.`model`, 'decision', `e`.`working_index` - `s`.`working_index`, 1
		FROM `working_calendar` `s`, `working_calendar` `e`
		WHERE `s`.`day` = date(new.`requested_at`) AND `e`.`day` = date(coalesce(new.`authorized_at`, new.`rejected_at`))
		ON CONFLICT (`month`, `model`, `stage`, `days`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `rmas_insight_stage_transit` AFTER UPDATE OF `received_on` ON `rmas`
	WHEN old.`received_on` IS NULL AND new.`received_on` IS NOT NULL AND new.`authorized_at` IS NOT NULL BEGIN
	INSERT INTO `insight_stage_days` (`month`, `model`, `stage`, `days`, `n`)
		SELECT substr(new.`requested_at`, 1, 7), new.`model`, 'transit', `e`.`working_index` - `s`.`working_index`, 1
		FROM `working_calendar` `s`, `working_calendar` `e`
		WHERE `s`.`day` = date(new.`authorized_at`) AND `e`.`day` = new.`received_on`
		ON CONFLICT (`month`, `model`, `stage`, `days`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `rmas_insight_stage_diagnosis` AFTER UPDATE OF `diagnosed_at`, `quoted_at` ON `rmas`
	WHEN old.`diagnosed_at` IS NULL AND old.`quoted_at` IS NULL AND coalesce(new.`diagnosed_at`, new.`quoted_at`) IS NOT NULL
		AND new.`received_on` IS NOT NULL BEGIN
	INSERT INTO `insight_stage_days` (`month`, `model`, `stage`, `days`, `n`)
		SELECT substr(new.`requested_at`, 1, 7), new.`model`, 'diagnosis', `e`.`working_index` - `s`.`working_index`, 1
		FROM `working_calendar` `s`, `working_calendar` `e`
		WHERE `s`.`day` = new.`received_on` AND `e`.`day` = date(coalesce(new.`diagnosed_at`, new.`quoted_at`))
		ON CONFLICT (`month`, `model`, `stage`, `days`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `rmas_insight_stage_quote` AFTER UPDATE OF `quote_answered_at` ON `rmas`
	WHEN old.`quote_answered_at` IS NULL AND new.`quote_answered_at` IS NOT NULL AND new.`quoted_at` IS NOT NULL BEGIN
	INSERT INTO `insight_stage_days` (`month`, `model`, `stage`, `days`, `n`)
		SELECT substr(new.`requested_at`, 1, 7), new.`model`, 'quote', `e`.`working_index` - `s`.`working_index`, 1
		FROM `working_calendar` `s`, `working_calendar` `e`
		WHERE `s`.`day` = date(new.`quoted_at`) AND `e`.`day` = date(new.`quote_answered_at`)
		ON CONFLICT (`month`, `model`, `stage`, `days`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `rmas_insight_stage_repair` AFTER UPDATE OF `shipped_at` ON `rmas`
	WHEN old.`shipped_at` IS NULL AND new.`shipped_at` IS NOT NULL AND new.`repairing_at` IS NOT NULL BEGIN
	INSERT INTO `insight_stage_days` (`month`, `model`, `stage`, `days`, `n`)
		SELECT substr(new.`requested_at`, 1, 7), new.`model`, 'repair', `e`.`working_index` - `s`.`working_index`, 1
		FROM `working_calendar` `s`, `working_calendar` `e`
		WHERE `s`.`day` = CASE WHEN new.`quote_decision` = 'accepted' THEN date(new.`quote_answered_at`)
				ELSE date(coalesce(new.`diagnosed_at`, new.`repairing_at`)) END
			AND `e`.`day` = date(new.`shipped_at`)
		ON CONFLICT (`month`, `model`, `stage`, `days`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `rma_diagnoses_insight_insert` AFTER INSERT ON `rma_diagnoses` BEGIN
	INSERT INTO `insight_failures` (`month`, `model`, `category_code`, `n`)
		SELECT substr(`requested_at`, 1, 7), `model`, new.`category_code`, 1 FROM `rmas` WHERE `rma_number` = new.`rma_number`
		ON CONFLICT (`month`, `model`, `category_code`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `rma_diagnoses_insight_update` AFTER UPDATE OF `category_code` ON `rma_diagnoses`
	WHEN old.`category_code` IS NOT new.`category_code` BEGIN
	UPDATE `insight_failures` SET `n` = `n` - 1
		WHERE (`month`, `model`) = (SELECT substr(`requested_at`, 1, 7), `model` FROM `rmas` WHERE `rma_number` = old.`rma_number`)
			AND `category_code` = old.`category_code`;
	INSERT INTO `insight_failures` (`month`, `model`, `category_code`, `n`)
		SELECT substr(`requested_at`, 1, 7), `model`, new.`category_code`, 1 FROM `rmas` WHERE `rma_number` = new.`rma_number`
		ON CONFLICT (`month`, `model`, `category_code`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `rma_diagnoses_insight_delete` AFTER DELETE ON `rma_diagnoses` BEGIN
	UPDATE `insight_failures` SET `n` = `n` - 1
		WHERE (`month`, `model`) = (SELECT substr(`requested_at`, 1, 7), `model` FROM `rmas` WHERE `rma_number` = old.`rma_number`)
			AND `category_code` = old.`category_code`;
END;
--> statement-breakpoint
-- Units in the registry per model and batch ('' while the registry does not say); a unit's returns follow its batch.
CREATE TRIGGER `products_insight_insert` AFTER INSERT ON `products` BEGIN
	INSERT INTO `insight_registry_units` (`model`, `batch`, `units`)
		VALUES (new.`model`, coalesce((SELECT `batch` FROM `product_batches` WHERE `serial_number` = new.`serial_number`), ''), 1)
		ON CONFLICT (`model`, `batch`) DO UPDATE SET `units` = `units` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `products_insight_update` AFTER UPDATE OF `model` ON `products` WHEN old.`model` IS NOT new.`model` BEGIN
	UPDATE `insight_registry_units` SET `units` = `units` - 1
		WHERE `model` = old.`model` AND `batch` = coalesce((SELECT `batch` FROM `product_batches` WHERE `serial_number` = old.`serial_number`), '');
	INSERT INTO `insight_registry_units` (`model`, `batch`, `units`)
		VALUES (new.`model`, coalesce((SELECT `batch` FROM `product_batches` WHERE `serial_number` = new.`serial_number`), ''), 1)
		ON CONFLICT (`model`, `batch`) DO UPDATE SET `units` = `units` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `products_insight_delete` AFTER DELETE ON `products` BEGIN
	UPDATE `insight_registry_units` SET `units` = `units` - 1
		WHERE `model` = old.`model` AND `batch` = coalesce((SELECT `batch` FROM `product_batches` WHERE `serial_number` = old.`serial_number`), '');
END;
--> statement-breakpoint
CREATE TRIGGER `product_batches_insight_insert` AFTER INSERT ON `product_batches` BEGIN
	UPDATE `insight_registry_units` SET `units` = `units` - 1
		WHERE `batch` = '' AND `model` = (SELECT `model` FROM `products` WHERE `serial_number` = new.`serial_number`);
	INSERT INTO `insight_registry_units` (`model`, `batch`, `units`)
		SELECT `model`, new.`batch`, 1 FROM `products` WHERE `serial_number` = new.`serial_number`
		ON CONFLICT (`model`, `batch`) DO UPDATE SET `units` = `units` + 1;
	UPDATE `insight_returns` SET `n` = `n` - (SELECT count(*) FROM `rmas` `r` WHERE `r`.`serial_number` = new.`serial_number`
			AND substr(`r`.`requested_at`, 1, 7) = `insight_returns`.`month` AND `r`.`model` = `insight_returns`.`model`)
		WHERE `batch` = '' AND (`month`, `model`) IN (SELECT substr(`requested_at`, 1, 7), `model` FROM `rmas` WHERE `serial_number` = new.`serial_number`);
	INSERT INTO `insight_returns` (`month`, `model`, `batch`, `n`)
		SELECT substr(`requested_at`, 1, 7), `model`, new.`batch`, count(*) FROM `rmas` WHERE `serial_number` = new.`serial_number` GROUP BY 1, 2
		ON CONFLICT (`month`, `model`, `batch`) DO UPDATE SET `n` = `n` + excluded.`n`;
END;
--> statement-breakpoint
CREATE TRIGGER `product_batches_insight_update` AFTER UPDATE OF `batch` ON `product_batches` WHEN old.`batch` IS NOT new.`batch` BEGIN
	UPDATE `insight_registry_units` SET `units` = `units` - 1
		WHERE `batch` = old.`batch` AND `model` = (SELECT `model` FROM `products` WHERE `serial_number` = old.`serial_number`);
	INSERT INTO `insight_registry_units` (`model`, `batch`, `units`)
		SELECT `model`, new.`batch`, 1 FROM `products` WHERE `serial_number` = new.`serial_number`
		ON CONFLICT (`model`, `batch`) DO UPDATE SET `units` = `units` + 1;
	UPDATE `insight_returns` SET `n` = `n` - (SELECT count(*) FROM `rmas` `r` WHERE `r`.`serial_number` = new.`serial_number`
			AND substr(`r`.`requested_at`, 1, 7) = `insight_returns`.`month` AND `r`.`model` = `insight_returns`.`model`)
		WHERE `batch` = old.`batch` AND (`month`, `model`) IN (SELECT substr(`requested_at`, 1, 7), `model` FROM `rmas` WHERE `serial_number` = new.`serial_number`);
	INSERT INTO `insight_returns` (`month`, `model`, `batch`, `n`)
		SELECT substr(`requested_at`, 1, 7), `model`, new.`batch`, count(*) FROM `rmas` WHERE `serial_number` = new.`serial_number` GROUP BY 1, 2
		ON CONFLICT (`month`, `model`, `batch`) DO UPDATE SET `n` = `n` + excluded.`n`;
END;
--> statement-breakpoint
CREATE TRIGGER `product_batches_insight_delete` AFTER DELETE ON `product_batches` BEGIN
	UPDATE `insight_registry_units` SET `units` = `units` - 1
		WHERE `batch` = old.`batch` AND `model` = (SELECT `model` FROM `products` WHERE `serial_number` = old.`serial_number`);
	INSERT INTO `insight_registry_units` (`model`, `batch`, `units`)
		SELECT `model`, '', 1 FROM `products` WHERE `serial_number` = old.`serial_number`
		ON CONFLICT (`model`, `batch`) DO UPDATE SET `units` = `units` + 1;
	UPDATE `insight_returns` SET `n` = `n` - (SELECT count(*) FROM `rmas` `r` WHERE `r`.`serial_number` = old.`serial_number`
			AND substr(`r`.`requested_at`, 1, 7) = `insight_returns`.`month` AND `r`.`model` = `insight_returns`.`model`)
		WHERE `batch` = old.`batch` AND (`month`, `model`) IN (SELECT substr(`requested_at`, 1, 7), `model` FROM `rmas` WHERE `serial_number` = old.`serial_number`);
	INSERT INTO `insight_returns` (`month`, `model`, `batch`, `n`)
		SELECT substr(`requested_at`, 1, 7), `model`, '', count(*) FROM `rmas` WHERE `serial_number` = old.`serial_number` GROUP BY 1, 2
		ON CONFLICT (`month`, `model`, `batch`) DO UPDATE SET `n` = `n` + excluded.`n`;
END;
--> statement-breakpoint
-- The aggregates of what is already stored.
INSERT INTO `insight_monthly` (`month`, `model`, `requested`, `covered_at_request`, `warranty_repairs`, `paid_repairs`, `quotes`, `quotes_accepted`, `quotes_declined`)
	SELECT substr(`requested_at`, 1, 7), `model`, count(*), sum(`warranty_covered`),
		sum(`repairing_at` IS NOT NULL AND `warranty_covered` = 1), sum(`repairing_at` IS NOT NULL AND `warranty_covered` = 0),
		sum(`quoted_at` IS NOT NULL), sum(`quote_decision` IS 'accepted'), sum(`quote_decision` IS 'declined')
	FROM `rmas` GROUP BY 1, 2;
--> statement-breakpoint
INSERT INTO `insight_returns` (`month`, `model`, `batch`, `n`)
	SELECT substr(`requested_at`, 1, 7), `model`, '', count(*) FROM `rmas` GROUP BY 1, 2;
--> statement-breakpoint
INSERT INTO `insight_registry_units` (`model`, `batch`, `units`) SELECT `model`, '', count(*) FROM `products` GROUP BY 1;
--> statement-breakpoint
INSERT INTO `insight_stage_days` (`month`, `model`, `stage`, `days`, `n`)
	SELECT `month`, `model`, `stage`, `days`, count(*) FROM (
		SELECT substr(`r`.`requested_at`, 1, 7) AS `month`, `r`.`model`, 'decision' AS `stage`, `e`.`working_index` - `s`.`working_index` AS `days`
		FROM `rmas` `r` JOIN `working_calendar` `s` ON `s`.`day` = date(`r`.`requested_at`)
			JOIN `working_calendar` `e` ON `e`.`day` = date(coalesce(`r`.`authorized_at`, `r`.`rejected_at`))
		UNION ALL
		SELECT substr(`r`.`requested_at`, 1, 7), `r`.`model`, 'transit', `e`.`working_index` - `s`.`working_index`
		FROM `rmas` `r` JOIN `working_calendar` `s` ON `s`.`day` = date(`r`.`authorized_at`) JOIN `working_calendar` `e` ON `e`.`day` = `r`.`received_on`
		UNION ALL
		SELECT substr(`r`.`requested_at`, 1, 7), `r`.`model`, 'diagnosis', `e`.`working_index` - `s`.`working_index`
		FROM `rmas` `r` JOIN `working_calendar` `s` ON `s`.`day` = `r`.`received_on`
			JOIN `working_calendar` `e` ON `e`.`day` = date(coalesce(`r`.`diagnosed_at`, `r`.`quoted_at`))
		UNION ALL
		SELECT substr(`r`.`requested_at`, 1, 7), `r`.`model`, 'quote', `e`.`working_index` - `s`.`working_index`
		FROM `rmas` `r` JOIN `working_calendar` `s` ON `s`.`day` = date(`r`.`quoted_at`) JOIN `working_calendar` `e` ON `e`.`day` = date(`r`.`quote_answered_at`)
		UNION ALL
		SELECT substr(`r`.`requested_at`, 1, 7), `r`.`model`, 'repair', `e`.`working_index` - `s`.`working_index`
		FROM `rmas` `r` JOIN `working_calendar` `s` ON `s`.`day` = CASE WHEN `r`.`quote_decision` = 'accepted' THEN date(`r`.`quote_answered_at`)
				ELSE date(coalesce(`r`.`diagnosed_at`, `r`.`repairing_at`)) END
			JOIN `working_calendar` `e` ON `e`.`day` = date(`r`.`shipped_at`)
		WHERE `r`.`repairing_at` IS NOT NULL
	) GROUP BY 1, 2, 3, 4;
