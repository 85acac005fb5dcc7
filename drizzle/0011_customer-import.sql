CREATE TABLE `import_problems` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`import_id` integer NOT NULL,
	`line` integer NOT NULL,
	`cells` text NOT NULL,
	`message` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `import_problems_line_uq` ON `import_problems` (`shop`,`import_id`,`line`);--> statement-breakpoint
CREATE TABLE `imports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`kind` text NOT NULL,
	`source` text,
	`file_name` text NOT NULL,
	`file_path` text NOT NULL,
	`delimiter` text NOT NULL,
	`headers` text NOT NULL,
	`columns` text NOT NULL,
	`options` text NOT NULL,
	`status` text NOT NULL,
	`summary` text NOT NULL,
	`task_id` integer,
	`actor` text NOT NULL,
	`actor_name` text,
	`created_at` text NOT NULL,
	`imported_at` text,
	`undone_at` text
);
--> statement-breakpoint
CREATE INDEX `imports_shop_idx` ON `imports` (`shop`,`id`);