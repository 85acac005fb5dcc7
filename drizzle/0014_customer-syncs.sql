CREATE TABLE `customer_syncs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`trigger` text NOT NULL,
	`task_id` integer,
	`status` text NOT NULL,
	`cursor` text,
	`objects_applied` integer DEFAULT 0 NOT NULL,
	`started_at` text NOT NULL,
	`finished_at` text
);
--> statement-breakpoint
CREATE INDEX `customer_syncs_shop_id_idx` ON `customer_syncs` (`shop`,`id`);--> statement-breakpoint
CREATE INDEX `customer_syncs_finished_idx` ON `customer_syncs` (`shop`,`finished_at`) WHERE "customer_syncs"."status" = 'succeeded';