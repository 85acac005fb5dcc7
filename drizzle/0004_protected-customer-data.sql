ALTER TABLE `shops` ADD `protected_data_withheld` text;--> statement-breakpoint
ALTER TABLE `shops` ADD `protected_data_checked_at` text;