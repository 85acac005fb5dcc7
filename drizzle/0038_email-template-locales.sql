DROP INDEX `email_template_versions_uq`;--> statement-breakpoint
ALTER TABLE `email_template_versions` ADD `locale` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `email_template_versions_uq` ON `email_template_versions` (`shop`,`kind`,`locale`,`version`);--> statement-breakpoint
ALTER TABLE `email_outbox` ADD `template_locale` text;