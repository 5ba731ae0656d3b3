CREATE TABLE `customer_sessions` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`last_seen_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`expires_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `customer_sessions_email_idx` ON `customer_sessions` (`email`);--> statement-breakpoint
CREATE INDEX `customer_sessions_expires_idx` ON `customer_sessions` (`expires_at`);--> statement-breakpoint
CREATE TABLE `customer_sign_in_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`purpose` text NOT NULL,
	`email` text NOT NULL,
	`locale` text DEFAULT 'en' NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`expires_at` text NOT NULL,
	`used_at` text,
	`session_hash` text
);
--> statement-breakpoint
CREATE INDEX `customer_sign_in_tokens_expires_idx` ON `customer_sign_in_tokens` (`expires_at`);--> statement-breakpoint
-- "My returns": a customer's requests newest first, read from one range of this index (the email as the
-- portal compares it, lower-cased), so a page of the list costs the same at 10 or 1 000 RMAs of theirs.
CREATE INDEX `return_requests_email_created_idx` ON `return_requests` (lower(`email`), `created_at`, `id`);
