CREATE TABLE `rma_status_counts` (
	`status` text PRIMARY KEY NOT NULL,
	`n` integer NOT NULL
);
--> statement-breakpoint
-- Kept exact by the database itself, whoever writes to rmas (the portal, an import, a seed).
CREATE TRIGGER `rmas_status_count_insert` AFTER INSERT ON `rmas` BEGIN
	INSERT INTO `rma_status_counts` (`status`, `n`) VALUES (new.`status`, 1)
		ON CONFLICT (`status`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `rmas_status_count_update` AFTER UPDATE OF `status` ON `rmas` WHEN old.`status` IS NOT new.`status` BEGIN
	UPDATE `rma_status_counts` SET `n` = `n` - 1 WHERE `status` = old.`status`;
	INSERT INTO `rma_status_counts` (`status`, `n`) VALUES (new.`status`, 1)
		ON CONFLICT (`status`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `rmas_status_count_delete` AFTER DELETE ON `rmas` BEGIN
	UPDATE `rma_status_counts` SET `n` = `n` - 1 WHERE `status` = old.`status`;
END;
--> statement-breakpoint
INSERT INTO `rma_status_counts` (`status`, `n`) SELECT `status`, count(*) FROM `rmas` GROUP BY `status`;
