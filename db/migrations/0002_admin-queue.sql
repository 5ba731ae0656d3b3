DROP INDEX `rmas_model_idx`;--> statement-breakpoint
ALTER TABLE `rmas` ADD `received_on` text;--> statement-breakpoint
CREATE INDEX `rmas_requested_idx` ON `rmas` (`requested_at`);--> statement-breakpoint
CREATE INDEX `rmas_model_idx` ON `rmas` (`model`,`requested_at`);--> statement-breakpoint
CREATE INDEX `outbox_created_idx` ON `outbox` (`created_at`);--> statement-breakpoint
CREATE INDEX `return_requests_email_lower_idx` ON `return_requests` (lower(email));--> statement-breakpoint
CREATE INDEX `return_requests_company_lower_idx` ON `return_requests` (lower(company));