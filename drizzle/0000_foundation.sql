CREATE TABLE `checkouts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`token` text NOT NULL,
	`customer_id` integer,
	`email` text,
	`completed_at` text,
	`shopify_updated_at` text,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `checkouts_shop_token_uq` ON `checkouts` (`shop`,`token`);--> statement-breakpoint
CREATE INDEX `checkouts_customer_idx` ON `checkouts` (`shop`,`customer_id`);--> statement-breakpoint
CREATE TABLE `compliance_exports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`data_request_id` text NOT NULL,
	`customer_gid` text NOT NULL,
	`export` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `compliance_exports_request_uq` ON `compliance_exports` (`shop`,`data_request_id`);--> statement-breakpoint
CREATE INDEX `compliance_exports_customer_idx` ON `compliance_exports` (`shop`,`customer_gid`);--> statement-breakpoint
CREATE TABLE `customers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`customer_gid` text NOT NULL,
	`email` text,
	`first_name` text,
	`last_name` text,
	`phone` text,
	`shopify_state` text DEFAULT 'DISABLED' NOT NULL,
	`status` text DEFAULT 'guest' NOT NULL,
	`blocked` integer DEFAULT false NOT NULL,
	`points_balance` integer DEFAULT 0 NOT NULL,
	`points_pending` integer DEFAULT 0 NOT NULL,
	`lifetime_earned` integer DEFAULT 0 NOT NULL,
	`lifetime_redeemed` integer DEFAULT 0 NOT NULL,
	`orders_count` integer DEFAULT 0 NOT NULL,
	`amount_spent_minor` integer DEFAULT 0 NOT NULL,
	`currency` text,
	`city` text,
	`province` text,
	`country_code` text,
	`tags` text DEFAULT '[]' NOT NULL,
	`tag_events` text DEFAULT '{}' NOT NULL,
	`email_marketing_state` text,
	`email_marketing_updated_at` text,
	`purchasing_updated_at` text,
	`signup_bonus_settled` integer DEFAULT false NOT NULL,
	`deleted_at` text,
	`redacted_at` text,
	`metafield_dirty` integer DEFAULT false NOT NULL,
	`joined_at` text,
	`search_name` text GENERATED ALWAYS AS (lower(trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')))) VIRTUAL,
	`search_email` text GENERATED ALWAYS AS (lower(email)) VIRTUAL,
	`joined_sort` text GENERATED ALWAYS AS (coalesce(joined_at, '')) VIRTUAL,
	`member_since` text,
	`shopify_updated_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customers_shop_gid_uq` ON `customers` (`shop`,`customer_gid`);--> statement-breakpoint
CREATE INDEX `customers_shop_id_idx` ON `customers` (`shop`,`id`);--> statement-breakpoint
CREATE INDEX `customers_shop_status_idx` ON `customers` (`shop`,`status`,`points_balance`);--> statement-breakpoint
CREATE INDEX `customers_shop_email_idx` ON `customers` (`shop`,`email`);--> statement-breakpoint
CREATE INDEX `customers_shop_points_idx` ON `customers` (`shop`,`points_balance`,`id`);--> statement-breakpoint
CREATE INDEX `customers_shop_joined_idx` ON `customers` (`shop`,`joined_sort`,`id`);--> statement-breakpoint
CREATE INDEX `customers_shop_name_idx` ON `customers` (`shop`,`search_name`,`id`);--> statement-breakpoint
CREATE INDEX `customers_shop_orders_idx` ON `customers` (`shop`,`orders_count`,`id`);--> statement-breakpoint
CREATE INDEX `customers_shop_spent_idx` ON `customers` (`shop`,`amount_spent_minor`,`id`);--> statement-breakpoint
CREATE INDEX `customers_shop_search_email_idx` ON `customers` (`shop`,`search_email`,`id`);--> statement-breakpoint
CREATE INDEX `customers_shop_blocked_idx` ON `customers` (`shop`,`id`) WHERE "customers"."blocked" = 1;--> statement-breakpoint
CREATE INDEX `customers_metafield_dirty_idx` ON `customers` (`shop`,`id`) WHERE "customers"."metafield_dirty" = 1;--> statement-breakpoint
CREATE TABLE `earning_skips` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`customer_id` integer NOT NULL,
	`source_gid` text,
	`would_have_earned` integer NOT NULL,
	`reason` text NOT NULL,
	`explanation` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `earning_skips_customer_idx` ON `earning_skips` (`shop`,`customer_id`);--> statement-breakpoint
CREATE TABLE `ledger_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`customer_id` integer NOT NULL,
	`kind` text NOT NULL,
	`points` integer NOT NULL,
	`held` integer DEFAULT false NOT NULL,
	`source_type` text,
	`source_gid` text,
	`rule_version` integer,
	`idempotency_key` text NOT NULL,
	`actor` text NOT NULL,
	`note` text,
	`explanation` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ledger_entries_idempotency_uq` ON `ledger_entries` (`shop`,`idempotency_key`);--> statement-breakpoint
CREATE INDEX `ledger_entries_customer_idx` ON `ledger_entries` (`shop`,`customer_id`,`id`);--> statement-breakpoint
CREATE TABLE `orders` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`order_gid` text NOT NULL,
	`customer_id` integer,
	`name` text,
	`currency` text,
	`subtotal_minor` integer,
	`total_minor` integer,
	`financial_status` text,
	`fulfillment_status` text,
	`discount_codes` text DEFAULT '[]' NOT NULL,
	`cancelled_at` text,
	`processed_at` text,
	`points_state` text NOT NULL,
	`release_at` text,
	`shopify_updated_at` text,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `orders_shop_gid_uq` ON `orders` (`shop`,`order_gid`);--> statement-breakpoint
CREATE INDEX `orders_customer_idx` ON `orders` (`shop`,`customer_id`,`processed_at`);--> statement-breakpoint
CREATE INDEX `orders_release_idx` ON `orders` (`shop`,`release_at`);--> statement-breakpoint
CREATE TABLE `rewards` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`reward_key` text NOT NULL,
	`customer_id` integer NOT NULL,
	`option_id` text NOT NULL,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`points` integer NOT NULL,
	`value_minor` integer,
	`percent` integer,
	`currency` text NOT NULL,
	`code` text,
	`status` text NOT NULL,
	`shopify_gid` text,
	`used_on_order_gid` text,
	`error` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rewards_shop_key_uq` ON `rewards` (`shop`,`reward_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `rewards_shop_code_uq` ON `rewards` (`shop`,`code`);--> statement-breakpoint
CREATE INDEX `rewards_customer_idx` ON `rewards` (`shop`,`customer_id`,`id`);--> statement-breakpoint
CREATE INDEX `rewards_status_idx` ON `rewards` (`status`);--> statement-breakpoint
CREATE TABLE `program_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`version` integer NOT NULL,
	`settings` text NOT NULL,
	`actor` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `program_versions_shop_version_uq` ON `program_versions` (`shop`,`version`);--> statement-breakpoint
CREATE TABLE `shop_jobs` (
	`shop` text NOT NULL,
	`job` text NOT NULL,
	`watermark` text,
	`last_run_at` text,
	`last_result` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `shop_jobs_shop_job_uq` ON `shop_jobs` (`shop`,`job`);--> statement-breakpoint
CREATE INDEX `shop_jobs_job_idx` ON `shop_jobs` (`job`);--> statement-breakpoint
CREATE TABLE `session` (
	`id` text PRIMARY KEY NOT NULL,
	`shop` text NOT NULL,
	`state` text NOT NULL,
	`isOnline` integer DEFAULT false NOT NULL,
	`scope` text,
	`expires` text,
	`accessToken` text NOT NULL,
	`userId` blob,
	`firstName` text,
	`lastName` text,
	`email` text,
	`accountOwner` integer,
	`locale` text,
	`collaborator` integer,
	`emailVerified` integer,
	`refreshToken` text,
	`refreshTokenExpires` text
);
--> statement-breakpoint
CREATE INDEX `session_shop_idx` ON `session` (`shop`);--> statement-breakpoint
CREATE TABLE `shops` (
	`shop` text PRIMARY KEY NOT NULL,
	`installed_at` text NOT NULL,
	`uninstalled_at` text,
	`scope` text,
	`currency` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`webhook_id` text NOT NULL,
	`event_id` text,
	`topic` text NOT NULL,
	`api_version` text,
	`triggered_at` text,
	`received_at` text NOT NULL,
	`status` text NOT NULL,
	`payload` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`processed_at` text,
	`error` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_deliveries_webhook_id_uq` ON `webhook_deliveries` (`shop`,`webhook_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_deliveries_event_uq` ON `webhook_deliveries` (`shop`,`topic`,`event_id`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_shop_topic_idx` ON `webhook_deliveries` (`shop`,`topic`,`received_at`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_received_idx` ON `webhook_deliveries` (`received_at`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_queue_idx` ON `webhook_deliveries` (`id`) WHERE "webhook_deliveries"."status" in ('pending', 'failed');--> statement-breakpoint
CREATE TABLE `webhook_failures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`webhook_id` text NOT NULL,
	`topic` text NOT NULL,
	`error` text NOT NULL,
	`failed_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `webhook_failures_shop_idx` ON `webhook_failures` (`shop`,`failed_at`);