ALTER TABLE `rmas` ADD `received_condition` text;--> statement-breakpoint
ALTER TABLE `rmas` ADD `warranty_refused_reason` text;--> statement-breakpoint
ALTER TABLE `rmas` ADD `quote_labour_cents` integer;--> statement-breakpoint
ALTER TABLE `rmas` ADD `quote_parts_cents` integer;--> statement-breakpoint
ALTER TABLE `rmas` ADD `quote_handling_cents` integer;--> statement-breakpoint
ALTER TABLE `rmas` ADD `quote_shipping_cents` integer;--> statement-breakpoint
ALTER TABLE `rmas` ADD `quote_total_cents` integer;--> statement-breakpoint
ALTER TABLE `rmas` ADD `quote_decision` text;--> statement-breakpoint
ALTER TABLE `rmas` ADD `quote_answered_at` text;--> statement-breakpoint
ALTER TABLE `rmas` ADD `return_carrier` text;--> statement-breakpoint
ALTER TABLE `rmas` ADD `return_tracking_number` text;--> statement-breakpoint
ALTER TABLE `rmas` ADD `cancellation_requested_at` text;--> statement-breakpoint
ALTER TABLE `rmas` ADD `cancellation_reason` text;--> statement-breakpoint
CREATE INDEX `rmas_cancellation_requested_idx` ON `rmas` (`cancellation_requested_at`);--> statement-breakpoint
CREATE INDEX `rmas_status_updated_idx` ON `rmas` (`status`,`updated_at`);--> statement-breakpoint
CREATE INDEX `staff_sessions_expires_idx` ON `staff_sessions` (`expires_at`);