ALTER TABLE `rmas` ADD `assigned_to` text;--> statement-breakpoint
CREATE INDEX `rmas_assigned_idx` ON `rmas` (`assigned_to`,`requested_at`);--> statement-breakpoint
ALTER TABLE `staff_users` ADD `role` text DEFAULT 'admin' NOT NULL;--> statement-breakpoint
ALTER TABLE `staff_users` ADD `locale` text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE `staff_users` ADD `disabled_at` text;