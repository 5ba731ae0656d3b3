CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`recipient` text NOT NULL,
	`subject` text NOT NULL,
	`text` text NOT NULL,
	`html` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`request_id` text,
	`rma_number` text,
	`dedupe_key` text,
	`claimed_until` text,
	`provider_id` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`sent_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_dedupe_idx` ON `outbox` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `outbox_status_idx` ON `outbox` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `outbox_rma_idx` ON `outbox` (`rma_number`);--> statement-breakpoint
CREATE INDEX `outbox_request_idx` ON `outbox` (`request_id`);--> statement-breakpoint
CREATE TABLE `products` (
	`serial_number` text PRIMARY KEY NOT NULL,
	`model` text NOT NULL,
	`purchase_date` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `products_model_idx` ON `products` (`model`);--> statement-breakpoint
CREATE TABLE `rate_limits` (
	`key` text PRIMARY KEY NOT NULL,
	`window_start` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `return_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`contact_name` text NOT NULL,
	`company` text,
	`email` text NOT NULL,
	`phone` text NOT NULL,
	`country` text NOT NULL,
	`return_street` text NOT NULL,
	`return_postal_code` text NOT NULL,
	`return_city` text NOT NULL,
	`return_country` text NOT NULL,
	`locale` text DEFAULT 'en' NOT NULL,
	`idempotency_key` text,
	`body_hash` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `return_requests_idempotency_key_idx` ON `return_requests` (`idempotency_key`);--> statement-breakpoint
CREATE INDEX `return_requests_email_idx` ON `return_requests` (`email`);--> statement-breakpoint
CREATE INDEX `return_requests_company_idx` ON `return_requests` (`company`);--> statement-breakpoint
CREATE INDEX `return_requests_created_idx` ON `return_requests` (`created_at`);--> statement-breakpoint
CREATE TABLE `rma_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rma_number` text NOT NULL,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`actor` text NOT NULL,
	`from_status` text,
	`to_status` text,
	`kind` text DEFAULT 'status' NOT NULL,
	`note` text,
	FOREIGN KEY (`rma_number`) REFERENCES `rmas`(`rma_number`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rma_events_rma_idx` ON `rma_events` (`rma_number`,`at`);--> statement-breakpoint
CREATE TABLE `rmas` (
	`rma_number` text PRIMARY KEY NOT NULL,
	`request_id` text NOT NULL,
	`serial_number` text NOT NULL,
	`model` text NOT NULL,
	`purchase_date` text NOT NULL,
	`invoice_number` text,
	`issue_description` text NOT NULL,
	`warranty_covered` integer NOT NULL,
	`warranty_until` text NOT NULL,
	`status` text DEFAULT 'requested' NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`requested_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`authorized_at` text,
	`valid_until` text,
	`rejected_at` text,
	`cancelled_at` text,
	`expired_at` text,
	`received_at` text,
	`diagnosed_at` text,
	`quoted_at` text,
	`repairing_at` text,
	`returning_at` text,
	`shipped_at` text,
	`closed_at` text,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`request_id`) REFERENCES `return_requests`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rmas_open_serial_idx` ON `rmas` (`serial_number`) WHERE status IN ('requested','authorized','received','quoted','repairing','returning','shipped');--> statement-breakpoint
CREATE INDEX `rmas_serial_idx` ON `rmas` (`serial_number`);--> statement-breakpoint
CREATE INDEX `rmas_request_idx` ON `rmas` (`request_id`);--> statement-breakpoint
CREATE INDEX `rmas_status_requested_idx` ON `rmas` (`status`,`requested_at`);--> statement-breakpoint
CREATE INDEX `rmas_valid_until_idx` ON `rmas` (`status`,`valid_until`);--> statement-breakpoint
CREATE INDEX `rmas_model_idx` ON `rmas` (`model`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `staff_sessions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`last_seen_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`expires_at` text NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `staff_users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `staff_sessions_user_idx` ON `staff_sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `staff_users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`password_hash` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`last_login_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `staff_users_email_unique` ON `staff_users` (`email`);