CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`actor_id` text,
	`actor` text,
	`address` text NOT NULL,
	`kind` text NOT NULL,
	`subject` text,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `audit_log_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE INDEX `audit_log_kind_idx` ON `audit_log` (`kind`,`at`);--> statement-breakpoint
CREATE TABLE `rma_notes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rma_number` text NOT NULL,
	`at` text NOT NULL,
	`author_id` text NOT NULL,
	`author` text NOT NULL,
	`body` text NOT NULL,
	FOREIGN KEY (`rma_number`) REFERENCES `rmas`(`rma_number`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rma_notes_rma_idx` ON `rma_notes` (`rma_number`,`at`);--> statement-breakpoint
CREATE TABLE `staff_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`purpose` text NOT NULL,
	`created_by` text,
	`created_at` text NOT NULL,
	`expires_at` text NOT NULL,
	`used_at` text,
	FOREIGN KEY (`user_id`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `staff_tokens_user_idx` ON `staff_tokens` (`user_id`);--> statement-breakpoint
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log` BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log` BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
