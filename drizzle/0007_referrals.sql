CREATE TABLE `referral_address_fingerprints` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`customer_id` integer NOT NULL,
	`fingerprint` text NOT NULL,
	`seen_at` text NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `referral_address_fingerprints_uq` ON `referral_address_fingerprints` (`shop`,`customer_id`,`fingerprint`);--> statement-breakpoint
CREATE TABLE `referral_advocates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`customer_id` integer NOT NULL,
	`code` text NOT NULL,
	`joined_via` text NOT NULL,
	`joined_at` text NOT NULL,
	`paused_at` text,
	`paused_reason` text,
	`resumed_at` text,
	`merged_from_customer_id` integer,
	`referral_points_earned` integer DEFAULT 0 NOT NULL,
	`referral_points_attributed` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `referral_advocates_shop_code_uq` ON `referral_advocates` (`shop`,`code`);--> statement-breakpoint
CREATE INDEX `referral_advocates_customer_idx` ON `referral_advocates` (`shop`,`customer_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `referral_advocates_own_code_uq` ON `referral_advocates` (`shop`,`customer_id`) WHERE "referral_advocates"."merged_from_customer_id" is null;--> statement-breakpoint
CREATE INDEX `referral_advocates_paused_idx` ON `referral_advocates` (`shop`,`id`) WHERE "referral_advocates"."paused_at" is not null;--> statement-breakpoint
CREATE TABLE `referral_claim_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`advocate_id` integer NOT NULL,
	`client_fingerprint` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `referral_claim_attempts_client_idx` ON `referral_claim_attempts` (`shop`,`client_fingerprint`,`created_at`);--> statement-breakpoint
CREATE INDEX `referral_claim_attempts_code_idx` ON `referral_claim_attempts` (`shop`,`advocate_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `referral_claim_attempts_age_idx` ON `referral_claim_attempts` (`created_at`);--> statement-breakpoint
CREATE TABLE `referral_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`referral_id` integer NOT NULL,
	`kind` text NOT NULL,
	`actor` text NOT NULL,
	`actor_name` text,
	`explanation` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`referral_id`) REFERENCES `referrals`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `referral_events_referral_idx` ON `referral_events` (`shop`,`referral_id`,`id`);--> statement-breakpoint
CREATE TABLE `referral_program_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`version` integer NOT NULL,
	`settings` text NOT NULL,
	`currency` text NOT NULL,
	`actor` text NOT NULL,
	`actor_name` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `referral_program_versions_shop_version_uq` ON `referral_program_versions` (`shop`,`version`);--> statement-breakpoint
CREATE TABLE `referral_revenue_orders` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`order_gid` text NOT NULL,
	`advocate_customer_id` integer NOT NULL,
	`amount_minor` integer NOT NULL,
	`currency` text NOT NULL,
	`basis` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`advocate_customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `referral_revenue_orders_uq` ON `referral_revenue_orders` (`shop`,`order_gid`);--> statement-breakpoint
CREATE INDEX `referral_revenue_orders_advocate_idx` ON `referral_revenue_orders` (`shop`,`advocate_customer_id`);--> statement-breakpoint
CREATE TABLE `referral_rewards` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`referral_id` integer NOT NULL,
	`role` text NOT NULL,
	`customer_id` integer,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`code` text NOT NULL,
	`code_key` text NOT NULL,
	`value_minor` integer,
	`percent` integer,
	`minimum_subtotal_minor` integer DEFAULT 0 NOT NULL,
	`currency` text NOT NULL,
	`status` text NOT NULL,
	`shopify_gid` text,
	`used_on_order_gid` text,
	`error` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`referral_id`) REFERENCES `referrals`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `referral_rewards_shop_code_uq` ON `referral_rewards` (`shop`,`code_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `referral_rewards_referral_role_uq` ON `referral_rewards` (`shop`,`referral_id`,`role`);--> statement-breakpoint
CREATE INDEX `referral_rewards_customer_idx` ON `referral_rewards` (`shop`,`customer_id`,`id`);--> statement-breakpoint
CREATE INDEX `referral_rewards_pending_idx` ON `referral_rewards` (`shop`,`id`) WHERE "referral_rewards"."status" in ('reserved', 'voiding');--> statement-breakpoint
CREATE TABLE `referrals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop` text NOT NULL,
	`referral_key` text NOT NULL,
	`advocate_id` integer NOT NULL,
	`advocate_customer_id` integer NOT NULL,
	`friend_email` text,
	`friend_email_key` text,
	`friend_search` text,
	`friend_customer_id` integer,
	`status` text NOT NULL,
	`review` text,
	`score` integer DEFAULT 0 NOT NULL,
	`state` text NOT NULL,
	`program_version` integer NOT NULL,
	`client_fingerprint` text,
	`order_gid` text,
	`order_total_minor` integer,
	`currency` text,
	`release_at` text,
	`completed_at` text,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`advocate_id`) REFERENCES `referral_advocates`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`advocate_customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`friend_customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `referrals_shop_key_uq` ON `referrals` (`shop`,`referral_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `referrals_shop_friend_uq` ON `referrals` (`shop`,`friend_email_key`);--> statement-breakpoint
CREATE INDEX `referrals_shop_status_idx` ON `referrals` (`shop`,`status`,`id`);--> statement-breakpoint
CREATE INDEX `referrals_advocate_idx` ON `referrals` (`shop`,`advocate_customer_id`,`id`);--> statement-breakpoint
CREATE INDEX `referrals_friend_customer_idx` ON `referrals` (`shop`,`friend_customer_id`);--> statement-breakpoint
CREATE INDEX `referrals_friend_search_idx` ON `referrals` (`shop`,`friend_search`,`id`);--> statement-breakpoint
CREATE INDEX `referrals_order_idx` ON `referrals` (`shop`,`order_gid`);--> statement-breakpoint
CREATE INDEX `referrals_client_idx` ON `referrals` (`shop`,`client_fingerprint`,`created_at`);--> statement-breakpoint
CREATE INDEX `referrals_code_claims_idx` ON `referrals` (`shop`,`advocate_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `referrals_release_idx` ON `referrals` (`shop`,`release_at`) WHERE "referrals"."release_at" is not null;--> statement-breakpoint
CREATE INDEX `referrals_review_idx` ON `referrals` (`shop`,`id`) WHERE "referrals"."status" = 'blocked' or "referrals"."review" = 'flagged';--> statement-breakpoint
ALTER TABLE `customers` ADD `successful_referrals` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `customers` ADD `referrer_revenue_minor` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `customers` ADD `referee_revenue_minor` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `customers_shop_referrals_idx` ON `customers` (`shop`,`successful_referrals`,`id`);--> statement-breakpoint
CREATE INDEX `customers_shop_referrer_revenue_idx` ON `customers` (`shop`,`referrer_revenue_minor`,`id`);--> statement-breakpoint
CREATE INDEX `customers_shop_referee_revenue_idx` ON `customers` (`shop`,`referee_revenue_minor`,`id`);