CREATE TABLE `email_template_notices_kept` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`kind` text NOT NULL,
	`notice` text NOT NULL,
	`version` integer NOT NULL,
	`actor` text NOT NULL,
	`actor_name` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `email_template_notices_kept_uq` ON `email_template_notices_kept` (`shop`,`kind`,`notice`);