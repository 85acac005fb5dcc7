CREATE TABLE `import_creates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`import_id` integer NOT NULL,
	`line` integer NOT NULL,
	`email` text NOT NULL,
	`first_name` text,
	`last_name` text,
	`points` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `import_creates_line_uq` ON `import_creates` (`shop`,`import_id`,`line`);