CREATE TABLE `rma_files` (
	`id` text PRIMARY KEY NOT NULL,
	`rma_number` text NOT NULL,
	`request_id` text,
	`message_id` text,
	`name` text NOT NULL,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`pieces` integer NOT NULL,
	`uploaded_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`rma_number`) REFERENCES `rmas`(`rma_number`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`request_id`) REFERENCES `return_requests`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`message_id`) REFERENCES `rma_messages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rma_files_rma_idx` ON `rma_files` (`rma_number`,`created_at`);--> statement-breakpoint
CREATE INDEX `rma_files_message_idx` ON `rma_files` (`message_id`);--> statement-breakpoint
CREATE TABLE `rma_messages` (
	`id` text PRIMARY KEY NOT NULL,
	`rma_number` text NOT NULL,
	`author` text NOT NULL,
	`body` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`rma_number`) REFERENCES `rmas`(`rma_number`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rma_messages_rma_idx` ON `rma_messages` (`rma_number`,`created_at`);