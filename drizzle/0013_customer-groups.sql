CREATE TABLE `customer_groups` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`name` text NOT NULL,
	`segment_gid` text NOT NULL,
	`segment_query` text NOT NULL,
	`discount_gid` text,
	`discount_code` text,
	`discount_kind` text,
	`discount_value` integer,
	`discount_currency` text,
	`discount_ends_at` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customer_groups_segment_uq` ON `customer_groups` (`shop`,`segment_gid`);--> statement-breakpoint
CREATE INDEX `customer_groups_shop_idx` ON `customer_groups` (`shop`,`id`);