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
	`joined_at` text,
	`member_since` text,
	`shopify_updated_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `customers_shop_gid_uq` ON `customers` (`shop`,`customer_gid`);--> statement-breakpoint
CREATE INDEX `customers_shop_status_idx` ON `customers` (`shop`,`status`,`points_balance`);--> statement-breakpoint
CREATE INDEX `customers_shop_points_idx` ON `customers` (`shop`,`points_balance`);--> statement-breakpoint
CREATE INDEX `customers_shop_joined_idx` ON `customers` (`shop`,`joined_at`);--> statement-breakpoint
CREATE INDEX `customers_shop_email_idx` ON `customers` (`shop`,`email`);--> statement-breakpoint
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
	`error` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_deliveries_webhook_id_uq` ON `webhook_deliveries` (`shop`,`webhook_id`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_shop_topic_idx` ON `webhook_deliveries` (`shop`,`topic`,`received_at`);